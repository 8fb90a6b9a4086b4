// The market simulator. Per market the mid price is a random walk (Gaussian log returns scaled
// to the market's volatility, drawn exactly for the time since the market's last trade, so a
// quiet market costs nothing between trades); trades arrive as one Poisson process over the
// universe, each landing on a market with probability equal to its liquidity share; sizes are
// Pareto (heavy-tailed); each trade pays half the spread on its side. Injected spikes (see
// spike-schedule.ts) jump the mid by several sigma, bring a burst of larger and more frequent
// trades, then give part of the jump back. Trades are drawn a step (cryptoLimits.generatorStepMs)
// at a time and sorted, so the output is in time order and costs O(trades) whatever the number
// of markets. The same object serves both modes: a caller either pulls as fast as it likes over a
// simulated span, or pulls up to the wall clock (event time = now).
import { cryptoLimits } from './limits.ts';
import { SeededRandom } from './random.ts';
import type { Trade } from './records.ts';
import {
  type InjectedSpike,
  resolveSpikeOptions,
  type SpikeOptions,
  SpikeSchedule,
  sigmaOver,
} from './spike-schedule.ts';
import { type MarketSpec, quoteUsdPrice } from './universe.ts';

export interface TradeGeneratorOptions {
  readonly universe: readonly MarketSpec[];
  readonly seed: number;
  /** Simulated start time (epoch ms); the live mode passes Date.now(). */
  readonly startMs: number;
  /** Average trades per second over the whole universe (bursts add to it). */
  readonly tradesPerSecond: number;
  readonly spikes?: Partial<SpikeOptions>;
  /** This generator makes only the markets with index % count === index (a source partition). */
  readonly shard?: { readonly index: number; readonly count: number };
}

/** A trade before it is written out: the market's index saves a lookup per trade. */
interface Draw {
  readonly timeMs: number;
  readonly market: number;
  readonly burst: boolean;
}

interface ActiveSpike {
  readonly spike: InjectedSpike;
  readonly burstEndMs: number;
  readonly burstRatePerMs: number;
}

/** Walker's alias table: O(1) draws of a market by liquidity. */
class AliasTable {
  readonly #prob: Float64Array;
  readonly #alias: Int32Array;

  constructor(weights: readonly number[]) {
    const n = weights.length;
    this.#prob = new Float64Array(n);
    this.#alias = new Int32Array(n);
    const sum = weights.reduce((a, b) => a + b, 0);
    const scaled = weights.map((w) => (w * n) / sum);
    const small: number[] = [];
    const large: number[] = [];
    scaled.forEach((p, i) => {
      (p < 1 ? small : large).push(i);
    });
    while (small.length > 0 && large.length > 0) {
      const s = small.pop() as number;
      const l = large.pop() as number;
      this.#prob[s] = scaled[s] ?? 0;
      this.#alias[s] = l;
      scaled[l] = (scaled[l] ?? 0) + (scaled[s] ?? 0) - 1;
      ((scaled[l] ?? 0) < 1 ? small : large).push(l);
    }
    for (const i of [...small, ...large]) this.#prob[i] = 1;
  }

  draw(random: SeededRandom): number {
    const i = random.int(this.#prob.length);
    return random.next() < (this.#prob[i] ?? 1) ? i : (this.#alias[i] ?? i);
  }
}

/** `value` rounded to `digits` significant digits, as exchanges quote prices and sizes. */
function significant(value: number, digits: number): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  const scale = 10 ** (digits - 1 - Math.floor(Math.log10(Math.abs(value))));
  return Math.round(value * scale) / scale;
}

export class TradeGenerator {
  readonly #universe: readonly MarketSpec[];
  readonly #spikeOptions: SpikeOptions;
  readonly #random: SeededRandom;
  readonly #schedule: SpikeSchedule;
  readonly #shardIndex: number;
  readonly #shardCount: number;
  /** Universe indices of this shard's markets, and draws among them by liquidity. */
  readonly #markets: number[];
  readonly #alias: AliasTable | null;
  readonly #ratePerMs: number;
  /** Per universe index: log mid without the open spike, last trade time, trades so far. */
  readonly #logMid: Float64Array;
  readonly #lastMs: Float64Array;
  readonly #tradeCount: Float64Array;
  readonly #sigmaPerSqrtMs: Float64Array;
  readonly #halfSpread: Float64Array;
  readonly #lotBase: Float64Array;
  readonly #marketRatePerMs: Float64Array;
  readonly #active = new Map<number, ActiveSpike>();
  readonly #injected: InjectedSpike[] = [];
  #pending: Trade[] = [];
  #pendingAt = 0;
  #stepStartMs: number;
  #trades = 0;

  constructor(options: TradeGeneratorOptions) {
    const { universe, seed } = options;
    if (universe.length === 0 || universe.length > cryptoLimits.marketsMax)
      throw new RangeError(
        `A trade generator needs 1..${cryptoLimits.marketsMax} markets, got ${universe.length}`,
      );
    if (!(options.tradesPerSecond > 0 && options.tradesPerSecond <= cryptoLimits.tradesPerSecondMax))
      throw new RangeError(
        `tradesPerSecond must be in (0, ${cryptoLimits.tradesPerSecondMax}], got ${options.tradesPerSecond}`,
      );
    if (!Number.isFinite(options.startMs))
      throw new RangeError(`startMs must be finite, got ${options.startMs}`);
    const shard = options.shard ?? { index: 0, count: 1 };
    if (!(Number.isInteger(shard.count) && shard.count >= 1 && shard.index >= 0 && shard.index < shard.count))
      throw new RangeError(`Invalid shard ${shard.index} of ${shard.count}`);
    this.#universe = universe;
    this.#shardIndex = shard.index;
    this.#shardCount = shard.count;
    this.#spikeOptions = resolveSpikeOptions(options.spikes);
    this.#random = new SeededRandom(seed * 1_000_003 + shard.index);
    this.#schedule = new SpikeSchedule(universe, seed, options.startMs, this.#spikeOptions);
    this.#markets = universe.map((_, i) => i).filter((i) => i % shard.count === shard.index);
    const weights = this.#markets.map((i) => universe[i]?.liquidity ?? 0);
    const shardShare = weights.reduce((a, b) => a + b, 0);
    this.#alias = this.#markets.length === 0 ? null : new AliasTable(weights);
    this.#ratePerMs = (options.tradesPerSecond * shardShare) / 1000;
    const n = universe.length;
    this.#logMid = new Float64Array(n);
    this.#lastMs = new Float64Array(n).fill(options.startMs);
    this.#tradeCount = new Float64Array(n);
    this.#sigmaPerSqrtMs = new Float64Array(n);
    this.#halfSpread = new Float64Array(n);
    this.#lotBase = new Float64Array(n);
    this.#marketRatePerMs = new Float64Array(n);
    universe.forEach((m, i) => {
      this.#logMid[i] = Math.log(m.price);
      this.#sigmaPerSqrtMs[i] = sigmaOver(m.volatility, 1);
      // Spreads widen with volatility: half a second's worth of typical movement, at least 0.5 bp.
      this.#halfSpread[i] = Math.max(0.00005, 0.4 * sigmaOver(m.volatility, 5_000));
      // Sizes: Pareto from a $25 lot, in base currency.
      this.#lotBase[i] = 25 / (m.price * quoteUsdPrice(m.quote));
      this.#marketRatePerMs[i] = (options.tradesPerSecond * m.liquidity) / 1000;
    });
    this.#stepStartMs = options.startMs;
  }

  /** Simulated time up to which trades have been drawn. */
  get timeMs(): number {
    return this.#stepStartMs;
  }

  /** Trades handed out so far. */
  get trades(): number {
    return this.#trades;
  }

  /**
   * Appends up to `recordsMax` trades with timestamps before `untilMs` to `out`, in time order;
   * returns how many. Fewer than asked means the generator has reached `untilMs`.
   */
  take(out: Trade[], recordsMax: number, untilMs: number): number {
    let n = 0;
    while (n < recordsMax) {
      if (this.#pendingAt === this.#pending.length) {
        if (this.#stepStartMs + cryptoLimits.generatorStepMs > untilMs) break;
        this.#step();
        continue;
      }
      const trade = this.#pending[this.#pendingAt] as Trade;
      if (trade.timestampMs >= untilMs) break;
      out.push(trade);
      this.#pendingAt++;
      n++;
    }
    this.#trades += n;
    return n;
  }

  /** The spikes injected into this generator's markets since the last call (ground truth). */
  drainInjectedSpikes(): InjectedSpike[] {
    return this.#injected.splice(0, this.#injected.length);
  }

  #step(): void {
    const startMs = this.#stepStartMs;
    const endMs = startMs + cryptoLimits.generatorStepMs;
    this.#stepStartMs = endMs;
    const draws: Draw[] = [];
    for (const spike of this.#schedule.until(endMs)) {
      if (spike.marketIndex % this.#shardCount !== this.#shardIndex) continue;
      const o = this.#spikeOptions;
      const usual = this.#marketRatePerMs[spike.marketIndex] ?? 0;
      const burstRatePerMs = Math.max(o.burstTradesPerSecondMin / 1000, o.burstRateFactor * usual);
      this.#active.set(spike.marketIndex, {
        spike,
        burstEndMs: spike.timestampMs + o.burstMs,
        burstRatePerMs,
      });
      if (this.#injected.length >= cryptoLimits.recentSpikesMax) this.#injected.shift();
      this.#injected.push(spike);
      // The jump shows in a trade at exactly the spike's time, so its bar is known.
      draws.push({ timeMs: spike.timestampMs, market: spike.marketIndex, burst: true });
    }
    const alias = this.#alias;
    if (alias !== null) {
      const count = Math.min(
        this.#random.poisson(this.#ratePerMs * (endMs - startMs)),
        cryptoLimits.stepTradesMax,
      );
      for (let i = 0; i < count; i++) {
        const market = this.#markets[alias.draw(this.#random)] ?? 0;
        draws.push({
          timeMs: Math.floor(startMs + this.#random.next() * (endMs - startMs)),
          market,
          burst: false,
        });
      }
    }
    for (const [market, active] of this.#active) {
      const from = Math.max(startMs, active.spike.timestampMs);
      const to = Math.min(endMs, active.burstEndMs);
      if (to <= from) continue;
      const count = this.#random.poisson(active.burstRatePerMs * (to - from));
      for (let i = 0; i < count; i++)
        draws.push({ timeMs: Math.floor(from + this.#random.next() * (to - from)), market, burst: true });
    }
    draws.sort((a, b) => a.timeMs - b.timeMs);
    const trades: Trade[] = [];
    for (const draw of draws) trades.push(this.#trade(draw));
    this.#pending = trades;
    this.#pendingAt = 0;
  }

  /** The open spike's part of a market's log mid at `timeMs`; folds finished spikes into the walk. */
  #spikeOffset(market: number, timeMs: number): { offset: number; direction: 'up' | 'down' | null } {
    const active = this.#active.get(market);
    if (active === undefined || timeMs < active.spike.timestampMs) return { offset: 0, direction: null };
    const o = this.#spikeOptions;
    const sinceBurstEnd = timeMs - active.burstEndMs;
    const given = o.reversionFraction * Math.min(1, Math.max(0, sinceBurstEnd / o.reversionMs));
    const offset = active.spike.jumpLog * (1 - given);
    if (sinceBurstEnd >= o.reversionMs) {
      this.#logMid[market] = (this.#logMid[market] ?? 0) + offset;
      this.#active.delete(market);
      return { offset: 0, direction: null };
    }
    return { offset, direction: timeMs < active.burstEndMs ? active.spike.direction : null };
  }

  #trade(draw: Draw): Trade {
    const m = draw.market;
    const spec = this.#universe[m] as MarketSpec;
    const dtMs = Math.max(0, draw.timeMs - (this.#lastMs[m] ?? draw.timeMs));
    this.#lastMs[m] = draw.timeMs;
    // The spike first: a finished one is folded into the walk before the walk steps on.
    const { offset, direction } = this.#spikeOffset(m, draw.timeMs);
    const walk =
      (this.#logMid[m] ?? 0) + (this.#sigmaPerSqrtMs[m] ?? 0) * Math.sqrt(dtMs) * this.#random.normal();
    this.#logMid[m] = walk;
    // During a burst most takers chase the move.
    const buyShare = direction === 'up' ? 0.8 : direction === 'down' ? 0.2 : 0.5;
    const side = this.#random.next() < buyShare ? 'buy' : 'sell';
    const halfSpread = this.#halfSpread[m] ?? 0;
    const price = Math.exp(walk + offset + (side === 'buy' ? halfSpread : -halfSpread));
    const sizeFactor = draw.burst ? this.#spikeOptions.burstSizeFactor : 1;
    const amount = this.#random.pareto(this.#lotBase[m] ?? 1, 1.5) * sizeFactor;
    const count = (this.#tradeCount[m] ?? 0) + 1;
    this.#tradeCount[m] = count;
    return {
      exchange: spec.exchange,
      market: spec.market,
      price: significant(price, 8),
      amount: significant(amount, 6),
      side,
      tradeId: String(count),
      timestampMs: draw.timeMs,
    };
  }
}

/** Every spike a generator with these options injects before `untilMs` (all shards together). */
export function injectedSpikes(options: TradeGeneratorOptions, untilMs: number): InjectedSpike[] {
  const schedule = new SpikeSchedule(
    options.universe,
    options.seed,
    options.startMs,
    resolveSpikeOptions(options.spikes),
  );
  return schedule.until(untilMs);
}
