import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { FeatureVector } from './features.ts';
import { SeededRandom } from './random.ts';
import {
  detectionMetrics,
  type LabeledExample,
  loadSpikeModel,
  parseSpikeModel,
  SpikeModelError,
  saveSpikeModel,
  trainSpikeModel,
} from './spike-model.ts';

/** Quiet bars around zero; spikes with large |z| and volume, overlapping a little. */
function examples(seed: number, negatives: number, positives: number): LabeledExample[] {
  const random = new SeededRandom(seed);
  const make = (spike: boolean): LabeledExample => {
    const shift = spike ? 1 : 0;
    const features: FeatureVector = {
      absZScore: Math.abs(random.normal()) + shift * random.uniform(3, 10),
      logVolumeRatio: random.normal() + shift * 1.5,
      logTradeRatio: 0.5 * random.normal() + shift,
      rangeZ: Math.abs(random.normal()) + shift * 3,
      closeVwapZ: Math.abs(random.normal()),
    };
    return { features, spike };
  };
  const out: LabeledExample[] = [];
  for (let i = 0; i < negatives; i++) out.push(make(false));
  for (let i = 0; i < positives; i++) out.push(make(true));
  return out;
}

const train = examples(1, 20_000, 150);
const validation = examples(2, 10_000, 80);

test('trainSpikeModel() separates spikes, picks a threshold on validation and reports its metrics', () => {
  const model = trainSpikeModel(train, validation, { barMs: 5000, numSteps: 300 });
  const v = model.file.training.validation;
  assert.equal(v.examples, validation.length);
  assert.equal(v.positives, 80);
  assert.ok(v.precision > 0.9 && v.recall > 0.9, `validation precision ${v.precision} recall ${v.recall}`);
  assert.ok(model.threshold > 0 && model.threshold < 1);
  // The |z| weight is the largest: it is the feature that separates the classes most.
  const [z, ...others] = model.file.weights;
  assert.ok(
    others.every((w) => Math.abs(w) < Math.abs(z ?? 0)),
    JSON.stringify(model.file.weights),
  );
  // The prior correction keeps probabilities near the real base rate (~0.75 %), not the fit's ~7 %.
  const mean = validation.reduce((n, e) => n + model.predictProbability(e.features), 0) / validation.length;
  assert.ok(mean > 0.003 && mean < 0.02, `mean probability ${mean}`);
  // The metrics agree with counting by hand.
  const predicted = validation.map((e) => model.isSpike(model.predictProbability(e.features)));
  assert.deepEqual(
    detectionMetrics(
      validation.map((e) => e.spike),
      predicted,
    ),
    v,
  );
});

test('trainSpikeModel() refuses a training split without spikes', () => {
  assert.throws(
    () => trainSpikeModel(examples(3, 100, 0), [], { barMs: 5000 }),
    /needs spikes and non-spikes, got 0 and 100/,
  );
});

test('a saved model loads back with the same predictions', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'spike-model-'));
  try {
    const model = trainSpikeModel(train, validation, { barMs: 5000, numSteps: 100 });
    const path = join(dir, 'model.json');
    await saveSpikeModel(model, path);
    const loaded = loadSpikeModel(path);
    assert.deepEqual(loaded.file, model.file);
    for (const e of validation.slice(0, 200))
      assert.equal(loaded.predictProbability(e.features), model.predictProbability(e.features));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('loading a malformed or mismatched model file fails saying what is wrong', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'spike-model-'));
  try {
    const good = trainSpikeModel(train, validation, { barMs: 5000, numSteps: 50 }).file;
    const cases: [string, unknown, RegExp][] = [
      ['array', [], /not a JSON object/],
      ['format', { ...good, format: 'other' }, /format is "other", expected 'sluice-crypto-spike-model'/],
      ['version', { ...good, version: 2 }, /version 2 is not supported/],
      ['features', { ...good, featureNames: ['absZScore'] }, /its features \["absZScore"\] differ/],
      ['weights', { ...good, weights: [1, 2, null, 4, 5] }, /weights must be 5 finite numbers/],
      ['stds', { ...good, stds: [1, 1, 0, 1, 1] }, /stds must be 5 positive numbers/],
      ['threshold', { ...good, threshold: 1.5 }, /threshold must be in \(0, 1\), got 1.5/],
    ];
    for (const [name, value, message] of cases) {
      const path = join(dir, `${name}.json`);
      await writeFile(path, JSON.stringify(value));
      assert.throws(
        () => loadSpikeModel(path),
        (e: unknown) => e instanceof SpikeModelError && message.test(e.message),
        name,
      );
    }
    const notJson = join(dir, 'not.json');
    await writeFile(notJson, '{"format":');
    assert.throws(() => loadSpikeModel(notJson), /Cannot load spike model '.*not\.json': not JSON/);
    assert.throws(
      () => loadSpikeModel(join(dir, 'missing.json')),
      /Cannot read spike model '.*missing\.json'/,
    );
    assert.throws(
      () => parseSpikeModel({ ...good, intercept: 'x' }, 'inline'),
      /inline: intercept must be a finite number/,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
