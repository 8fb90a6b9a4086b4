import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CollectSink } from '../../engine/connector/collect-sink.ts';
import { PushSource } from '../../engine/connector/push-source.ts';
import { Job } from '../../engine/dsl/job.ts';
import { LocalRuntime } from '../../engine/runtime/local-runtime.ts';
import type { Trade } from './records.ts';
import type { FeaturedBar } from './score-bars.ts';
import { detectSpikes } from './spike-pipeline.ts';

function trade(exchange: string, market: string, timestampMs: number, price: number, amount: number): Trade {
  return { exchange, market, price, amount, side: 'buy', tradeId: String(timestampMs), timestampMs };
}

const btc = (t: number, p: number, a: number) => trade('kraken', 'BTC-USD', t, p, a);
const eth = (t: number, p: number, a: number) => trade('coinbase', 'ETH-USD', t, p, a);

test('trades become per-market OHLCV bars with features, and a late trade goes to the side output', async () => {
  const trades = [
    btc(100, 100, 1),
    btc(400, 102, 2),
    eth(500, 10, 5),
    btc(900, 101, 1),
    btc(1200, 99, 3),
    btc(1100, 98, 1), // out of order, but its window is still open: it is the bar's open
    btc(2500, 100.5, 1), // moves the watermark past 1999: [1000, 2000) closes
    btc(1500, 50, 1), // too late for [1000, 2000): the side output, not a bar
  ];
  const source = new PushSource<null, Trade>('trades', 1, trades.length);
  source.push(
    0,
    trades.map((t) => ({ key: null, value: t, timestamp: t.timestampMs })),
  );
  source.end();
  const job = new Job('bars-test');
  const streams = detectSpikes(job, source, null, {
    barMs: 1000,
    halfLifeBars: 24,
    warmupReturns: 6,
    outOfOrdernessMs: 0,
    idleTimeoutMs: Number.POSITIVE_INFINITY,
  });
  const bars = new CollectSink<string, FeaturedBar>('bars', 100);
  const late = new CollectSink<string, Trade>('late', 100);
  streams.bars.to(bars);
  streams.late.to(late);
  await new LocalRuntime(job, { batchRecordsMax: 1 }).run();

  assert.deepEqual(late.values(), [btc(1500, 50, 1)]);
  const got = bars
    .values()
    .sort((a, b) => a.market.localeCompare(b.market) || a.windowStartMs - b.windowStartMs);
  const pick = (b: FeaturedBar) => ({
    id: `${b.exchange}:${b.market}@${b.windowStartMs}-${b.windowEndMs}`,
    ohlc: [b.open, b.high, b.low, b.close],
    volume: b.volume,
    trades: b.trades,
    vwap: b.vwap,
  });
  assert.deepEqual(got.map(pick), [
    { id: 'kraken:BTC-USD@0-1000', ohlc: [100, 102, 100, 101], volume: 4, trades: 3, vwap: 405 / 4 },
    { id: 'kraken:BTC-USD@1000-2000', ohlc: [98, 99, 98, 99], volume: 4, trades: 2, vwap: (98 + 297) / 4 },
    { id: 'kraken:BTC-USD@2000-3000', ohlc: [100.5, 100.5, 100.5, 100.5], volume: 1, trades: 1, vwap: 100.5 },
    { id: 'coinbase:ETH-USD@0-1000', ohlc: [10, 10, 10, 10], volume: 5, trades: 1, vwap: 10 },
  ]);
  const [first, second, third] = got;
  assert.ok(first !== undefined && second !== undefined && third !== undefined);
  // A market's first bar has nothing to compare with; its second has a return but no volatility yet.
  assert.equal(first.returnPct, 0);
  assert.equal(first.zScore, 0);
  assert.ok(Math.abs(second.returnPct - (99 / 101 - 1)) < 1e-12);
  assert.equal(second.zScore, 0);
  // The third bar's return in units of the one return seen so far.
  const expectedZ = Math.log(100.5 / 99) / Math.abs(Math.log(99 / 101));
  assert.ok(Math.abs(third.zScore - expectedZ) < 1e-9, `zScore ${third.zScore} vs ${expectedZ}`);
  for (const b of got) {
    assert.equal(b.probability, 0, 'no model, no probability');
    assert.equal(b.spike, false);
    assert.equal(b.warm, false);
  }
});
