// Generated messages produced to `social.messages` of any Kafka cluster (a Sluice broker, an
// embedded one through its bootstrap, Apache Kafka) with Sluice's client. Paced (ratePerSecond:
// event time = the wall clock when sent, episodes counted from the start) or as fast as
// possible (event time spaced by the generator's intervalMs from its startMs). Records are keyed
// `${source}:${channel}` with the event time as their timestamp; the topic is created when
// missing. Bounded memory: at most feedInFlightRecordsMax unacknowledged records.
import { Admin } from '../../client/admin.ts';
import { KafkaError } from '../../client/errors.ts';
import { Producer } from '../../client/producer.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import { sentimentLimits } from './limits.ts';
import {
  type GeneratedMessage,
  MessageGenerator,
  type MessageGeneratorOptions,
} from './message-generator.ts';
import { sentimentTopics } from './records.ts';

export interface MessageFeedOptions {
  readonly bootstrap: string;
  /** Default social.messages. */
  readonly topic?: string;
  /** Partitions to create the topic with when it does not exist; default 1. */
  readonly partitions?: number;
  /** startMs may be left out when paced (the start is now). */
  readonly generator: Omit<MessageGeneratorOptions, 'startMs'> & { readonly startMs?: number };
  /** Messages per second, paced in real time; absent: as fast as possible. */
  readonly ratePerSecond?: number;
  /** Stop after this many messages (required when not paced). */
  readonly messages?: number;
  /** Stop after this long. */
  readonly durationMs?: number;
  /** Sees every message with its ground truth as it is sent (a test, a demo's counter). */
  readonly onMessage?: (generated: GeneratedMessage) => void;
}

/**
 * What a demo feed generates by default: three products, a quarter noise, and an Azure outage
 * 60 s after the start that lasts 90 s and comes back every 5 minutes.
 */
export const defaultFeedGenerator: Omit<MessageGeneratorOptions, 'startMs'> = {
  seed: 1,
  keywords: ['azure', 'aws', 'gcp'],
  noiseFraction: 0.25,
  episodes: [
    { keyword: 'azure', mood: 'negative', startOffsetMs: 60_000, durationMs: 90_000, everyMs: 300_000 },
  ],
};

/** Messages per second of a demo feed: enough for the default 10-message trend rule per minute. */
export const defaultFeedRatePerSecond = 20;

export interface MessageFeedResult {
  readonly sent: number;
  readonly durationMs: number;
}

export interface MessageFeed {
  /** Resolves when the feed has sent what it was asked to and every record is acknowledged. */
  readonly done: Promise<MessageFeedResult>;
  sent(): number;
  /** Stops sending, waits for the acknowledgements of what was sent and closes the producer. */
  stop(): Promise<MessageFeedResult>;
}

function checkFeedOptions(o: MessageFeedOptions): void {
  const rate = o.ratePerSecond;
  if (rate !== undefined && !(rate > 0 && rate <= sentimentLimits.feedRatePerSecondMax))
    throw new RangeError(
      `Feed ratePerSecond must be within (0, ${sentimentLimits.feedRatePerSecondMax}], got ${rate}`,
    );
  const n = o.messages;
  if (n !== undefined && !(Number.isSafeInteger(n) && n >= 0 && n <= sentimentLimits.generatorMessagesMax))
    throw new RangeError(`Feed messages must be 0..${sentimentLimits.generatorMessagesMax}, got ${n}`);
  if (rate === undefined && n === undefined)
    throw new RangeError('A feed that is not paced (no ratePerSecond) needs a message count (messages)');
  if (o.durationMs !== undefined && !(o.durationMs > 0))
    throw new RangeError(`Feed durationMs must be positive, got ${o.durationMs}`);
}

async function ensureTopic(bootstrap: string, topic: string, partitions: number): Promise<void> {
  const admin = new Admin({ bootstrap, clientId: 'sluice-sentiment-feed' });
  try {
    await admin.createTopics([{ topic, partitions }]);
  } catch (error) {
    if (!(error instanceof KafkaError && error.code === ErrorCode.topicAlreadyExists)) throw error;
  } finally {
    admin.close();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function startMessageFeed(options: MessageFeedOptions): MessageFeed {
  checkFeedOptions(options);
  const topic = options.topic ?? sentimentTopics.messages;
  let stopping = false;
  let sent = 0;
  const startedAtMs = Date.now();
  const paced = options.ratePerSecond;
  const generator = new MessageGenerator({
    ...options.generator,
    startMs: options.generator.startMs ?? startedAtMs,
  });
  const producer = new Producer({
    bootstrap: options.bootstrap,
    clientId: 'sluice-sentiment-feed',
    lingerMs: 5,
  });

  const finished = (): boolean =>
    stopping ||
    (options.messages !== undefined && sent >= options.messages) ||
    (options.durationMs !== undefined && Date.now() - startedAtMs >= options.durationMs);

  async function run(): Promise<MessageFeedResult> {
    let inFlight: Promise<unknown>[] = [];
    try {
      await ensureTopic(options.bootstrap, topic, options.partitions ?? 1);
      while (!finished()) {
        let due: number = sentimentLimits.feedInFlightRecordsMax;
        if (paced !== undefined) due = Math.floor(((Date.now() - startedAtMs) * paced) / 1000) - sent;
        if (options.messages !== undefined) due = Math.min(due, options.messages - sent);
        for (let i = 0; i < due && inFlight.length < sentimentLimits.feedInFlightRecordsMax; i++) {
          const generated = generator.next(paced === undefined ? undefined : Date.now());
          const m = generated.message;
          inFlight.push(
            producer.send({
              topic,
              key: `${m.source}:${m.channel}`,
              value: JSON.stringify(m),
              timestamp: m.timestampMs,
            }),
          );
          sent++;
          options.onMessage?.(generated);
        }
        if (inFlight.length >= sentimentLimits.feedInFlightRecordsMax || paced !== undefined) {
          await Promise.all(inFlight);
          inFlight = [];
        }
        if (paced !== undefined && !finished()) await sleep(sentimentLimits.feedTickMs);
      }
      await Promise.all(inFlight);
    } finally {
      await producer.close();
    }
    return { sent, durationMs: Date.now() - startedAtMs };
  }

  const done = run();
  // stop() reports through done; keep an unobserved rejection from crashing the process.
  done.catch(() => undefined);
  return {
    done,
    sent: () => sent,
    stop(): Promise<MessageFeedResult> {
      stopping = true;
      return done;
    },
  };
}
