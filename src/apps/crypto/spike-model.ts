// The spike detector: logistic regression on standardized bar features. Fitting uses
// ml-logistic-regression (batch gradient ascent, no intercept of its own, so a column of ones
// carries it); scoring applies the fitted weights directly (the same sigmoid the library
// computes, without building a matrix per bar). Spikes are rare, so negatives are subsampled
// before fitting and the intercept corrected by the log of the sampling rate (King & Zeng's
// prior correction), which keeps probabilities calibrated to the real base rate. The decision
// threshold is the one maximizing F1 on a validation split. Models are saved as versioned JSON.
import { readFileSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import LogisticRegression from 'ml-logistic-regression';
import { Matrix } from 'ml-matrix';
import {
  defaultFeatureOptions,
  type FeatureName,
  type FeatureOptions,
  type FeatureVector,
  featureArray,
  featureNames,
} from './features.ts';
import { cryptoLimits } from './limits.ts';
import { SeededRandom } from './random.ts';

export const spikeModelFormat = 'sluice-crypto-spike-model';
export const spikeModelVersion = 1;

export interface LabeledExample {
  readonly features: FeatureVector;
  readonly spike: boolean;
}

export interface DetectionMetrics {
  readonly examples: number;
  readonly positives: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

export interface SpikeModelFile {
  readonly format: typeof spikeModelFormat;
  readonly version: typeof spikeModelVersion;
  readonly featureNames: readonly string[];
  readonly means: readonly number[];
  readonly stds: readonly number[];
  /** Intercept and one weight per feature, on standardized features. */
  readonly intercept: number;
  readonly weights: readonly number[];
  readonly threshold: number;
  /** The bar length and feature settings the model was trained with. */
  readonly barMs: number;
  readonly featureOptions: Omit<FeatureOptions, 'barMs'>;
  readonly training: {
    readonly description: string;
    readonly train: DetectionMetrics;
    readonly validation: DetectionMetrics;
    readonly fitExamples: number;
    readonly negativeSamplingRate: number;
    readonly numSteps: number;
    readonly learningRate: number;
  };
}

export class SpikeModelError extends Error {
  override readonly name = 'SpikeModelError';
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

export class SpikeModel {
  readonly file: SpikeModelFile;

  constructor(file: SpikeModelFile) {
    this.file = file;
  }

  get threshold(): number {
    return this.file.threshold;
  }

  /** P(spike) for a bar's features. */
  predictProbability(features: FeatureVector): number {
    const { means, stds, weights } = this.file;
    let score = this.file.intercept;
    for (let i = 0; i < featureNames.length; i++) {
      const x = features[featureNames[i] as FeatureName];
      score += (weights[i] ?? 0) * ((x - (means[i] ?? 0)) / (stds[i] ?? 1));
    }
    return sigmoid(score);
  }

  isSpike(probability: number): boolean {
    return probability >= this.file.threshold;
  }

  toJSON(): SpikeModelFile {
    return this.file;
  }
}

export interface TrainOptions {
  /** Gradient steps (default 1000) and step size on the mean gradient (default 1). */
  readonly numSteps?: number;
  readonly learningRate?: number;
  readonly seed?: number;
  readonly barMs: number;
  readonly featureOptions?: Omit<FeatureOptions, 'barMs'>;
  readonly description?: string;
}

/** Precision, recall and F1 of `predicted` against `actual`. */
export function detectionMetrics(
  actual: readonly boolean[],
  predicted: readonly boolean[],
): DetectionMetrics {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < actual.length; i++) {
    if (predicted[i] === true && actual[i] === true) tp++;
    else if (predicted[i] === true) fp++;
    else if (actual[i] === true) fn++;
  }
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return {
    examples: actual.length,
    positives: tp + fn,
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    precision,
    recall,
    f1,
  };
}

function standardization(examples: readonly LabeledExample[]): { means: number[]; stds: number[] } {
  const d = featureNames.length;
  const means = new Array<number>(d).fill(0);
  const squares = new Array<number>(d).fill(0);
  for (const e of examples) {
    const x = featureArray(e.features);
    for (let i = 0; i < d; i++) means[i] = (means[i] ?? 0) + (x[i] ?? 0) / examples.length;
  }
  for (const e of examples) {
    const x = featureArray(e.features);
    for (let i = 0; i < d; i++) squares[i] = (squares[i] ?? 0) + ((x[i] ?? 0) - (means[i] ?? 0)) ** 2;
  }
  // A constant feature gets std 1 so it cannot divide by zero; its weight then does nothing useful.
  const stds = squares.map((s) => Math.sqrt(s / Math.max(1, examples.length - 1)) || 1);
  return { means, stds };
}

/** The threshold with the best F1 on `examples` (ties: the higher threshold, fewer alerts). */
function bestThreshold(model: SpikeModel, examples: readonly LabeledExample[]): number {
  const scored = examples.map((e) => ({ p: model.predictProbability(e.features), spike: e.spike }));
  scored.sort((a, b) => b.p - a.p);
  const positives = scored.filter((s) => s.spike).length;
  let tp = 0;
  let best = { f1: -1, threshold: 0.5 };
  for (let i = 0; i < scored.length; i++) {
    const s = scored[i] as { p: number; spike: boolean };
    if (s.spike) tp++;
    const next = scored[i + 1];
    if (next !== undefined && next.p === s.p) continue; // a threshold cannot split equal scores
    const predicted = i + 1;
    const f1 = positives === 0 ? 0 : (2 * tp) / (predicted + positives);
    // Midway to the next score, so small numerical differences do not flip a decision.
    const threshold = next === undefined ? s.p / 2 : (s.p + next.p) / 2;
    if (f1 > best.f1) best = { f1, threshold };
  }
  return Math.min(Math.max(best.threshold, 1e-6), 1 - 1e-9);
}

/**
 * Fits a model on `train` and picks its threshold on `validation`. Needs both classes in the
 * training examples.
 */
export function trainSpikeModel(
  train: readonly LabeledExample[],
  validation: readonly LabeledExample[],
  options: TrainOptions,
): SpikeModel {
  const positives = train.filter((e) => e.spike);
  const negatives = train.filter((e) => !e.spike);
  if (positives.length === 0 || negatives.length === 0)
    throw new SpikeModelError(
      `Cannot train a spike model: the training split needs spikes and non-spikes, got ${positives.length} and ${negatives.length}`,
    );
  const numSteps = options.numSteps ?? 1000;
  const learningRate = options.learningRate ?? 1;
  if (!(Number.isInteger(numSteps) && numSteps >= 1 && numSteps <= cryptoLimits.fitStepsMax))
    throw new RangeError(`numSteps must be 1..${cryptoLimits.fitStepsMax}, got ${numSteps}`);
  const keptPositives = positives.slice(0, Math.floor(cryptoLimits.fitExamplesMax / 2));
  const negativesWanted = Math.min(
    negatives.length,
    Math.max(10 * keptPositives.length, 2000),
    cryptoLimits.fitExamplesMax - keptPositives.length,
  );
  const rate = negativesWanted / negatives.length;
  const random = new SeededRandom(options.seed ?? 1);
  const keptNegatives = negatives.filter(() => random.next() < rate);
  const fit = [...keptPositives, ...keptNegatives];
  const { means, stds } = standardization(fit);
  const rows = fit.map((e) => [
    1,
    ...featureArray(e.features).map((x, i) => (x - (means[i] ?? 0)) / (stds[i] ?? 1)),
  ]);
  const regression = new LogisticRegression({ numSteps, learningRate: learningRate / fit.length });
  regression.train(new Matrix(rows), Matrix.columnVector(fit.map((e) => (e.spike ? 1 : 0))));
  // classifiers[0] scores "not class 0", i.e. P(spike).
  const fitted = regression.classifiers[0]?.weights?.to1DArray();
  if (fitted === undefined || fitted.length !== featureNames.length + 1 || !fitted.every(Number.isFinite))
    throw new SpikeModelError(`Fitting the spike model gave unusable weights: ${JSON.stringify(fitted)}`);
  const featureOptions = options.featureOptions ?? defaultFeatureOptions;
  const base = {
    format: spikeModelFormat,
    version: spikeModelVersion,
    featureNames: [...featureNames],
    means,
    stds,
    intercept: (fitted[0] ?? 0) + Math.log(rate),
    weights: fitted.slice(1),
    threshold: 0.5,
    barMs: options.barMs,
    featureOptions,
  } as const;
  const draft = new SpikeModel({ ...base, training: emptyTraining });
  const threshold = bestThreshold(draft, validation.length > 0 ? validation : train);
  const tuned = new SpikeModel({ ...base, threshold, training: emptyTraining });
  const evaluate = (examples: readonly LabeledExample[]): DetectionMetrics =>
    detectionMetrics(
      examples.map((e) => e.spike),
      examples.map((e) => tuned.isSpike(tuned.predictProbability(e.features))),
    );
  return new SpikeModel({
    ...base,
    threshold,
    training: {
      description: options.description ?? '',
      train: evaluate(train),
      validation: evaluate(validation),
      fitExamples: fit.length,
      negativeSamplingRate: rate,
      numSteps,
      learningRate,
    },
  });
}

const emptyMetrics = detectionMetrics([], []);
const emptyTraining: SpikeModelFile['training'] = {
  description: '',
  train: emptyMetrics,
  validation: emptyMetrics,
  fitExamples: 0,
  negativeSamplingRate: 1,
  numSteps: 0,
  learningRate: 0,
};

function finiteArray(value: unknown, length: number): value is number[] {
  return (
    Array.isArray(value) &&
    value.length === length &&
    value.every((v) => typeof v === 'number' && Number.isFinite(v))
  );
}

/** Checks a parsed model file; `source` names it in errors. */
export function parseSpikeModel(value: unknown, source: string): SpikeModel {
  const fail = (what: string): never => {
    throw new SpikeModelError(`Cannot load spike model ${source}: ${what}`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('not a JSON object');
  const file = value as Record<string, unknown>;
  if (file.format !== spikeModelFormat)
    fail(`format is ${JSON.stringify(file.format)}, expected '${spikeModelFormat}'`);
  if (file.version !== spikeModelVersion)
    fail(
      `version ${JSON.stringify(file.version)} is not supported (this build reads version ${spikeModelVersion})`,
    );
  const names = file.featureNames;
  if (
    !(
      Array.isArray(names) &&
      names.length === featureNames.length &&
      names.every((n, i) => n === featureNames[i])
    )
  )
    fail(`its features ${JSON.stringify(names)} differ from this build's ${JSON.stringify(featureNames)}`);
  const d = featureNames.length;
  if (!finiteArray(file.means, d))
    fail(`means must be ${d} finite numbers, got ${JSON.stringify(file.means)}`);
  if (!(finiteArray(file.stds, d) && file.stds.every((s) => s > 0)))
    fail(`stds must be ${d} positive numbers, got ${JSON.stringify(file.stds)}`);
  if (!finiteArray(file.weights, d))
    fail(`weights must be ${d} finite numbers, got ${JSON.stringify(file.weights)}`);
  if (!(typeof file.intercept === 'number' && Number.isFinite(file.intercept)))
    fail(`intercept must be a finite number, got ${JSON.stringify(file.intercept)}`);
  if (!(typeof file.threshold === 'number' && file.threshold > 0 && file.threshold < 1))
    fail(`threshold must be in (0, 1), got ${JSON.stringify(file.threshold)}`);
  if (!(typeof file.barMs === 'number' && Number.isSafeInteger(file.barMs) && file.barMs > 0))
    fail(`barMs must be a positive integer, got ${JSON.stringify(file.barMs)}`);
  const fo = file.featureOptions as Record<string, unknown> | undefined;
  if (
    !(
      typeof fo?.halfLifeBars === 'number' &&
      fo.halfLifeBars > 0 &&
      typeof fo.warmupReturns === 'number' &&
      fo.warmupReturns >= 0
    )
  )
    fail(`featureOptions must hold halfLifeBars > 0 and warmupReturns >= 0, got ${JSON.stringify(fo)}`);
  if (typeof file.training !== 'object' || file.training === null) fail('training metrics are missing');
  return new SpikeModel(value as SpikeModelFile);
}

/** Reads and checks a model file (synchronously, so a job factory can call it). */
export function loadSpikeModel(path: string): SpikeModel {
  let text: string;
  try {
    const bytes = statSync(path).size;
    if (bytes > cryptoLimits.modelFileBytesMax)
      throw new SpikeModelError(
        `Cannot load spike model '${path}': ${bytes} bytes exceeds ${cryptoLimits.modelFileBytesMax}`,
      );
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof SpikeModelError) throw error;
    throw new SpikeModelError(`Cannot read spike model '${path}': ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SpikeModelError(`Cannot load spike model '${path}': not JSON (${(error as Error).message})`);
  }
  return parseSpikeModel(parsed, `'${path}'`);
}

export async function saveSpikeModel(model: SpikeModel, path: string): Promise<void> {
  await writeFile(path, `${JSON.stringify(model.file, null, 2)}\n`);
}
