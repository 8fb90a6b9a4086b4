// A feed that continues an earlier run starts each market at the price of its last trade in the
// topic, so a restart is no jump; readLastPrices finds those prices in the topic's tail.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startBroker } from '../../broker/broker.ts';
import { embeddedLog } from '../../connectors/embedded/embedded-log.ts';
import type { Log } from '../../engine/log/log.ts';
import { readLastPrices } from './last-prices.ts';
import { cryptoTopics, marketId, type Trade } from './records.ts';
import { startTradeFeed } from './trade-feed.ts';

async function tradesOf(
  log: Log,
  partitions: number,
  topic: string = cryptoTopics.trades,
): Promise<Trade[][]> {
  const all: Trade[][] = [];
  for (let p = 0; p < partitions; p++) {
    const trades: Trade[] = [];
    const end = await log.endOffset(topic, p, true);
    const reader = await log.openReader(topic, p, 0, { readCommitted: true, endOffset: end });
    for (let round = 0; round < 10_000; round++) {
      const batch = await reader.read(1000, 100);
      for (const r of batch.records)
        trades.push(JSON.parse(Buffer.from(r.value ?? new Uint8Array()).toString()));
      if (batch.endOfLog) break;
    }
    await reader.close();
    all.push(trades);
  }
  return all;
}

test('a continued feed starts every market where its last trade left it', async () => {
  const broker = await startBroker();
  const log = embeddedLog(broker);
  const base = {
    bootstrap: broker.bootstrap,
    partitions: 2,
    universe: { markets: 40 },
    tradesPerSecond: 100,
  };
  try {
    const startMs = 1_700_000_000_000;
    const spanMs = 600_000;
    await startTradeFeed({ ...base, seed: 1, mode: 'fast', startMs, spanMs }).done;
    const firstByPartition = await tradesOf(log, 2);
    const first = firstByPartition.flat();
    const expected = new Map<string, number>();
    for (const t of first) expected.set(marketId(t.exchange, t.market), t.price);

    const prices = await readLastPrices({ bootstrap: broker.bootstrap, topic: cryptoTopics.trades });
    assert.deepEqual(prices, expected, 'the last trade of each market');
    const tail = await readLastPrices({
      bootstrap: broker.bootstrap,
      topic: cryptoTopics.trades,
      recordsPerPartitionMax: 10,
    });
    assert.ok(
      tail.size > 0 && tail.size <= 20,
      `only markets among the last 10 records of 2 partitions: ${tail.size}`,
    );

    // The same later run twice (same seed), continued and started afresh: the continued one's
    // first trades sit by the last prices; the fresh one's by the base prices, a drift away.
    const later = { ...base, seed: 2, mode: 'fast' as const, startMs: startMs + spanMs, spanMs: 30_000 };
    await startTradeFeed({ ...later, startPrices: prices }).done;
    await startTradeFeed({ ...later, topic: 'crypto.trades.fresh' }).done;
    // Per partition, the trades after `skip[p]` (what the first run wrote there).
    const firstPrices = async (topic: string, skip: readonly number[]) => {
      const firsts = new Map<string, number>();
      const after = (await tradesOf(log, 2, topic)).flatMap((trades, p) => trades.slice(skip[p] ?? 0));
      for (const t of after) {
        const id = marketId(t.exchange, t.market);
        if (!firsts.has(id)) firsts.set(id, t.price);
      }
      return firsts;
    };
    const continued = await firstPrices(
      cryptoTopics.trades,
      firstByPartition.map((t) => t.length),
    );
    const fresh = await firstPrices('crypto.trades.fresh', [0, 0]);
    const gaps = (firsts: Map<string, number>) =>
      [...firsts]
        .flatMap(([id, price]) => {
          const before = prices.get(id);
          return before === undefined ? [] : [Math.abs(Math.log(price / before))];
        })
        .sort((a, b) => a - b);
    const median = (xs: number[]) => xs[Math.floor(xs.length / 2)] ?? Number.NaN;
    const [continuedGap, freshGap] = [median(gaps(continued)), median(gaps(fresh))];
    assert.ok(gaps(continued).length > 10, `${continued.size} markets traded after the restart`);
    assert.ok(
      continuedGap * 3 < freshGap,
      `median jump at the restart: continued ${continuedGap}, from base prices ${freshGap}`,
    );
  } finally {
    await log.close();
    await broker.close();
  }
});

test('a topic that does not exist has no prices', async () => {
  const broker = await startBroker();
  try {
    assert.equal((await readLastPrices({ bootstrap: broker.bootstrap, topic: 'nothing.here' })).size, 0);
  } finally {
    await broker.close();
  }
});
