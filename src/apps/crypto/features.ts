// The features of a bar, from the bar and what the detector remembers of its market: an
// exponentially weighted variance of per-bar log returns and EWMAs of volume and trade count
// per bar window. Empty windows (no trades, so no bar) count as zero volume and stretch the
// expected variance of the next return by the number of windows it spans. Pure functions: the
// process operator keeps the state, training and tests call the same code.
import type { Bar } from './records.ts';

export interface MarketMemory {
  /** Bars seen, and how many of them fed the variance (a market's first bar has no return). */
  readonly bars: number;
  readonly returns: number;
  readonly lastClose: number;
  readonly lastWindowStartMs: number;
  /** EWMA of squared log returns per bar window. */
  readonly variance: number;
  /** EWMAs of volume and trades per bar window, empty windows included. */
  readonly volume: number;
  readonly trades: number;
}

export interface FeatureOptions {
  readonly barMs: number;
  /** Half-life of the EWMAs in bar windows. */
  readonly halfLifeBars: number;
  /** Returns a market needs before its bars are scored (its variance means something). */
  readonly warmupReturns: number;
}

export const defaultFeatureOptions: Omit<FeatureOptions, 'barMs'> = { halfLifeBars: 24, warmupReturns: 6 };

/** The model's inputs, in order. */
export const featureNames = ['absZScore', 'logVolumeRatio', 'logTradeRatio', 'rangeZ', 'closeVwapZ'] as const;
export type FeatureName = (typeof featureNames)[number];
export type FeatureVector = Readonly<Record<FeatureName, number>>;

export interface BarFeatures {
  readonly returnPct: number;
  readonly zScore: number;
  readonly volumeRatio: number;
  /** True once the market is past its warm-up: only then may a bar be flagged. */
  readonly warm: boolean;
  readonly vector: FeatureVector;
}

/** No market's volatility is taken as less than this per bar (a stablecoin pair's quiet book). */
const sigmaFloor = 1e-6;
/** Squared z-scores are capped here when they update the variance, so a spike does not mask the next. */
const zSquaredUpdateMax = 16;
const featureAbsMax = 50;

function clip(value: number, max: number): number {
  if (Number.isNaN(value)) return 0;
  return Math.max(-max, Math.min(max, value));
}

function decay(options: FeatureOptions): number {
  return 2 ** (-1 / options.halfLifeBars);
}

/** The features of `bar` given its market's memory (null for the market's first bar). */
export function barFeatures(bar: Bar, memory: MarketMemory | null, options: FeatureOptions): BarFeatures {
  const logRange = Math.log(bar.high / bar.low);
  if (memory === null) {
    const vector: FeatureVector = {
      absZScore: 0,
      logVolumeRatio: 0,
      logTradeRatio: 0,
      rangeZ: 0,
      closeVwapZ: 0,
    };
    return { returnPct: 0, zScore: 0, volumeRatio: 1, warm: false, vector };
  }
  const gap = Math.max(1, Math.round((bar.windowStartMs - memory.lastWindowStartMs) / options.barMs));
  const keep = decay(options) ** (gap - 1);
  const expectedVolume = memory.volume * keep;
  const expectedTrades = memory.trades * keep;
  const logReturn = Math.log(bar.close / memory.lastClose);
  const sigma = Math.max(Math.sqrt(memory.variance), sigmaFloor);
  const zScore = memory.returns === 0 ? 0 : clip(logReturn / (sigma * Math.sqrt(gap)), featureAbsMax);
  const volumeRatio = bar.volume / Math.max(expectedVolume, Number.MIN_VALUE);
  const vector: FeatureVector = {
    absZScore: Math.abs(zScore),
    logVolumeRatio: clip(Math.log((bar.volume + 1e-12) / (expectedVolume + 1e-12)), 10),
    logTradeRatio: clip(Math.log(bar.trades / (expectedTrades + 0.05)), 10),
    rangeZ: memory.returns === 0 ? 0 : clip(logRange / sigma, featureAbsMax),
    closeVwapZ:
      memory.returns === 0 ? 0 : clip(Math.abs(Math.log(bar.close / bar.vwap)) / sigma, featureAbsMax),
  };
  return {
    returnPct: bar.close / memory.lastClose - 1,
    zScore,
    volumeRatio: Number.isFinite(volumeRatio) ? volumeRatio : 0,
    warm: memory.returns >= options.warmupReturns,
    vector,
  };
}

/** The market's memory after `bar`. */
export function rememberBar(bar: Bar, memory: MarketMemory | null, options: FeatureOptions): MarketMemory {
  if (memory === null) {
    return {
      bars: 1,
      returns: 0,
      lastClose: bar.close,
      lastWindowStartMs: bar.windowStartMs,
      variance: 0,
      volume: bar.volume,
      trades: bar.trades,
    };
  }
  const d = decay(options);
  const gap = Math.max(1, Math.round((bar.windowStartMs - memory.lastWindowStartMs) / options.barMs));
  const keep = d ** gap;
  const perWindow = Math.log(bar.close / memory.lastClose) ** 2 / gap;
  let variance: number;
  if (memory.returns < options.warmupReturns) {
    // Warm-up: a plain mean of the first returns, so one early return does not set the scale.
    variance = (memory.variance * memory.returns + perWindow) / (memory.returns + 1);
  } else {
    const capped = Math.min(perWindow, zSquaredUpdateMax * Math.max(memory.variance, sigmaFloor ** 2));
    variance = d * memory.variance + (1 - d) * capped;
  }
  return {
    bars: memory.bars + 1,
    returns: memory.returns + 1,
    lastClose: bar.close,
    lastWindowStartMs: bar.windowStartMs,
    variance,
    volume: keep * memory.volume + (1 - d) * bar.volume,
    trades: keep * memory.trades + (1 - d) * bar.trades,
  };
}

export function featureArray(vector: FeatureVector): number[] {
  return featureNames.map((name) => vector[name]);
}
