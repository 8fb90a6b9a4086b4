import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EngineRecord } from '../../engine/record.ts';
import { TradeGeneratorSource, type TradeSourceOptions } from './generator-source.ts';
import { marketId, type Trade } from './records.ts';

async function readAll(source: TradeGeneratorSource, partition: number, offset: number | null) {
  const p = await source.openPartition(partition, offset);
  const out: EngineRecord<string, Trade>[] = [];
  for (let i = 0; i < 100_000; i++) if ((await p.poll(out, 1000)) === 'end') break;
  return { records: out, position: p.position() };
}

const options: TradeSourceOptions = {
  partitions: 3,
  seed: 4,
  universe: { markets: 60 },
  tradesPerSecond: 200,
  spanMs: 60_000,
};

test('each partition holds its own markets, keyed by market id, in time order; a resume continues where it stopped', async () => {
  const source = new TradeGeneratorSource(options);
  assert.equal(await source.partitionCount(), 3);
  const seen = new Map<string, number>();
  let total = 0;
  for (let p = 0; p < 3; p++) {
    const { records, position } = await readAll(source, p, null);
    assert.equal(position, records.length);
    total += records.length;
    records.forEach((r, i) => {
      assert.equal(r.key, marketId(r.value.exchange, r.value.market));
      assert.equal(r.timestamp, r.value.timestampMs);
      assert.equal(r.offset, i);
      assert.equal(seen.get(r.key) ?? p, p, `${r.key} in two partitions`);
      seen.set(r.key, p);
      if (i > 0) assert.ok(r.timestamp >= (records[i - 1]?.timestamp ?? 0));
    });
    const resumed = await readAll(source, p, 100);
    assert.deepEqual(
      resumed.records.map((r) => r.value),
      records.slice(100).map((r) => r.value),
    );
  }
  assert.ok(Math.abs(total - 200 * 60) < 0.1 * 200 * 60, `${total} trades`);
});

test('real-time mode stamps trades with the wall clock and ends after its duration', async () => {
  const source = new TradeGeneratorSource({
    ...options,
    partitions: 1,
    tradesPerSecond: 2000,
    realTime: { durationMs: 300 },
  });
  const started = Date.now();
  const p = await source.openPartition(0, null);
  const out: EngineRecord<string, Trade>[] = [];
  for (let i = 0; i < 1000; i++) {
    if ((await p.poll(out, 1000)) === 'end') break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const ended = Date.now();
  assert.ok(ended - started >= 300);
  assert.ok(out.length > 100 && out.length < 2000, `${out.length} trades in 300 ms at 2000/s`);
  for (const r of out)
    assert.ok(r.timestamp >= started - 1 && r.timestamp <= ended, `${r.timestamp} outside the run`);
});

test('a bounded source needs a span', () => {
  assert.throws(() => new TradeGeneratorSource({ ...options, spanMs: 0 }), /needs spanMs > 0, got 0/);
});
