// The keyed process step after the bar window: per market it remembers volatility and volume
// (features.ts), turns each bar into a scored bar and asks the model for a probability. Without
// a model (feature extraction for training) every probability is 0 and nothing is flagged.
import { defineProcess, valueState } from '../../engine/operators/process-function.ts';
import type { Windowed } from '../../engine/operators/windowed.ts';
import type { BarTotals } from './bar-aggregator.ts';
import {
  barFeatures,
  type FeatureOptions,
  type FeatureVector,
  type MarketMemory,
  rememberBar,
} from './features.ts';
import type { Bar, ScoredBar, Spike } from './records.ts';
import type { SpikeModel } from './spike-model.ts';

/** A scored bar with the full feature vector (training reads it; the job strips it). */
export interface FeaturedBar extends ScoredBar {
  readonly features: FeatureVector;
  readonly warm: boolean;
}

export function toBar(w: Windowed<string, BarTotals>): Bar {
  const t = w.result;
  return {
    exchange: t.exchange,
    market: t.market,
    windowStartMs: w.windowStartMs,
    windowEndMs: w.windowEndMs,
    open: t.open,
    high: t.high,
    low: t.low,
    close: t.close,
    volume: t.volume,
    trades: t.trades,
    vwap: t.volume > 0 ? t.notional / t.volume : t.close,
  };
}

export function scoreBars(model: SpikeModel | null, options: FeatureOptions) {
  return defineProcess<string, Windowed<string, BarTotals>, FeaturedBar>()({
    state: { memory: valueState<MarketMemory>() },
    processRecord(windowed, _record, ctx) {
      const bar = toBar(windowed);
      const memory = ctx.state.memory.get() ?? null;
      const f = barFeatures(bar, memory, options);
      ctx.state.memory.set(rememberBar(bar, memory, options));
      const probability = model === null ? 0 : model.predictProbability(f.vector);
      // Fields spelled out: object spread is many times slower here, and this runs once per bar.
      ctx.emit({
        exchange: bar.exchange,
        market: bar.market,
        windowStartMs: bar.windowStartMs,
        windowEndMs: bar.windowEndMs,
        open: bar.open,
        high: bar.high,
        low: bar.low,
        close: bar.close,
        volume: bar.volume,
        trades: bar.trades,
        vwap: bar.vwap,
        returnPct: f.returnPct,
        zScore: f.zScore,
        volumeRatio: f.volumeRatio,
        probability,
        spike: f.warm && model?.isSpike(probability) === true,
        features: f.vector,
        warm: f.warm,
      });
    },
  });
}

/** The contract's ScoredBar (without the feature vector). */
export function scoredBar(bar: FeaturedBar): ScoredBar {
  return {
    exchange: bar.exchange,
    market: bar.market,
    windowStartMs: bar.windowStartMs,
    windowEndMs: bar.windowEndMs,
    open: bar.open,
    high: bar.high,
    low: bar.low,
    close: bar.close,
    volume: bar.volume,
    trades: bar.trades,
    vwap: bar.vwap,
    returnPct: bar.returnPct,
    zScore: bar.zScore,
    volumeRatio: bar.volumeRatio,
    probability: bar.probability,
    spike: bar.spike,
  };
}

/** A flagged bar as an alert: its direction is the sign of its return. */
export function toSpike(bar: FeaturedBar): Spike {
  const scored = scoredBar(bar);
  return { ...scored, direction: bar.returnPct >= 0 ? 'up' : 'down' };
}
