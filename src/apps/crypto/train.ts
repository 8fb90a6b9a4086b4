// Training as a batch run of the same engine pipeline the streaming job runs: bounded trades
// (generated, a JSON-lines file, or a bounded topic) → bars and features (spike-pipeline.ts, no
// model) → labels (labels.ts) → a split by time (the first trainShare of the span trains, the
// rest validates, as a model deployed today meets tomorrow's data) → the regression
// (spike-model.ts). Only warm bars (markets past their volatility warm-up) are examples, as only
// they can be flagged by the job.

import { JsonlFileSource } from '../../connectors/file/jsonl-source.ts';
import { type LogOption, resolveLog } from '../../connectors/resolve-log.ts';
import { CollectSink } from '../../engine/connector/collect-sink.ts';
import type { Source } from '../../engine/connector/source.ts';
import { topicSource } from '../../engine/connector/topic-source.ts';
import { Job } from '../../engine/dsl/job.ts';
import { runJob } from '../../engine/run-job.ts';
import { json } from '../../engine/serde/serdes.ts';
import { CountingSink } from './counting-sink.ts';
import { CountingSource } from './counting-source.ts';
import { defaultFeatureOptions, type FeatureOptions } from './features.ts';
import { TradeGeneratorSource, type TradeSourceOptions } from './generator-source.ts';
import { labelsFromGroundTruth, labelsFromRealizedMoves } from './labels.ts';
import { cryptoLimits } from './limits.ts';
import { marketId, type Spike, type Trade } from './records.ts';
import { type FeaturedBar, toSpike } from './score-bars.ts';
import { type MatchReport, matchSpikes } from './spike-matching.ts';
import {
  type DetectionMetrics,
  type LabeledExample,
  type SpikeModel,
  trainSpikeModel,
} from './spike-model.ts';
import { detectSpikes } from './spike-pipeline.ts';
import type { InjectedSpike } from './spike-schedule.ts';
import { injectedSpikes } from './trade-generator.ts';
import { marketUniverse } from './universe.ts';

export type TrainingInput =
  | { readonly kind: 'generator'; readonly generator: TradeSourceOptions }
  | { readonly kind: 'jsonl'; readonly path: string }
  | { readonly kind: 'topic'; readonly topic: string; readonly log: LogOption };

export interface TrainingProgress {
  readonly phase: 'reading' | 'fitting' | 'done';
  readonly records: number;
  /** Expected records when known (an estimate for generated data). */
  readonly recordsTotal: number | null;
}

export interface TrainingOptions {
  readonly barMs?: number;
  readonly featureOptions?: Omit<FeatureOptions, 'barMs'>;
  /** Share of the time span used for training; the rest validates. Default 0.7. */
  readonly trainShare?: number;
  readonly numSteps?: number;
  readonly learningRate?: number;
  readonly seed?: number;
  readonly outOfOrdernessMs?: number;
  readonly onProgress?: (progress: TrainingProgress) => void;
}

export interface TrainingReport {
  readonly model: SpikeModel;
  readonly bars: number;
  readonly trades: number;
  readonly lateTrades: number;
  /** Injected spikes (generated data) or bars the realized-move rule labeled (real data). */
  readonly labeledSpikes: number;
  readonly train: DetectionMetrics;
  readonly validation: DetectionMetrics;
  readonly elapsedMs: number;
}

export const defaultBarMs = 5_000;

/** Every bar's features over a bounded input, computed by the engine (no model). */
export async function extractBars(
  input: TrainingInput,
  options: Pick<TrainingOptions, 'barMs' | 'featureOptions' | 'outOfOrdernessMs' | 'onProgress'> = {},
): Promise<{ bars: FeaturedBar[]; trades: number; lateTrades: number }> {
  const barMs = options.barMs ?? defaultBarMs;
  let trades = 0;
  let lastReportMs = 0;
  const total = await expectedRecords(input);
  const source = new CountingSource<unknown, Trade>(tradeSource(input), (n) => {
    trades += n;
    const now = Date.now();
    if (now - lastReportMs >= 100) {
      lastReportMs = now;
      options.onProgress?.({ phase: 'reading', records: trades, recordsTotal: total });
    }
  });
  const job = new Job('crypto-train');
  const streams = detectSpikes(job, source, null, {
    barMs,
    ...(options.featureOptions ?? defaultFeatureOptions),
    outOfOrdernessMs: options.outOfOrdernessMs ?? 0,
    // Bounded input is read as fast as possible: no partition is ever idle in wall-clock terms.
    idleTimeoutMs: Number.POSITIVE_INFINITY,
  });
  const collected = new CollectSink<string, FeaturedBar>('crypto-train-bars', cryptoLimits.trainingBarsMax);
  const late = new CountingSink<string, Trade>('crypto-train-late');
  streams.bars.to(collected);
  streams.late.to(late);
  await runJob(job, input.kind === 'topic' ? { log: input.log } : {});
  options.onProgress?.({ phase: 'reading', records: trades, recordsTotal: trades });
  return { bars: collected.values(), trades, lateTrades: late.count };
}

function tradeSource(input: TrainingInput): Source<unknown, Trade> {
  switch (input.kind) {
    case 'generator':
      return new TradeGeneratorSource(input.generator);
    case 'jsonl':
      return new JsonlFileSource<Trade>(input.path, { timestamp: (t) => t.timestampMs });
    case 'topic':
      return topicSource<string, Trade>(input.topic, { serde: json(), bounded: true, startAt: 'earliest' });
  }
}

/** Records the input will yield: an estimate for generated data, the end offsets of a topic. */
async function expectedRecords(input: TrainingInput): Promise<number | null> {
  if (input.kind === 'generator') {
    const g = input.generator;
    return Math.round((g.tradesPerSecond * (g.spanMs ?? 0)) / 1000);
  }
  if (input.kind === 'jsonl') return null;
  const { log, owned } = resolveLog(input.log);
  try {
    let total = 0;
    for (let p = 0; p < (await log.partitionCount(input.topic)); p++)
      total += await log.endOffset(input.topic, p, true);
    return total;
  } finally {
    if (owned) await log.close();
  }
}

/** The injected spikes of a generated input, all partitions together. */
export function groundTruth(generator: TradeSourceOptions): InjectedSpike[] {
  const startMs = generator.startMs ?? 0;
  return injectedSpikes(
    {
      universe: marketUniverse(generator.universe),
      seed: generator.seed,
      startMs,
      tradesPerSecond: generator.tradesPerSecond,
      ...(generator.spikes === undefined ? {} : { spikes: generator.spikes }),
    },
    startMs + (generator.spanMs ?? 0),
  );
}

/** Splits examples by bar time: bars starting before the cut train, the rest validate. */
export function splitByTime(
  bars: readonly FeaturedBar[],
  labels: readonly boolean[],
  trainShare: number,
): { train: LabeledExample[]; validation: LabeledExample[] } {
  if (!(trainShare > 0 && trainShare < 1))
    throw new RangeError(`trainShare must be in (0, 1), got ${trainShare}`);
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const b of bars) {
    first = Math.min(first, b.windowStartMs);
    last = Math.max(last, b.windowStartMs);
  }
  const cut = first + (last - first) * trainShare;
  const train: LabeledExample[] = [];
  const validation: LabeledExample[] = [];
  bars.forEach((bar, i) => {
    if (!bar.warm) return;
    const example = { features: bar.features, spike: labels[i] === true };
    (bar.windowStartMs < cut ? train : validation).push(example);
  });
  return { train, validation };
}

/** Trains a spike model over a bounded input; see the file comment for the steps. */
export async function trainFromInput(
  input: TrainingInput,
  options: TrainingOptions = {},
): Promise<TrainingReport> {
  const started = Date.now();
  const barMs = options.barMs ?? defaultBarMs;
  const featureOptions = options.featureOptions ?? defaultFeatureOptions;
  const { bars, trades, lateTrades } = await extractBars(input, options);
  const truth = input.kind === 'generator' ? groundTruth(input.generator) : null;
  const labels = truth === null ? labelsFromRealizedMoves(bars) : labelsFromGroundTruth(bars, truth);
  options.onProgress?.({ phase: 'fitting', records: trades, recordsTotal: trades });
  const { train, validation } = splitByTime(bars, labels, options.trainShare ?? 0.7);
  const description =
    input.kind === 'generator'
      ? `generated: seed ${input.generator.seed}, ${input.generator.tradesPerSecond} trades/s over ${input.generator.spanMs} ms`
      : input.kind === 'jsonl'
        ? `trades from ${input.path}`
        : `trades from topic ${input.topic}`;
  const model = trainSpikeModel(train, validation, {
    barMs,
    featureOptions,
    description,
    ...(options.numSteps === undefined ? {} : { numSteps: options.numSteps }),
    ...(options.learningRate === undefined ? {} : { learningRate: options.learningRate }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  });
  options.onProgress?.({ phase: 'done', records: trades, recordsTotal: trades });
  return {
    model,
    bars: bars.length,
    trades,
    lateTrades,
    labeledSpikes: truth === null ? labels.filter(Boolean).length : truth.length,
    train: model.file.training.train,
    validation: model.file.training.validation,
    elapsedMs: Date.now() - started,
  };
}

/** The generated data the checked-in default model is trained on. */
export const defaultTrainingData: TradeSourceOptions = {
  partitions: 1,
  seed: 1,
  tradesPerSecond: 800,
  startMs: 1_700_000_000_000,
  spanMs: 10 * 60_000,
  spikes: { perMinute: 40 },
};

/** Trains on generated trades (default: the default model's data). */
export function trainFromGenerator(
  generator: Partial<TradeSourceOptions> = {},
  options: TrainingOptions = {},
): Promise<TrainingReport> {
  return trainFromInput({ kind: 'generator', generator: { ...defaultTrainingData, ...generator } }, options);
}

export interface EvaluationReport {
  readonly bars: number;
  readonly trades: number;
  readonly detected: readonly Spike[];
  /** Every injected spike, and those the detector could flag: their bar was past warm-up. */
  readonly injected: readonly InjectedSpike[];
  readonly eligible: readonly InjectedSpike[];
  /** Detections against the eligible spikes. */
  readonly match: MatchReport;
}

/**
 * Runs `model` over generated trades (a batch run of the detection pipeline) and scores the
 * spikes it flags against the generator's ground truth (spike-matching.ts). A spike in a market
 * still warming up (too few bars for a volatility estimate) cannot be flagged by design; recall
 * counts the others, and the report keeps both numbers.
 */
export async function evaluateOnGenerator(
  generator: TradeSourceOptions,
  model: SpikeModel,
  options: Pick<TrainingOptions, 'barMs'> = {},
): Promise<EvaluationReport> {
  let trades = 0;
  const source = new CountingSource<string, Trade>(new TradeGeneratorSource(generator), (n) => {
    trades += n;
  });
  const job = new Job('crypto-evaluate');
  const streams = detectSpikes(job, source, model, {
    barMs: options.barMs ?? model.file.barMs,
    ...model.file.featureOptions,
    outOfOrdernessMs: 0,
    idleTimeoutMs: Number.POSITIVE_INFINITY,
  });
  const collected = new CollectSink<string, FeaturedBar>(
    'crypto-evaluate-bars',
    cryptoLimits.trainingBarsMax,
  );
  streams.bars.to(collected);
  await runJob(job);
  const bars = collected.values();
  const detected = bars.filter((b) => b.spike).map((b) => toSpike(b));
  const injected = groundTruth(generator);
  const warmBars = new Set(
    bars.filter((b) => b.warm).map((b) => `${marketId(b.exchange, b.market)}@${b.windowStartMs}`),
  );
  const barMs = options.barMs ?? model.file.barMs;
  const eligible = injected.filter((s) =>
    warmBars.has(`${s.marketId}@${Math.floor(s.timestampMs / barMs) * barMs}`),
  );
  return { bars: bars.length, trades, detected, injected, eligible, match: matchSpikes(detected, eligible) };
}
