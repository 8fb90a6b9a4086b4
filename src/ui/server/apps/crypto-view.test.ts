import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureBar, spikeOf } from '../../testing/apps-fixture.ts';
import { CryptoView } from './crypto-view.ts';

const limits = { marketsMax: 3, barsPerMarketMax: 5, spikesMax: 2 };

test('CryptoView keeps at most barsPerMarketMax bars of at most marketsMax markets', () => {
  const view = new CryptoView(limits);
  for (let i = 0; i < 8; i++)
    for (const pair of ['BTC-USD', 'ETH-USD', 'SOL-USD', 'XRP-USD'])
      view.addBar(fixtureBar('kraken', pair, i));
  const stats = view.stats;
  assert.equal(stats.markets, 3);
  assert.equal(stats.droppedMarketBars, 8, 'the fourth market is not tracked');
  const bars = view.bars('kraken:BTC-USD');
  assert.deepEqual(
    bars?.windowStartMs,
    [3, 4, 5, 6, 7].map((i) => fixtureBar('kraken', 'BTC-USD', i).windowStartMs),
  );
  assert.equal(view.bars('kraken:XRP-USD'), undefined);
});

test('CryptoView replays without duplicates and refuses bars older than the newest', () => {
  const view = new CryptoView(limits);
  for (let i = 0; i < 4; i++) view.addBar(fixtureBar('kraken', 'BTC-USD', i));
  // A catch-up that overlaps: the newest again (replaced) and an older one (refused).
  view.addBar({ ...fixtureBar('kraken', 'BTC-USD', 3), close: 123 });
  view.addBar(fixtureBar('kraken', 'BTC-USD', 1));
  const bars = view.bars('kraken:BTC-USD');
  assert.equal(bars?.close.length, 4);
  assert.equal(bars?.close.at(-1), 123);
  assert.equal(view.stats.outOfOrderBars, 1);
  assert.equal(view.market('kraken:BTC-USD')?.lastPrice, 123);
});

test('CryptoView flags a spike on its bar, counts it once and keeps the newest spikesMax', () => {
  const view = new CryptoView(limits);
  const events: string[] = [];
  view.on({ spike: (s) => events.push(`${s.market}@${s.windowStartMs}`) });
  for (let i = 0; i < 3; i++) view.addBar(fixtureBar('binance', 'ETH-USD', i));
  const spiked = spikeOf(fixtureBar('binance', 'ETH-USD', 1));
  view.addSpike(spiked);
  view.addSpike(spiked);
  assert.deepEqual(view.bars('binance:ETH-USD')?.spike, [false, true, false]);
  assert.equal(view.market('binance:ETH-USD')?.spikes, 1);
  assert.equal(events.length, 1);
  view.addSpike(spikeOf(fixtureBar('binance', 'ETH-USD', 2)));
  view.addSpike(spikeOf(fixtureBar('binance', 'BTC-USD', 0)));
  assert.deepEqual(
    view.spikes(10).map((s) => s.market),
    ['BTC-USD', 'ETH-USD'],
  );
  assert.equal(view.spikes(10, 'binance:ETH-USD').length, 1);
});

test('CryptoView.search() matches every word, puts spiking markets first and reports the total', () => {
  const view = new CryptoView({ ...limits, marketsMax: 10 });
  for (const [e, p] of [
    ['kraken', 'BTC-USD'],
    ['kraken', 'ETH-BTC'],
    ['binance', 'BTC-USD'],
    ['kraken', 'ETH-USD'],
  ] as const)
    view.addBar(fixtureBar(e, p, 0));
  view.addSpike(spikeOf(fixtureBar('kraken', 'ETH-BTC', 0)));
  const found = view.search('KRAKEN btc', 1);
  assert.equal(found.total, 2);
  assert.deepEqual(
    found.markets.map((m) => m.id),
    ['kraken:ETH-BTC'],
  );
  assert.equal(view.search('', 10).total, 4);
});

test('CryptoView skips records without the contract shape, counting them', () => {
  const view = new CryptoView(limits);
  view.addBar({ exchange: 'kraken', market: 'BTC-USD', close: 'high' });
  view.addBar(null);
  view.addSpike({ ...fixtureBar('kraken', 'BTC-USD', 0), direction: 'sideways' });
  view.addBar({ ...fixtureBar('kraken', 'BTC-USD', 0), close: Number.NaN });
  assert.equal(view.stats.malformed, 4);
  assert.equal(view.stats.markets, 0);
});

test('2,400 markets of a full ring of bars stay within a few tens of megabytes', () => {
  const barsMax = 240;
  const view = new CryptoView({ marketsMax: 2400, barsPerMarketMax: barsMax, spikesMax: 10 });
  for (let m = 0; m < 2400; m++)
    for (let i = 0; i < barsMax + 10; i++) view.addBar({ ...fixtureBar('x', `M${m}-USD`, i) });
  const stats = view.stats;
  assert.equal(stats.markets, 2400);
  assert.equal(view.bars('x:M7-USD')?.close.length, barsMax);
  assert.ok(stats.barBytes <= 2400 * barsMax * 65, `bars take ${stats.barBytes} bytes`);
});
