// Generated trades as an engine source: partition p runs the generator's shard p (markets with
// index % partitions === p), so every market's trades are in one partition and in time order.
// Bounded mode draws spanMs of simulated time as fast as polled; real-time mode draws up to the
// wall clock (event time = now) until durationMs has passed, or forever when it is not given.
// Records are keyed by market id. Resuming at an offset regenerates and skips (the generator is
// deterministic), as a checkpoint restore needs.
import type { PollStatus, Source, SourcePartition } from '../../engine/connector/source.ts';
import { type EngineRecord, noHeaders } from '../../engine/record.ts';
import { marketId, type Trade } from './records.ts';
import type { SpikeOptions } from './spike-schedule.ts';
import { TradeGenerator } from './trade-generator.ts';
import { type MarketUniverseOptions, marketUniverse } from './universe.ts';

export interface TradeSourceOptions {
  readonly partitions: number;
  readonly seed: number;
  /** The markets (default: the default universe, whose own seed is independent of `seed`). */
  readonly universe?: MarketUniverseOptions;
  readonly tradesPerSecond: number;
  readonly spikes?: Partial<SpikeOptions>;
  /** Bounded mode: simulated start and span. */
  readonly startMs?: number;
  readonly spanMs?: number;
  /** Real-time mode (event time = wall clock), ending after durationMs when given. */
  readonly realTime?: { readonly durationMs?: number };
}

class TradePartition implements SourcePartition<string, Trade> {
  readonly #partition: number;
  readonly #generator: TradeGenerator;
  readonly #endMs: number;
  readonly #realTime: boolean;
  readonly #buffer: Trade[] = [];
  #position: number;

  constructor(partition: number, options: TradeSourceOptions, offset: number) {
    this.#partition = partition;
    const realTime = options.realTime !== undefined;
    const startMs = realTime ? Date.now() : (options.startMs ?? 0);
    this.#realTime = realTime;
    this.#endMs = realTime
      ? startMs + (options.realTime?.durationMs ?? Number.POSITIVE_INFINITY)
      : startMs + (options.spanMs ?? 0);
    this.#generator = new TradeGenerator({
      universe: marketUniverse(options.universe),
      seed: options.seed,
      startMs,
      tradesPerSecond: options.tradesPerSecond,
      ...(options.spikes === undefined ? {} : { spikes: options.spikes }),
      shard: { index: partition, count: options.partitions },
    });
    const skipped: Trade[] = [];
    for (let left = offset; left > 0; skipped.length = 0) {
      const n = this.#generator.take(skipped, Math.min(left, 10_000), this.#endMs);
      if (n === 0) break;
      left -= n;
    }
    this.#position = offset;
  }

  poll(out: EngineRecord<string, Trade>[], recordsMax: number): Promise<PollStatus> {
    const untilMs = this.#realTime ? Math.min(Date.now(), this.#endMs) : this.#endMs;
    const buffer = this.#buffer;
    buffer.length = 0;
    this.#generator.take(buffer, recordsMax, untilMs);
    for (const trade of buffer) {
      out.push({
        key: marketId(trade.exchange, trade.market),
        value: trade,
        timestamp: trade.timestampMs,
        headers: noHeaders,
        topic: 'crypto-generator',
        partition: this.#partition,
        offset: this.#position++,
      });
    }
    if (buffer.length < recordsMax && untilMs >= this.#endMs) return Promise.resolve('end');
    return Promise.resolve(buffer.length > 0 ? 'records' : 'empty');
  }

  position(): number {
    return this.#position;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

export class TradeGeneratorSource implements Source<string, Trade> {
  readonly name = 'crypto-generator';
  readonly #options: TradeSourceOptions;

  constructor(options: TradeSourceOptions) {
    if (!(Number.isInteger(options.partitions) && options.partitions >= 1))
      throw new RangeError(`A trade generator source needs partitions >= 1, got ${options.partitions}`);
    if (options.realTime === undefined && !(Number.isFinite(options.spanMs) && (options.spanMs ?? 0) > 0))
      throw new RangeError(`A bounded trade generator source needs spanMs > 0, got ${options.spanMs}`);
    this.#options = options;
  }

  partitionCount(): Promise<number> {
    return Promise.resolve(this.#options.partitions);
  }

  openPartition(partition: number, offset: number | null): Promise<SourcePartition<string, Trade>> {
    return Promise.resolve(new TradePartition(partition, this.#options, offset ?? 0));
  }
}
