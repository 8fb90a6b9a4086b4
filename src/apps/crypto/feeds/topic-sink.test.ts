import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startBroker } from '../../../broker/broker.ts';
import { Admin } from '../../../client/admin.ts';
import { Consumer } from '../../../client/consumer.ts';
import { Producer } from '../../../client/producer.ts';
import { cryptoTopics, type Trade } from '../records.ts';
import { FakeClock } from './testing/fake-clock.ts';
import { type FakeExchange, startFakeExchange } from './testing/fake-exchange.ts';
import { fixtures } from './testing/fixtures.ts';
import { topicTradeSink } from './topic-sink.ts';
import { startTradePoller } from './trade-poller.ts';

const polled = ['kraken', 'coinbase', 'okx'];

test('polls 3 fake exchanges into crypto.trades on an embedded broker: keyed by market, JSON values, trade-time timestamps', async () => {
  const broker = await startBroker();
  const admin = new Admin({ bootstrap: broker.bootstrap });
  const producer = new Producer({ bootstrap: broker.bootstrap, lingerMs: 1 });
  const servers: FakeExchange[] = [];
  const consumer = new Consumer({ bootstrap: broker.bootstrap, autoOffsetReset: 'earliest' });
  try {
    await admin.createTopics([{ topic: cryptoTopics.trades, partitions: 3 }]);
    const chosen = fixtures.filter((f) => polled.includes(f.exchange));
    for (const f of chosen) {
      servers.push(
        await startFakeExchange((url) =>
          url.pathname === f.marketsPath ? { body: f.markets } : { body: f.trades },
        ),
      );
    }
    const sink = topicTradeSink(producer);
    let written = 0;
    const errors: Error[] = [];
    const poller = startTradePoller({
      exchanges: chosen.map((f, i) => ({
        exchange: f.exchange,
        markets: [f.market],
        baseUrl: servers[i]?.baseUrl ?? '',
      })),
      sink: async (batch) => {
        await sink(batch);
        written += batch.length;
      },
      onError: (e) => errors.push(e),
      clock: new FakeClock(),
      pollIntervalMs: 1_000,
    });
    const deadline = Date.now() + 10_000;
    while (written < 6 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    await poller.stop();
    assert.deepEqual(errors, []);
    // The fixtures answer the same page every time: repeats are dropped, so exactly 2 each.
    assert.equal(written, 6);

    consumer.assign([0, 1, 2].map((partition) => ({ topic: cryptoTopics.trades, partition })));
    const read: { key: string; trade: Trade; timestamp: bigint }[] = [];
    while (read.length < 6) {
      const batch = await consumer.nextBatch(5_000);
      assert.ok(batch, `no batch after ${read.length} records`);
      for (const r of batch.records) {
        read.push({
          key: r.key?.toString() ?? '',
          trade: JSON.parse(r.value?.toString() ?? 'null') as Trade,
          timestamp: r.timestamp,
        });
      }
    }
    const expected = chosen.flatMap((f) =>
      f.expected.map((t) => ({
        key: `${f.exchange}:${f.market}`,
        trade: { exchange: f.exchange, market: f.market, ...t },
        timestamp: BigInt(t.timestampMs),
      })),
    );
    const byId = (a: { trade: Trade }, b: { trade: Trade }): number =>
      `${a.trade.exchange}${a.trade.tradeId}`.localeCompare(`${b.trade.exchange}${b.trade.tradeId}`);
    assert.deepEqual([...read].sort(byId), [...expected].sort(byId));
  } finally {
    await consumer.close();
    await producer.close();
    admin.close();
    for (const s of servers) await s.close();
    await broker.close();
  }
});
