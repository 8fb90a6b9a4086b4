// The apps pages against the real applications: a broker with the dashboard on a free loopback
// port (group and transaction coordinators), and on demand each app's generator feeding its input
// topic and its job running unbounded on the broker, as `sluice demo` runs them.
//   crypto:    startTradeFeed (fast, a seeded span of past event time, aligned to the minute so
//              the bars and what the detector flags are the same on every run) → crypto.trades
//              → cryptoJobModule → crypto.bars, crypto.spikes
//   sentiment: startMessageFeed (fast, seeded, a negative episode early) → social.messages
//              → sentimentJobModule → social.sentiment, social.alerts, social.scored
// Nothing exists until startCrypto() / startSentiment(); moreCrypto() / moreSentiment() feed the
// next span (later event time, spikes or a new episode early in it) to a running job, and
// cryptoCaughtUp() / sentimentCaughtUp() resolve once the job has committed everything a span's
// event time lets it close and the dashboard has read all of it (its record counts equal the
// log's), so a test can read what to expect from the dashboard's API and it stays put.
import { cryptoJobModule, startTradeFeed, type TradeFeedSummary } from '../../apps/crypto/index.ts';
import type { Spike } from '../../apps/crypto/records.ts';
import {
  defaultSentimentJobParams,
  type SentimentEpisode,
  type SentimentJobParams,
  sentimentJobModule,
  startMessageFeed,
} from '../../apps/sentiment/index.ts';
import { type ScoredMessage, type SentimentAlert, sentimentTopics } from '../../apps/sentiment/records.ts';
import { type RunningBroker, startBroker } from '../../broker/broker.ts';
import { embeddedLog } from '../../connectors/embedded/embedded-log.ts';
import { groupCoordinatorNoun } from '../../coordinator/coordinator-noun.ts';
import { type RunningJob, startJob } from '../../engine/run-job.ts';
import { transactionCoordinatorNoun } from '../../txn/transaction-noun.ts';
import type { AppStatus } from '../server/apps/apps-read-models.ts';
import type { MarketBars, MarketSummary } from '../server/apps/crypto-view.ts';
import type { KeywordSummary, KeywordTimeline } from '../server/apps/sentiment-view.ts';

/** Markets of the crypto universe: small enough to write minutes of trades in a second. */
export const CRYPTO_MARKETS = 60;
/** The checked-in model's bar length, which the job uses by default. */
export const CRYPTO_BAR_MS = 5_000;
/** Event time of one crypto span; the first starts CRYPTO_SPANS minutes ago, aligned. */
export const CRYPTO_SPAN_MS = 3 * 60_000;
const CRYPTO_SPANS = 2;
const CRYPTO_TRADES_PER_SECOND = 240;
/** The detector needs ~7 bars of a market before it trusts its volatility; spikes come later. */
const CRYPTO_FIRST_SPAN_SPIKES = { firstAfterMs: 60_000, perMinute: 6 };
/** The job's state is warm by the next span, so its spikes may start at once. */
const CRYPTO_NEXT_SPAN_SPIKES = { firstAfterMs: 5_000, perMinute: 10 };

/** The job's keywords and its timeline window (the default is a minute). */
export const SENTIMENT_KEYWORDS = defaultSentimentJobParams.keywords;
export const SENTIMENT_WINDOW_MS = 10_000;
const SENTIMENT_INTERVAL_MS = 100;
/** Messages of one sentiment span, SENTIMENT_INTERVAL_MS apart: 2 minutes of event time. */
const SENTIMENT_SPAN_MESSAGES = 1_200;
const SENTIMENT_SPAN_MS = SENTIMENT_SPAN_MESSAGES * SENTIMENT_INTERVAL_MS;
/** The first span's outage, which raises a negative-trend alert early. */
export const SENTIMENT_FIRST_EPISODE: SentimentEpisode = {
  keyword: 'azure',
  mood: 'negative',
  startOffsetMs: 20_000,
  durationMs: 40_000,
};
/** The next span's outage, on another keyword. */
export const SENTIMENT_NEXT_EPISODE: SentimentEpisode = {
  keyword: 'gcp',
  mood: 'negative',
  startOffsetMs: 10_000,
  durationMs: 40_000,
};
const SENTIMENT_SPANS = 2;

/** How long the fixture waits for a job to write what a span lets it close. */
const CATCH_UP_MS_MAX = 20_000;
const POLL_MS = 100;
/** Reads of one partition before committed() gives up on reaching its end. */
const COMMITTED_READS_MAX = 1_000;

export interface CryptoSpan {
  readonly startMs: number;
  readonly endMs: number;
  readonly fed: TradeFeedSummary;
}

export interface SentimentSpan {
  readonly startMs: number;
  readonly endMs: number;
  readonly messages: number;
}

export interface AppsLiveFixture {
  readonly broker: RunningBroker;
  readonly url: string;
  /** GET a dashboard API path (e.g. 'api/apps/crypto/spikes'), answered 200 with JSON. */
  api<T>(path: string): Promise<T>;
  /** Feeds the first crypto span and starts the detection job; resolves as cryptoCaughtUp does. */
  startCrypto(): Promise<CryptoSpan>;
  /** Feeds the next crypto span to the running job (without waiting for the job). */
  moreCrypto(): Promise<CryptoSpan>;
  /** Resolves once the job has committed all `span` makes and the dashboard has read it. */
  cryptoCaughtUp(span: CryptoSpan): Promise<void>;
  /** Feeds the first sentiment span and starts the sentiment job; resolves as sentimentCaughtUp does. */
  startSentiment(): Promise<SentimentSpan>;
  /** Feeds the next sentiment span to the running job (without waiting for the job). */
  moreSentiment(): Promise<SentimentSpan>;
  /** Resolves once the job has committed all `span` makes and the dashboard has read it. */
  sentimentCaughtUp(span: SentimentSpan): Promise<void>;
  /** Every scored message the sentiment job has committed to social.scored so far. */
  scoredMessages(): Promise<ScoredMessage[]>;
  close(): Promise<void>;
}

/**
 * Polls `probe` every POLL_MS until it returns a value, failing with `what` after `timeoutMs`,
 * or at once with what `failed` returns when that is not null (a job that died).
 */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = CATCH_UP_MS_MAX,
  failed: () => Error | null = () => null,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    const failure = failed();
    if (failure !== null) throw failure;
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() >= deadline)
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${what}${last === null ? '' : `: ${last}`}`,
      );
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function minuteAligned(ms: number): number {
  return Math.floor(ms / 60_000) * 60_000;
}

export async function startAppsLiveFixture(): Promise<AppsLiveFixture> {
  const broker = await startBroker({
    http: '127.0.0.1:0',
    nouns: [groupCoordinatorNoun, transactionCoordinatorNoun],
    config: { 'group.initial.rebalance.delay.ms': '0' },
  });
  const http = broker.http;
  if (http === null) {
    await broker.close();
    throw new Error('The fixture broker started without its HTTP server');
  }
  const url = http.url;
  const jobs: RunningJob[] = [];
  const jobsByApp = new Map<AppStatus['name'], RunningJob>();
  let closing = false;
  let jobFailure: Error | null = null;
  const failed = () => jobFailure;
  const watch = (name: AppStatus['name'], job: RunningJob) => {
    jobs.push(job);
    jobsByApp.set(name, job);
    job.done.then(
      (result) => {
        if (!closing) jobFailure ??= new Error(`The ${name} job ended by itself (${result.state})`);
      },
      (error: unknown) => {
        jobFailure ??= new Error(`The ${name} job failed: ${(error as Error).message}`, { cause: error });
      },
    );
  };
  // Event time: every span lies in the past, the last one ending at least a minute ago.
  const now = Date.now();
  const cryptoStartMs = minuteAligned(now) - (CRYPTO_SPANS * CRYPTO_SPAN_MS + 60_000);
  const sentimentStartMs = minuteAligned(now) - (SENTIMENT_SPANS * SENTIMENT_SPAN_MS + 60_000);
  let cryptoSpans = 0;
  let sentimentSpans = 0;

  async function api<T>(path: string): Promise<T> {
    const response = await fetch(new URL(path, url));
    if (response.status !== 200)
      throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  }

  async function feedCrypto(): Promise<CryptoSpan> {
    const i = cryptoSpans++;
    const startMs = cryptoStartMs + i * CRYPTO_SPAN_MS;
    const fed = await startTradeFeed({
      bootstrap: broker.bootstrap,
      partitions: 3,
      seed: 11 + i,
      universe: { markets: CRYPTO_MARKETS },
      tradesPerSecond: CRYPTO_TRADES_PER_SECOND,
      spikes: i === 0 ? CRYPTO_FIRST_SPAN_SPIKES : CRYPTO_NEXT_SPAN_SPIKES,
      mode: 'fast',
      startMs,
      spanMs: CRYPTO_SPAN_MS,
    }).done;
    return { startMs, endMs: startMs + CRYPTO_SPAN_MS, fed };
  }

  async function cryptoCaughtUp(span: CryptoSpan): Promise<void> {
    // The watermark trails the newest trade by the job's 2 s out-of-orderness, so every bar
    // ending 2 s before the span's end is closed; the most active market has one there.
    const lastClosedStartMs =
      Math.floor((span.endMs - 2_000) / CRYPTO_BAR_MS) * CRYPTO_BAR_MS - CRYPTO_BAR_MS;
    await eventually(
      `the crypto bars up to ${new Date(lastClosedStartMs).toISOString()}`,
      async () => {
        const { markets, total } = await api<{ total: number; markets: MarketSummary[] }>(
          'api/apps/crypto/markets?limit=500',
        );
        const newest = Math.max(0, ...markets.map((m) => m.lastBarMs));
        return total === CRYPTO_MARKETS && newest >= lastClosedStartMs ? true : undefined;
      },
      CATCH_UP_MS_MAX,
      failed,
    );
    await settled('crypto', Date.now());
  }

  async function feedSentiment(): Promise<SentimentSpan> {
    const i = sentimentSpans++;
    const startMs = sentimentStartMs + i * SENTIMENT_SPAN_MS;
    const result = await startMessageFeed({
      bootstrap: broker.bootstrap,
      messages: SENTIMENT_SPAN_MESSAGES,
      generator: {
        seed: 21 + i,
        keywords: SENTIMENT_KEYWORDS,
        startMs,
        intervalMs: SENTIMENT_INTERVAL_MS,
        noiseFraction: 0.25,
        episodes: [i === 0 ? SENTIMENT_FIRST_EPISODE : SENTIMENT_NEXT_EPISODE],
      },
    }).done;
    return { startMs, endMs: startMs + SENTIMENT_SPAN_MS, messages: result.sent };
  }

  async function sentimentCaughtUp(span: SentimentSpan): Promise<void> {
    const lateness = defaultSentimentJobParams.outOfOrdernessMs ?? 0;
    // The newest message is at endMs - interval; windows ending at or before watermark close.
    const watermark = span.endMs - SENTIMENT_INTERVAL_MS - lateness;
    const lastClosedStartMs =
      Math.floor(watermark / SENTIMENT_WINDOW_MS) * SENTIMENT_WINDOW_MS - SENTIMENT_WINDOW_MS;
    await eventually(
      `the sentiment points up to ${new Date(lastClosedStartMs).toISOString()}`,
      async () => {
        const { keywords } = await api<{ keywords: KeywordSummary[] }>('api/apps/sentiment/keywords');
        const done =
          keywords.length === SENTIMENT_KEYWORDS.length &&
          keywords.every((k) => k.lastWindowMs >= lastClosedStartMs);
        return done ? true : undefined;
      },
      CATCH_UP_MS_MAX,
      failed,
    );
    await settled('sentiment', Date.now());
  }

  /** Every record committed to `topic`, its value parsed as JSON. */
  async function committed<T>(topic: string): Promise<T[]> {
    const log = embeddedLog(broker);
    const out: T[] = [];
    try {
      for (let p = 0; p < (await log.partitionCount(topic)); p++) {
        const end = await log.endOffset(topic, p, true);
        const reader = await log.openReader(topic, p, 0, { readCommitted: true, endOffset: end });
        try {
          for (let round = 0; round < COMMITTED_READS_MAX; round++) {
            const batch = await reader.read(1_000, 100);
            for (const r of batch.records)
              out.push(JSON.parse(Buffer.from(r.value ?? new Uint8Array()).toString()) as T);
            if (batch.endOfLog) break;
          }
        } finally {
          await reader.close();
        }
      }
    } finally {
      await log.close();
    }
    return out;
  }

  /**
   * Once a job has read a whole span (the dashboard shows a bar or point its last trades or
   * messages close), waits for two checkpoints begun after that, so everything the span made is
   * committed, then for the dashboard to have read every record committed to the app's topics.
   */
  async function settled(app: AppStatus['name'], sinceMs: number): Promise<void> {
    const job = jobsByApp.get(app);
    if (job === undefined) throw new Error(`The ${app} job is not running`);
    await eventually(
      `two checkpoints of the ${app} job`,
      async () =>
        job.metrics().checkpoints.filter((c) => c.startedAtMs > sinceMs).length >= 2 ? true : undefined,
      CATCH_UP_MS_MAX,
      failed,
    );
    await eventually(
      `the dashboard to read every record the ${app} job committed`,
      async () => {
        const { apps } = await api<{ apps: AppStatus[] }>('api/apps');
        const status = apps.find((a) => a.name === app);
        if (status === undefined) return undefined;
        for (const t of status.topics) {
          if (!t.present || t.records + t.skipped !== (await committed<unknown>(t.topic)).length)
            return undefined;
        }
        return true;
      },
      CATCH_UP_MS_MAX,
      failed,
    );
  }

  async function close(): Promise<void> {
    closing = true;
    for (const job of jobs) job.stop();
    await Promise.allSettled(jobs.map((job) => job.done));
    await broker.close();
  }

  return {
    broker,
    url,
    api,
    async startCrypto() {
      const span = await feedCrypto();
      watch(
        'crypto',
        await startJob({ module: cryptoJobModule, params: { partitions: 2 } }, { log: broker, executors: 1 }),
      );
      await cryptoCaughtUp(span);
      return span;
    },
    moreCrypto: feedCrypto,
    cryptoCaughtUp,
    async startSentiment() {
      const span = await feedSentiment();
      const params: SentimentJobParams = {
        ...defaultSentimentJobParams,
        windowMs: SENTIMENT_WINDOW_MS,
        outputPartitions: 2,
      };
      watch(
        'sentiment',
        await startJob({ module: sentimentJobModule, params }, { log: broker, executors: 1 }),
      );
      await sentimentCaughtUp(span);
      return span;
    },
    moreSentiment: feedSentiment,
    sentimentCaughtUp,
    scoredMessages: () => committed<ScoredMessage>(sentimentTopics.scored),
    close,
  };
}

export type { KeywordTimeline, MarketBars, MarketSummary, ScoredMessage, SentimentAlert, Spike };
