// Nexmark events as a partitioned source, generated where they are read (any thread can build
// it from plain options). Partition p runs its own generator (seed + p) over events/partitions
// events. Two modes: as fast as polled (bounded throughput runs), or paced in real time at
// eventsPerSecond with event time = the wall clock at generation (latency runs, unbounded until
// durationMs has passed).
import type { PollStatus, Source, SourcePartition } from '../../src/engine/connector/source.ts';
import { type EngineRecord, noHeaders } from '../../src/engine/record.ts';
import { generateEvents } from './generator.ts';
import type { NexmarkEvent } from './model.ts';

export interface GeneratorSourceOptions {
  readonly partitions: number;
  /** Total events over all partitions (as-fast-as-possible mode). */
  readonly events: number;
  readonly seed: number;
  /** Real-time mode: events per second over all partitions, for durationMs. */
  readonly realTime?: { readonly eventsPerSecond: number; readonly durationMs: number };
}

class GeneratorPartition implements SourcePartition<null, NexmarkEvent> {
  readonly #partition: number;
  readonly #events: Iterator<NexmarkEvent>;
  readonly #options: GeneratorSourceOptions;
  readonly #startedAtMs = Date.now();
  #position: number;

  constructor(partition: number, options: GeneratorSourceOptions, offset: number) {
    this.#partition = partition;
    this.#options = options;
    const perPartition = Math.ceil(options.events / options.partitions);
    this.#events = generateEvents({
      events: options.realTime === undefined ? perPartition : Number.MAX_SAFE_INTEGER,
      eventsPerSecond: 10_000,
      startMs: 0,
      seed: options.seed + partition,
      outOfOrderMs: 0,
    });
    for (let i = 0; i < offset; i++) this.#events.next(); // resume: regenerate and skip
    this.#position = offset;
  }

  poll(out: EngineRecord<null, NexmarkEvent>[], recordsMax: number): Promise<PollStatus> {
    const realTime = this.#options.realTime;
    let n = recordsMax;
    const nowMs = Date.now();
    if (realTime !== undefined) {
      if (nowMs - this.#startedAtMs >= realTime.durationMs) return Promise.resolve('end');
      const due = Math.floor(
        ((nowMs - this.#startedAtMs) * realTime.eventsPerSecond) / 1000 / this.#options.partitions,
      );
      n = Math.min(n, due - this.#position);
    }
    for (let i = 0; i < n; i++) {
      const next = this.#events.next();
      if (next.done === true) return Promise.resolve('end');
      const event = realTime === undefined ? next.value : { ...next.value, dateTime: nowMs };
      out.push({
        key: null,
        value: event,
        timestamp: event.dateTime,
        headers: noHeaders,
        topic: 'nexmark',
        partition: this.#partition,
        offset: this.#position++,
      });
    }
    return Promise.resolve(n > 0 ? 'records' : 'empty');
  }

  position(): number {
    return this.#position;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

export class NexmarkGeneratorSource implements Source<null, NexmarkEvent> {
  readonly name = 'nexmark';
  readonly #options: GeneratorSourceOptions;

  constructor(options: GeneratorSourceOptions) {
    this.#options = options;
  }

  partitionCount(): Promise<number> {
    return Promise.resolve(this.#options.partitions);
  }

  openPartition(partition: number, offset: number | null): Promise<SourcePartition<null, NexmarkEvent>> {
    return Promise.resolve(new GeneratorPartition(partition, this.#options, offset ?? 0));
  }
}
