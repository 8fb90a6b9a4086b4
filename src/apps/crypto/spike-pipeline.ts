// The detection pipeline in the DSL, shared by the streaming job and training: trades keyed by
// market id, a tumbling window of barMs aggregating OHLCV, then the keyed scoring step. Trades
// that arrive after their bar has closed go to the `late` side output instead of vanishing.

import type { Source } from '../../engine/connector/source.ts';
import type { Job } from '../../engine/dsl/job.ts';
import type { KeyedStream, Stream } from '../../engine/dsl/stream.ts';
import { OutputTag } from '../../engine/operators/output-tag.ts';
import { tumbling } from '../../engine/time/windows.ts';
import { barAggregator } from './bar-aggregator.ts';
import type { FeatureOptions } from './features.ts';
import { cryptoLimits } from './limits.ts';
import { marketId, type Trade } from './records.ts';
import { type FeaturedBar, scoreBars } from './score-bars.ts';
import type { SpikeModel } from './spike-model.ts';

export const lateTrades = new OutputTag<Trade>('late-trades');

export interface PipelineOptions extends FeatureOptions {
  /** How far out of order trades may arrive and still count (the watermark's lag). */
  readonly outOfOrdernessMs: number;
  /** A source partition without trades this long stops holding the watermark back. */
  readonly idleTimeoutMs: number;
}

export interface DetectionStreams {
  readonly bars: KeyedStream<string, FeaturedBar>;
  readonly late: Stream<string, Trade>;
}

export function checkBarMs(barMs: number): void {
  if (!(Number.isSafeInteger(barMs) && barMs >= cryptoLimits.barMsMin && barMs <= cryptoLimits.barMsMax))
    throw new RangeError(
      `barMs must be an integer in ${cryptoLimits.barMsMin}..${cryptoLimits.barMsMax}, got ${barMs}`,
    );
}

/** Reads trades from `source` (event time = trade time) and scores bars with `model`. */
export function detectSpikes<K>(
  job: Job,
  source: Source<K, Trade>,
  model: SpikeModel | null,
  options: PipelineOptions,
): DetectionStreams {
  checkBarMs(options.barMs);
  const trades = job.source(source, {
    timestamp: (t) => t.timestampMs,
    watermark: { outOfOrdernessMs: options.outOfOrdernessMs, idleTimeoutMs: options.idleTimeoutMs },
  });
  const windows = trades
    .keyBy((t) => marketId(t.exchange, t.market))
    .window(tumbling(options.barMs))
    .lateDataTo(lateTrades)
    .aggregate(barAggregator());
  return { bars: windows.process(scoreBars(model, options)), late: windows.sideOutput(lateTrades) };
}
