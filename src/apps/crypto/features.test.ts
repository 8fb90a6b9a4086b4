import assert from 'node:assert/strict';
import { test } from 'node:test';
import { barFeatures, featureArray, featureNames, type MarketMemory, rememberBar } from './features.ts';
import type { Bar } from './records.ts';

const options = { barMs: 5000, halfLifeBars: 1, warmupReturns: 2 };

function bar(windowStartMs: number, o: Partial<Bar> = {}): Bar {
  return {
    exchange: 'gemini',
    market: 'BTC-USD',
    windowStartMs,
    windowEndMs: windowStartMs + 5000,
    open: 100,
    high: 100,
    low: 100,
    close: 100,
    volume: 1,
    trades: 1,
    vwap: 100,
    ...o,
  };
}

const memory: MarketMemory = {
  bars: 10,
  returns: 9,
  lastClose: 100,
  lastWindowStartMs: 0,
  variance: 1e-4,
  volume: 10,
  trades: 4,
};

test('barFeatures() scales the return by volatility over the windows it spans and volume by the decayed average', () => {
  // Two empty windows between: the return spans 3 windows, the averages decay twice (half-life 1).
  const b = bar(15_000, { close: 103, high: 104, low: 99, vwap: 101, volume: 5, trades: 3 });
  const f = barFeatures(b, memory, options);
  assert.ok(Math.abs(f.returnPct - 0.03) < 1e-12);
  const z = Math.log(1.03) / (0.01 * Math.sqrt(3));
  assert.ok(Math.abs(f.zScore - z) < 1e-12, `zScore ${f.zScore} vs ${z}`);
  assert.ok(Math.abs(f.volumeRatio - 5 / 2.5) < 1e-12, `volumeRatio ${f.volumeRatio}`);
  assert.ok(Math.abs(f.vector.absZScore - z) < 1e-12);
  assert.ok(Math.abs(f.vector.logVolumeRatio - Math.log(2)) < 1e-9);
  assert.ok(Math.abs(f.vector.logTradeRatio - Math.log(3 / (1 + 0.05))) < 1e-12);
  assert.ok(Math.abs(f.vector.rangeZ - Math.log(104 / 99) / 0.01) < 1e-9);
  assert.ok(Math.abs(f.vector.closeVwapZ - Math.log(103 / 101) / 0.01) < 1e-9);
  assert.equal(f.warm, true);
  assert.deepEqual(
    featureArray(f.vector),
    featureNames.map((n) => f.vector[n]),
  );
});

test("rememberBar() updates the EWMAs and caps a spike's weight in the variance", () => {
  const quiet = rememberBar(bar(5_000, { close: 101, volume: 2, trades: 2 }), memory, options);
  const perWindow = Math.log(1.01) ** 2;
  assert.ok(Math.abs(quiet.variance - (0.5 * 1e-4 + 0.5 * perWindow)) < 1e-15);
  assert.equal(quiet.volume, 0.5 * 10 + 0.5 * 2);
  assert.equal(quiet.trades, 0.5 * 4 + 0.5 * 2);
  assert.equal(quiet.lastClose, 101);
  assert.equal(quiet.returns, 10);
  // A 20 % jump counts as a 4-sigma move, no more.
  const spike = rememberBar(bar(5_000, { close: 120 }), memory, options);
  assert.ok(Math.abs(spike.variance - (0.5 * 1e-4 + 0.5 * 16e-4)) < 1e-15);
});

test('a market warms up: no z-score before its first return, plain means of the first returns', () => {
  const first = barFeatures(bar(0), null, options);
  assert.equal(first.warm, false);
  assert.equal(first.zScore, 0);
  let m = rememberBar(bar(0), null, options);
  m = rememberBar(bar(5000, { close: 102 }), m, options);
  assert.equal(m.returns, 1);
  assert.ok(Math.abs(m.variance - Math.log(1.02) ** 2) < 1e-15);
  assert.equal(barFeatures(bar(10_000), m, options).warm, false);
  m = rememberBar(bar(10_000, { close: 101 }), m, options);
  assert.ok(Math.abs(m.variance - (Math.log(1.02) ** 2 + Math.log(101 / 102) ** 2) / 2) < 1e-15);
  assert.equal(barFeatures(bar(15_000), m, options).warm, true);
});
