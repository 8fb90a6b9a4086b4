import assert from 'node:assert/strict';
import { test } from 'node:test';
import { marketId } from './records.ts';
import { defaultMarketCount, exchangeIds, marketUniverse } from './universe.ts';

test('the default universe has the 11 exchanges and about 2,400 distinct markets', () => {
  const universe = marketUniverse();
  assert.equal(exchangeIds.length, 11);
  assert.equal(universe.length, defaultMarketCount);
  assert.ok(universe.length >= 2300 && universe.length <= 2500, `${universe.length} markets`);
  assert.deepEqual(new Set(universe.map((m) => m.exchange)), new Set(exchangeIds));
  const ids = new Set(universe.map((m) => marketId(m.exchange, m.market)));
  assert.equal(ids.size, universe.length, 'market ids are unique');
  for (const m of universe) {
    assert.match(m.market, /^[A-Z0-9]+-[A-Z]+$/);
    assert.equal(m.market, `${m.base}-${m.quote}`);
    assert.notEqual(m.base, m.quote);
    assert.ok(m.price > 0 && Number.isFinite(m.price), `${m.market} price ${m.price}`);
    assert.ok(m.volatility > 0 && m.volatility < 3, `${m.market} volatility ${m.volatility}`);
    assert.ok(m.liquidity > 0);
  }
  const liquidity = universe.reduce((n, m) => n + m.liquidity, 0);
  assert.ok(Math.abs(liquidity - 1) < 1e-9, `liquidity sums to ${liquidity}`);
});

test('marketUniverse() lists real pairs: BTC-USD on coinbase, ETH-BTC on kraken, BTC-USDT on binance as the most liquid', () => {
  const universe = marketUniverse();
  const find = (e: string, m: string) => universe.find((x) => x.exchange === e && x.market === m);
  assert.ok(find('coinbase', 'BTC-USD'));
  assert.ok(find('kraken', 'ETH-BTC'));
  const btc = find('binance', 'BTC-USDT');
  assert.ok(btc !== undefined && btc.price > 10_000);
  const top = [...universe].sort((a, b) => b.liquidity - a.liquidity)[0];
  assert.equal(top?.market, 'BTC-USDT');
  // Heavy-tailed flow: the most liquid market trades thousands of times more than the least.
  const least = Math.min(...universe.map((m) => m.liquidity));
  assert.ok((top?.liquidity ?? 0) / least > 1000);
});

test('marketUniverse() is deterministic from its seed and honours exchanges and markets', () => {
  assert.deepEqual(marketUniverse({ seed: 3 }), marketUniverse({ seed: 3 }));
  assert.notDeepEqual(marketUniverse({ seed: 3 }), marketUniverse({ seed: 4 }));
  const small = marketUniverse({ exchanges: ['kraken', 'gemini'], markets: 50 });
  assert.equal(small.length, 50);
  assert.deepEqual(new Set(small.map((m) => m.exchange)), new Set(['kraken', 'gemini']));
  assert.throws(() => marketUniverse({ exchanges: ['mtgox'] }), /Unknown exchange 'mtgox'/);
  assert.throws(() => marketUniverse({ markets: 0 }), /needs 11\.\.\d+ markets, got 0/);
});
