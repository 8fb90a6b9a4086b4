// Generated messages as an engine source, made where they are read (every thread can build it
// from plain options). Partition p runs its own generator with seed + p. Two modes: as fast as
// polled (`messages` in all, event time spaced by the generator's intervalMs), or paced in real
// time at messagesPerSecond for durationMs with event time = the wall clock when generated.
import type { PollStatus, Source, SourcePartition } from '../../engine/connector/source.ts';
import { type EngineRecord, noHeaders } from '../../engine/record.ts';
import { sentimentLimits } from './limits.ts';
import { MessageGenerator, type MessageGeneratorOptions } from './message-generator.ts';
import type { SocialMessage } from './records.ts';

export interface MessageSourceOptions {
  readonly partitions: number;
  /** Messages over all partitions (as-fast-as-possible mode). */
  readonly messages: number;
  readonly generator: MessageGeneratorOptions;
  /** Real-time mode: messages per second over all partitions, for durationMs. */
  readonly realTime?: { readonly messagesPerSecond: number; readonly durationMs: number };
}

function checkOptions(o: MessageSourceOptions): void {
  if (!(Number.isSafeInteger(o.partitions) && o.partitions >= 1 && o.partitions <= 1024))
    throw new RangeError(`Message source partitions must be 1..1024, got ${o.partitions}`);
  if (
    !(
      Number.isSafeInteger(o.messages) &&
      o.messages >= 0 &&
      o.messages <= sentimentLimits.generatorMessagesMax
    )
  )
    throw new RangeError(
      `Message source messages must be 0..${sentimentLimits.generatorMessagesMax}, got ${o.messages}`,
    );
  const rate = o.realTime?.messagesPerSecond;
  if (rate !== undefined && !(rate > 0 && rate <= sentimentLimits.feedRatePerSecondMax))
    throw new RangeError(
      `Message source messagesPerSecond must be within (0, ${sentimentLimits.feedRatePerSecondMax}], got ${rate}`,
    );
}

class GeneratedMessagePartition implements SourcePartition<string, SocialMessage> {
  readonly #partition: number;
  readonly #options: MessageSourceOptions;
  readonly #generator: MessageGenerator;
  readonly #startedAtMs = Date.now();
  readonly #count: number;
  #position: number;

  constructor(partition: number, options: MessageSourceOptions, offset: number) {
    this.#partition = partition;
    this.#options = options;
    const realTime = options.realTime !== undefined;
    this.#generator = new MessageGenerator({
      ...options.generator,
      seed: options.generator.seed + partition,
      ...(realTime ? { startMs: this.#startedAtMs } : {}),
    });
    // Partition p gets messages p, p + n, p + 2n, ... of the whole count.
    const n = options.partitions;
    this.#count = realTime ? Number.MAX_SAFE_INTEGER : Math.floor((options.messages - partition + n - 1) / n);
    for (let i = 0; i < offset; i++) this.#generator.next(); // resume: regenerate and skip
    this.#position = offset;
  }

  poll(out: EngineRecord<string, SocialMessage>[], recordsMax: number): Promise<PollStatus> {
    const realTime = this.#options.realTime;
    const nowMs = Date.now();
    let n = Math.min(recordsMax, this.#count - this.#position);
    if (realTime !== undefined) {
      if (nowMs - this.#startedAtMs >= realTime.durationMs) return Promise.resolve('end');
      const due = Math.floor(
        ((nowMs - this.#startedAtMs) * realTime.messagesPerSecond) / 1000 / this.#options.partitions,
      );
      n = Math.min(n, due - this.#position);
    }
    for (let i = 0; i < n; i++) {
      const { message } = this.#generator.next(realTime === undefined ? undefined : nowMs);
      out.push({
        key: `${message.source}:${message.channel}`,
        value: message,
        timestamp: message.timestampMs,
        headers: noHeaders,
        topic: 'social.generator',
        partition: this.#partition,
        offset: this.#position++,
      });
    }
    if (this.#position >= this.#count) return Promise.resolve('end');
    return Promise.resolve(n > 0 ? 'records' : 'empty');
  }

  position(): number {
    return this.#position;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

export class GeneratedMessageSource implements Source<string, SocialMessage> {
  readonly name = 'social-generator';
  readonly #options: MessageSourceOptions;

  constructor(options: MessageSourceOptions) {
    checkOptions(options);
    this.#options = options;
  }

  partitionCount(): Promise<number> {
    return Promise.resolve(this.#options.partitions);
  }

  openPartition(partition: number, offset: number | null): Promise<SourcePartition<string, SocialMessage>> {
    return Promise.resolve(new GeneratedMessagePartition(partition, this.#options, offset ?? 0));
  }
}
