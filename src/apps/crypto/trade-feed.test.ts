import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startBroker } from '../../broker/broker.ts';
import { embeddedLog } from '../../connectors/embedded/embedded-log.ts';
import { cryptoTopics } from './records.ts';
import { startTradeFeed } from './trade-feed.ts';

test('a real-time feed writes trades stamped with the wall clock until stop()', async () => {
  const broker = await startBroker();
  const log = embeddedLog(broker);
  try {
    const started = Date.now();
    const spikes: string[] = [];
    const feed = startTradeFeed({
      bootstrap: broker.bootstrap,
      partitions: 2,
      seed: 1,
      universe: { markets: 100 },
      tradesPerSecond: 1000,
      spikes: { perMinute: 600, firstAfterMs: 0 },
      mode: 'realtime',
      onSpike: (s) => spikes.push(s.marketId),
    });
    await new Promise((resolve) => setTimeout(resolve, 600));
    feed.stop();
    const summary = await feed.done;
    const stopped = Date.now();
    assert.equal(summary.partitions, 2);
    assert.ok(summary.trades > 200 && summary.trades < 1000, `${summary.trades} trades in ~0.6 s at 1000/s`);
    assert.equal(spikes.length, summary.injected.length);
    let inTopic = 0;
    for (let p = 0; p < 2; p++) {
      const end = await log.endOffset(cryptoTopics.trades, p, true);
      const reader = await log.openReader(cryptoTopics.trades, p, 0, { readCommitted: true, endOffset: end });
      for (let round = 0; round < 1000; round++) {
        const batch = await reader.read(1000, 100);
        for (const r of batch.records) {
          inTopic++;
          assert.ok(r.timestampMs >= started - 1 && r.timestampMs <= stopped, `timestamp ${r.timestampMs}`);
          const trade = JSON.parse(Buffer.from(r.value ?? new Uint8Array()).toString()) as {
            timestampMs: number;
          };
          assert.equal(trade.timestampMs, r.timestampMs);
        }
        if (batch.endOfLog) break;
      }
      await reader.close();
    }
    assert.equal(inTopic, summary.trades);
  } finally {
    await log.close();
    await broker.close();
  }
});

test('a fast feed needs a span', () => {
  assert.throws(
    () => startTradeFeed({ bootstrap: '127.0.0.1:1', seed: 1, tradesPerSecond: 10, mode: 'fast' }),
    /A fast trade feed needs spanMs > 0/,
  );
});
