// Writes generated trades to a topic of any Kafka-compatible broker (Sluice's embedded broker
// listens too) with Sluice's client: key = market id, JSON value, record timestamp = trade time,
// idempotent producer, the topic created when missing. Two modes: 'fast' writes a simulated span
// as fast as the broker takes it (filling a topic for a batch run or a test); 'realtime' paces
// the generator by the wall clock (event time = now) at tradesPerSecond until stop() or
// durationMs. Injected spikes are reported as they happen, for a demo to show the ground truth.
import { Admin } from '../../client/admin.ts';
import { KafkaError } from '../../client/errors.ts';
import { Producer } from '../../client/producer.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import { cryptoLimits } from './limits.ts';
import { cryptoTopics, marketId, type Trade } from './records.ts';
import type { InjectedSpike, SpikeOptions } from './spike-schedule.ts';
import { TradeGenerator } from './trade-generator.ts';
import { type MarketSpec, type MarketUniverseOptions, marketUniverse } from './universe.ts';

export interface TradeFeedProgress {
  readonly trades: number;
  /** Event time reached by the generator. */
  readonly timeMs: number;
  readonly spikes: number;
}

export interface TradeFeedOptions {
  readonly bootstrap: string;
  /** Default crypto.trades. */
  readonly topic?: string;
  /** Partitions to create the topic with when it does not exist; default 6. */
  readonly partitions?: number;
  readonly seed: number;
  readonly universe?: MarketUniverseOptions;
  readonly tradesPerSecond: number;
  readonly spikes?: Partial<SpikeOptions>;
  readonly mode: 'fast' | 'realtime';
  /** Fast mode: simulated start (default now) and span (required). */
  readonly startMs?: number;
  readonly spanMs?: number;
  /** Realtime mode: stop by itself after this long (default: only stop()). */
  readonly durationMs?: number;
  /** Where markets start (id → price), e.g. readLastPrices() of an earlier run; others start at
   * their universe's price. */
  readonly startPrices?: ReadonlyMap<string, number>;
  readonly onProgress?: (progress: TradeFeedProgress) => void;
  readonly onSpike?: (spike: InjectedSpike) => void;
}

export interface TradeFeedSummary extends TradeFeedProgress {
  readonly topic: string;
  readonly partitions: number;
  /** Every spike injected (the most recent cryptoLimits.recentSpikesMax in a long live run). */
  readonly injected: readonly InjectedSpike[];
}

export interface TradeFeed {
  readonly done: Promise<TradeFeedSummary>;
  /** Stops after the trades drawn so far are acknowledged; `done` then resolves. */
  stop(): void;
}

/** How often the realtime feed draws the trades that came due. */
const realtimeTickMs = 50;
const batchTradesMax = 5_000;
const progressIntervalMs = 200;

async function ensureTopic(bootstrap: string, topic: string, partitions: number): Promise<number> {
  const admin = new Admin({ bootstrap, clientId: 'sluice-crypto-feed' });
  try {
    await admin.createTopics([{ topic, partitions }]);
    return partitions;
  } catch (error) {
    if (!(error instanceof KafkaError && error.code === ErrorCode.topicAlreadyExists)) throw error;
    const [described] = await admin.describeTopics([topic]);
    if (described === undefined) throw new Error(`Topic '${topic}' exists but cannot be described`);
    return described.partitions.length;
  } finally {
    admin.close();
  }
}

export function startTradeFeed(options: TradeFeedOptions): TradeFeed {
  if (options.mode === 'fast' && !(Number.isFinite(options.spanMs) && (options.spanMs ?? 0) > 0))
    throw new RangeError(`A fast trade feed needs spanMs > 0, got ${options.spanMs}`);
  let stopped = false;
  let wake: (() => void) | null = null;
  const done = run(
    options,
    () => stopped,
    (resolve) => {
      wake = resolve;
    },
  );
  return {
    done,
    stop() {
      stopped = true;
      const w = wake as (() => void) | null;
      if (w !== null) w();
    },
  };
}

function startingAt(
  universe: readonly MarketSpec[],
  prices: ReadonlyMap<string, number> | undefined,
): MarketSpec[] {
  if (prices === undefined) return [...universe];
  return universe.map((m) => {
    const price = prices.get(marketId(m.exchange, m.market));
    return price === undefined || !(price > 0) ? m : { ...m, price };
  });
}

async function run(
  options: TradeFeedOptions,
  isStopped: () => boolean,
  onSleep: (wake: () => void) => void,
): Promise<TradeFeedSummary> {
  const topic = options.topic ?? cryptoTopics.trades;
  const partitions = await ensureTopic(options.bootstrap, topic, options.partitions ?? 6);
  const realtime = options.mode === 'realtime';
  const startMs = realtime ? Date.now() : (options.startMs ?? Date.now());
  const endMs = realtime
    ? startMs + (options.durationMs ?? Number.POSITIVE_INFINITY)
    : startMs + (options.spanMs ?? 0);
  const generator = new TradeGenerator({
    universe: startingAt(marketUniverse(options.universe), options.startPrices),
    seed: options.seed,
    startMs,
    tradesPerSecond: options.tradesPerSecond,
    ...(options.spikes === undefined ? {} : { spikes: options.spikes }),
  });
  const producer = new Producer({
    bootstrap: options.bootstrap,
    clientId: 'sluice-crypto-feed',
    lingerMs: 5,
  });
  const injected: InjectedSpike[] = [];
  let inFlight: Promise<unknown>[] = [];
  let lastProgressMs = 0;
  const batch: Trade[] = [];
  const progress = (): TradeFeedProgress => ({
    trades: generator.trades,
    timeMs: generator.timeMs,
    spikes: injected.length,
  });
  try {
    while (!isStopped()) {
      const untilMs = realtime ? Math.min(Date.now(), endMs) : endMs;
      batch.length = 0;
      const n = generator.take(batch, batchTradesMax, untilMs);
      for (const trade of batch) {
        inFlight.push(
          producer.send({
            topic,
            key: marketId(trade.exchange, trade.market),
            value: JSON.stringify(trade),
            timestamp: trade.timestampMs,
          }),
        );
        if (inFlight.length >= cryptoLimits.producerInFlightMax) {
          await Promise.all(inFlight);
          inFlight = [];
        }
      }
      for (const spike of generator.drainInjectedSpikes()) {
        if (injected.length >= cryptoLimits.recentSpikesMax) injected.shift();
        injected.push(spike);
        options.onSpike?.(spike);
      }
      const now = Date.now();
      if (now - lastProgressMs >= progressIntervalMs) {
        lastProgressMs = now;
        options.onProgress?.(progress());
      }
      if (n < batchTradesMax) {
        if (untilMs >= endMs) break;
        if (realtime)
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, realtimeTickMs);
            onSleep(() => {
              clearTimeout(timer);
              resolve();
            });
          });
      }
    }
    await Promise.all(inFlight);
  } finally {
    await producer.close();
  }
  options.onProgress?.(progress());
  return { ...progress(), topic, partitions, injected };
}
