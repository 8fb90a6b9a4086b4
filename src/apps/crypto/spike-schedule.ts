// When and where the simulator injects price spikes: a seeded Poisson process over the whole
// universe, independent of the trades, so the ground truth is known without generating a single
// trade and is the same however the trades are split over source partitions.
import { cryptoLimits } from './limits.ts';
import { SeededRandom } from './random.ts';
import { marketId } from './records.ts';
import type { MarketSpec } from './universe.ts';

export interface SpikeOptions {
  /** Spikes per minute over the whole universe. */
  readonly perMinute: number;
  /** No spikes before startMs + firstAfterMs: the detector's volatility estimates warm up. */
  readonly firstAfterMs: number;
  /** Jump size in standard deviations of the market's log return over jumpHorizonMs. */
  readonly jumpSigmaMin: number;
  readonly jumpSigmaMax: number;
  readonly jumpHorizonMs: number;
  /** Length of the burst of extra trades after the jump. */
  readonly burstMs: number;
  /** Extra trades per second during the burst: the larger of this and burstRateFactor x the usual rate. */
  readonly burstTradesPerSecondMin: number;
  readonly burstRateFactor: number;
  /** Burst trades are this many times larger than usual. */
  readonly burstSizeFactor: number;
  /** Share of the jump given back (linearly over reversionMs, starting when the burst ends). */
  readonly reversionFraction: number;
  readonly reversionMs: number;
  /** Least time between two spikes of one market, so each spike is scored on its own. */
  readonly marketGapMs: number;
}

export const defaultSpikeOptions: SpikeOptions = {
  perMinute: 30,
  firstAfterMs: 60_000,
  jumpSigmaMin: 3,
  jumpSigmaMax: 8,
  jumpHorizonMs: 60_000,
  burstMs: 2_000,
  burstTradesPerSecondMin: 3,
  burstRateFactor: 6,
  burstSizeFactor: 3,
  reversionFraction: 0.5,
  reversionMs: 20_000,
  marketGapMs: 120_000,
};

/** The ground truth of one injected spike. */
export interface InjectedSpike {
  /** Index of the market in its universe. */
  readonly marketIndex: number;
  readonly exchange: string;
  readonly market: string;
  /** `exchange:market`, the records' key. */
  readonly marketId: string;
  /** When the jump happens (a burst trade at exactly this time carries it). */
  readonly timestampMs: number;
  readonly direction: 'up' | 'down';
  readonly jumpSigma: number;
  /** The jump in log-price units (signed). */
  readonly jumpLog: number;
}

export function resolveSpikeOptions(options: Partial<SpikeOptions> = {}): SpikeOptions {
  const resolved = { ...defaultSpikeOptions, ...options };
  const checks: [keyof SpikeOptions, boolean][] = [
    ['perMinute', resolved.perMinute >= 0 && resolved.perMinute <= cryptoLimits.spikesPerMinuteMax],
    ['firstAfterMs', resolved.firstAfterMs >= 0],
    ['jumpSigmaMin', resolved.jumpSigmaMin > 0],
    ['jumpSigmaMax', resolved.jumpSigmaMax >= resolved.jumpSigmaMin],
    ['jumpHorizonMs', resolved.jumpHorizonMs > 0],
    ['burstMs', resolved.burstMs > 0],
    ['burstTradesPerSecondMin', resolved.burstTradesPerSecondMin >= 0],
    ['burstRateFactor', resolved.burstRateFactor >= 0],
    ['burstSizeFactor', resolved.burstSizeFactor > 0],
    ['reversionFraction', resolved.reversionFraction >= 0 && resolved.reversionFraction <= 1],
    ['reversionMs', resolved.reversionMs > 0],
    ['marketGapMs', resolved.marketGapMs >= resolved.burstMs + resolved.reversionMs],
  ];
  for (const [name, ok] of checks) {
    if (!(ok && Number.isFinite(resolved[name])))
      throw new RangeError(`Invalid spike option ${name}: ${resolved[name]}`);
  }
  return resolved;
}

/** Annualized volatility to the standard deviation of log returns over `ms`. */
export function sigmaOver(volatility: number, ms: number): number {
  return volatility * Math.sqrt(ms / (365 * 24 * 3600 * 1000));
}

/**
 * The spikes of a universe in time order, drawn lazily: `until(t)` returns every spike before t
 * not returned yet. Deterministic from the seed.
 */
export class SpikeSchedule {
  readonly #universe: readonly MarketSpec[];
  readonly #options: SpikeOptions;
  readonly #random: SeededRandom;
  readonly #lastSpikeMs: Float64Array;
  #nextMs: number;

  constructor(universe: readonly MarketSpec[], seed: number, startMs: number, options: SpikeOptions) {
    this.#universe = universe;
    this.#options = options;
    // A seed of its own, so the same spikes come whatever the trade flow draws.
    this.#random = new SeededRandom(seed ^ 0x5b1ce);
    this.#lastSpikeMs = new Float64Array(universe.length).fill(Number.NEGATIVE_INFINITY);
    this.#nextMs = startMs + options.firstAfterMs + this.#gapMs();
  }

  #gapMs(): number {
    if (this.#options.perMinute === 0) return Number.POSITIVE_INFINITY;
    return this.#random.exponential(60_000 / this.#options.perMinute);
  }

  until(untilMs: number): InjectedSpike[] {
    const out: InjectedSpike[] = [];
    while (this.#nextMs < untilMs) {
      const at = Math.floor(this.#nextMs);
      this.#nextMs += this.#gapMs();
      // A market that spiked recently is skipped; a few draws find another one.
      for (let attempt = 0; attempt < 8; attempt++) {
        const index = this.#random.int(this.#universe.length);
        const spec = this.#universe[index];
        if (spec === undefined || at - (this.#lastSpikeMs[index] ?? 0) < this.#options.marketGapMs) continue;
        this.#lastSpikeMs[index] = at;
        const direction = this.#random.next() < 0.5 ? 'up' : 'down';
        const jumpSigma = this.#random.uniform(this.#options.jumpSigmaMin, this.#options.jumpSigmaMax);
        const size = jumpSigma * sigmaOver(spec.volatility, this.#options.jumpHorizonMs);
        out.push({
          marketIndex: index,
          exchange: spec.exchange,
          market: spec.market,
          marketId: marketId(spec.exchange, spec.market),
          timestampMs: at,
          direction,
          jumpSigma,
          jumpLog: direction === 'up' ? size : -size,
        });
        break;
      }
    }
    return out;
  }
}
