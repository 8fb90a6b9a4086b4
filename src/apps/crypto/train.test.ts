import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startBroker } from '../../broker/broker.ts';
import { labelsFromGroundTruth, labelsFromRealizedMoves } from './labels.ts';
import { cryptoTopics, type Trade } from './records.ts';
import type { FeaturedBar } from './score-bars.ts';
import { startTradeFeed } from './trade-feed.ts';
import { TradeGenerator } from './trade-generator.ts';
import {
  extractBars,
  groundTruth,
  splitByTime,
  type TrainingProgress,
  trainFromGenerator,
  trainFromInput,
} from './train.ts';
import { marketUniverse } from './universe.ts';

const small = {
  partitions: 2,
  seed: 5,
  universe: { markets: 150 },
  tradesPerSecond: 300,
  startMs: 0,
  spanMs: 8 * 60_000,
  spikes: { perMinute: 30 },
};

test('trainFromGenerator() reports progress, counts and metrics that agree with each other', async () => {
  const progress: TrainingProgress[] = [];
  const report = await trainFromGenerator(small, { onProgress: (p) => progress.push(p), numSteps: 300 });
  assert.deepEqual(
    progress.map((p) => p.phase).filter((p, i, all) => all.indexOf(p) === i),
    ['reading', 'fitting', 'done'],
  );
  assert.equal(progress.at(-1)?.records, report.trades);
  assert.ok(Math.abs(report.trades - 300 * 480) < 0.05 * 300 * 480, `${report.trades} trades`);
  assert.equal(report.lateTrades, 0, 'generated trades are in order per market');
  assert.equal(report.labeledSpikes, groundTruth(small).length);
  for (const m of [report.train, report.validation]) {
    assert.equal(m.positives, m.truePositives + m.falseNegatives);
    assert.equal(m.precision, m.truePositives / (m.truePositives + m.falsePositives));
    assert.equal(m.recall, m.truePositives / m.positives);
    assert.ok(Math.abs(m.f1 - (2 * m.precision * m.recall) / (m.precision + m.recall)) < 1e-12);
  }
  assert.ok(report.validation.positives > 20, `${report.validation.positives} validation spikes`);
  assert.ok(report.validation.f1 > 0.8, `validation F1 ${report.validation.f1}`);
});

test('generated bars are labeled by the spike inside them, and the split is by time', async () => {
  const { bars } = await extractBars({ kind: 'generator', generator: small });
  const truth = groundTruth(small);
  const labels = labelsFromGroundTruth(bars, truth);
  // Every spike has its bar (a trade at the spike's time), and only that bar.
  assert.equal(labels.filter(Boolean).length, truth.length);
  const { train, validation } = splitByTime(bars, labels, 0.5);
  const warm = bars.filter((b) => b.warm).length;
  assert.equal(train.length + validation.length, warm);
  assert.throws(() => splitByTime(bars, labels, 1), /trainShare must be in \(0, 1\), got 1/);
});

test('the realized-move rule labels a large move that holds, not one that is undone', () => {
  const bar = (t: number, close: number, zScore: number, returnPct: number): FeaturedBar => ({
    exchange: 'kraken',
    market: 'SOL-USD',
    windowStartMs: t,
    windowEndMs: t + 5000,
    open: close,
    high: close,
    low: close,
    close,
    volume: 1,
    trades: 1,
    vwap: close,
    returnPct,
    zScore,
    volumeRatio: 1,
    probability: 0,
    spike: false,
    warm: true,
    features: { absZScore: Math.abs(zScore), logVolumeRatio: 0, logTradeRatio: 0, rangeZ: 0, closeVwapZ: 0 },
  });
  const held = [
    bar(0, 100, 0, 0),
    bar(5000, 110, 8, 0.1),
    bar(10_000, 108, -1, -0.018),
    bar(15_000, 107, 0, 0),
    bar(20_000, 107, 0, 0),
  ];
  assert.deepEqual(labelsFromRealizedMoves(held), [false, true, false, false, false]);
  // Undone: the next bar gives the move back (a move below the rule's 5 sigma itself).
  const undone = [
    bar(0, 100, 0, 0),
    bar(5000, 110, 8, 0.1),
    bar(10_000, 101, -4, -0.0818),
    bar(15_000, 100, 0, 0),
    bar(20_000, 100, 0, 0),
  ];
  assert.deepEqual(labelsFromRealizedMoves(undone), [false, false, false, false, false]);
});

test('training reads a JSON-lines file of trades through the same pipeline', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'crypto-train-'));
  try {
    const generator = new TradeGenerator({
      universe: marketUniverse({ markets: 40 }),
      seed: 3,
      startMs: 0,
      tradesPerSecond: 100,
      spikes: { perMinute: 20, jumpSigmaMin: 8, jumpSigmaMax: 12 },
    });
    const trades: Trade[] = [];
    while (generator.take(trades, 10_000, 10 * 60_000) === 10_000) {}
    const path = join(dir, 'trades.jsonl');
    await writeFile(path, `${trades.map((t) => JSON.stringify(t)).join('\n')}\n`);
    const { bars, trades: read } = await extractBars({ kind: 'jsonl', path });
    assert.equal(read, trades.length);
    assert.equal(
      bars.reduce((n, b) => n + b.trades, 0),
      trades.length,
      'every trade is in one bar',
    );
    const report = await trainFromInput({ kind: 'jsonl', path }, { numSteps: 200 });
    assert.ok(report.labeledSpikes > 0, 'the realized-move rule found spikes');
    assert.match(report.model.file.training.description, /trades from .*trades\.jsonl/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('training reads a bounded crypto.trades topic through the same pipeline', async () => {
  const broker = await startBroker();
  try {
    const feed = startTradeFeed({
      bootstrap: broker.bootstrap,
      partitions: 2,
      seed: 6,
      universe: { markets: 60 },
      tradesPerSecond: 150,
      spikes: { perMinute: 20, jumpSigmaMin: 8, jumpSigmaMax: 12 },
      mode: 'fast',
      startMs: 0,
      spanMs: 10 * 60_000,
    });
    const fed = await feed.done;
    const progress: TrainingProgress[] = [];
    const report = await trainFromInput(
      { kind: 'topic', topic: cryptoTopics.trades, log: broker },
      { numSteps: 200, onProgress: (p) => progress.push(p) },
    );
    assert.equal(report.trades, fed.trades);
    assert.equal(progress[0]?.recordsTotal, fed.trades, 'the total is known from the end offsets');
    assert.ok(report.labeledSpikes > 0, 'the realized-move rule found spikes');
    assert.match(report.model.file.training.description, /trades from topic crypto\.trades/);
  } finally {
    await broker.close();
  }
});
