import assert from 'node:assert/strict';
import { test } from 'node:test';
import { marketId, type Trade } from './records.ts';
import { sigmaOver } from './spike-schedule.ts';
import { injectedSpikes, TradeGenerator, type TradeGeneratorOptions } from './trade-generator.ts';
import { marketUniverse } from './universe.ts';

function drain(generator: TradeGenerator, untilMs: number): Trade[] {
  const out: Trade[] = [];
  while (generator.take(out, 10_000, untilMs) === 10_000) {}
  return out;
}

const universe = marketUniverse({ markets: 200 });
const base: TradeGeneratorOptions = { universe, seed: 11, startMs: 0, tradesPerSecond: 500 };

test('the same seed gives the same trades, another seed other trades', () => {
  const a = drain(new TradeGenerator(base), 60_000);
  const b = drain(new TradeGenerator(base), 60_000);
  const c = drain(new TradeGenerator({ ...base, seed: 12 }), 60_000);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.slice(0, 100), c.slice(0, 100));
  // Pulling in small or large batches changes nothing.
  const generator = new TradeGenerator(base);
  const small: Trade[] = [];
  while (generator.take(small, 7, 60_000) === 7) {}
  assert.deepEqual(small, a);
});

test('trades come in time order at the asked rate, spread over markets by liquidity', () => {
  const spanMs = 10 * 60_000;
  const trades = drain(new TradeGenerator({ ...base, spikes: { perMinute: 0 } }), spanMs);
  for (let i = 1; i < trades.length; i++)
    assert.ok((trades[i]?.timestampMs ?? 0) >= (trades[i - 1]?.timestampMs ?? 0), `trade ${i} out of order`);
  const expected = (base.tradesPerSecond * spanMs) / 1000;
  // Poisson count: the standard deviation is sqrt(300,000) ~ 550; 1 % is over 5 of them.
  assert.ok(
    Math.abs(trades.length - expected) < 0.01 * expected,
    `${trades.length} trades, expected ~${expected}`,
  );
  const top = [...universe].sort((a, b) => b.liquidity - a.liquidity)[0];
  assert.ok(top !== undefined);
  const topTrades = trades.filter((t) => t.exchange === top.exchange && t.market === top.market).length;
  const share = topTrades / trades.length;
  assert.ok(
    Math.abs(share - top.liquidity) < 0.1 * top.liquidity,
    `share ${share} vs liquidity ${top.liquidity}`,
  );
  for (const t of trades.slice(0, 1000)) {
    assert.ok(t.price > 0 && t.amount > 0 && (t.side === 'buy' || t.side === 'sell'));
  }
});

test('prices move with the market volatility and sizes are heavy-tailed', () => {
  const spanMs = 30 * 60_000;
  const trades = drain(new TradeGenerator({ ...base, spikes: { perMinute: 0 } }), spanMs);
  const top = [...universe].sort((a, b) => b.liquidity - a.liquidity)[0];
  assert.ok(top !== undefined);
  const own = trades.filter((t) => t.exchange === top.exchange && t.market === top.market);
  // Log returns over one-minute steps (last trade of each minute): their standard deviation is
  // the volatility over a minute, up to sampling error (30 samples: about +-25 %) and the spread.
  const closes: number[] = [];
  for (let minute = 1; minute <= 30; minute++) {
    const last = own.filter((t) => t.timestampMs < minute * 60_000).at(-1);
    if (last !== undefined) closes.push(last.price);
  }
  const returns = closes.slice(1).map((p, i) => Math.log(p / (closes[i] ?? p)));
  const sd = Math.sqrt(returns.reduce((n, r) => n + r * r, 0) / returns.length);
  const expected = sigmaOver(top.volatility, 60_000);
  assert.ok(sd > 0.5 * expected && sd < 1.6 * expected, `sd ${sd} vs expected ${expected}`);
  const notional = trades.map((t) => t.amount * t.price).sort((a, b) => a - b);
  const median = notional[Math.floor(notional.length / 2)] ?? 0;
  const p999 = notional[Math.floor(notional.length * 0.999)] ?? 0;
  assert.ok(p999 / median > 30, `99.9th percentile / median = ${p999 / median}`);
});

test('an injected spike jumps the price at its time with a burst of trades, then partly reverts', () => {
  const options: TradeGeneratorOptions = { ...base, spikes: { perMinute: 6, firstAfterMs: 30_000 } };
  const spanMs = 10 * 60_000;
  const generator = new TradeGenerator(options);
  const trades = drain(generator, spanMs);
  const spikes = generator.drainInjectedSpikes();
  assert.deepEqual(spikes, injectedSpikes(options, spanMs), 'the ground truth is known without trades');
  assert.ok(spikes.length >= 30, `${spikes.length} spikes`);
  let checked = 0;
  const kept: number[] = [];
  for (const spike of spikes) {
    if (spike.timestampMs > spanMs - 30_000) continue;
    const own = trades.filter((t) => marketId(t.exchange, t.market) === spike.marketId);
    const at = own.find((t) => t.timestampMs === spike.timestampMs);
    assert.ok(at !== undefined, `a trade at the spike time of ${spike.marketId}`);
    const before = own.filter((t) => t.timestampMs < spike.timestampMs).at(-1);
    if (before === undefined) continue;
    const jump = Math.log(at.price / before.price);
    // The jump dominates the noise: same sign, at least half its size.
    assert.equal(
      Math.sign(jump),
      Math.sign(spike.jumpLog),
      `${spike.marketId} jump ${jump} vs ${spike.jumpLog}`,
    );
    assert.ok(Math.abs(jump) > 0.5 * Math.abs(spike.jumpLog));
    const burst = own.filter(
      (t) => t.timestampMs >= spike.timestampMs && t.timestampMs < spike.timestampMs + 2_000,
    );
    assert.ok(burst.length >= 3, `${burst.length} burst trades on ${spike.marketId}`);
    // After the burst and the 20 s of reversion half the jump is given back.
    const later = own.find((t) => t.timestampMs >= spike.timestampMs + 22_000);
    if (later !== undefined) kept.push(Math.log(later.price / before.price) / spike.jumpLog);
    checked++;
  }
  assert.ok(checked >= 20, `${checked} spikes checked`);
  const meanKept = kept.reduce((a, b) => a + b, 0) / kept.length;
  assert.ok(
    kept.length >= 10 && meanKept > 0.3 && meanKept < 0.7,
    `mean share kept ${meanKept} over ${kept.length}`,
  );
});

test('shards split the markets and share the spike schedule', () => {
  const whole = drain(new TradeGenerator(base), 60_000);
  const shards = [0, 1, 2].map((index) =>
    drain(new TradeGenerator({ ...base, shard: { index, count: 3 } }), 60_000),
  );
  const marketsOf = (trades: Trade[]) => new Set(trades.map((t) => marketId(t.exchange, t.market)));
  const sets = shards.map(marketsOf);
  for (let i = 0; i < 3; i++)
    for (let j = i + 1; j < 3; j++)
      for (const m of sets[i] ?? []) assert.ok(!(sets[j]?.has(m) ?? false), `${m} in two shards`);
  const total = shards.reduce((n, s) => n + s.length, 0);
  assert.ok(Math.abs(total - whole.length) < 0.05 * whole.length, `${total} vs ${whole.length}`);
  assert.throws(() => new TradeGenerator({ ...base, shard: { index: 3, count: 3 } }), /Invalid shard 3 of 3/);
  assert.throws(() => new TradeGenerator({ ...base, tradesPerSecond: 0 }), /tradesPerSecond must be in/);
});
