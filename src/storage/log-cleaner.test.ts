import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeRecordBatch } from '../protocol/records/record-batch.ts';
import { memoryFixture, nodeFixture } from './log-fixture.ts';
import type { PartitionLog } from './partition-log.ts';
import { makeBatch, type ReadRecord, recordsOf } from './test-batches.ts';

async function readAll(log: PartitionLog): Promise<ReadRecord[]> {
  const out: ReadRecord[] = [];
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    const { batches } = await log.read(offset, 1 << 20);
    if (batches.length === 0) break;
    out.push(...(await recordsOf(batches)).filter((r) => r.offset >= offset));
    const last = decodeRecordBatch(batches.at(-1)!);
    offset = Number(last.lastOffset) + 1;
  }
  return out;
}

const compactConfig = { 'cleanup.policy': 'compact', 'segment.bytes': '400', 'delete.retention.ms': '1000' };

for (const [name, make] of [
  ['memory', memoryFixture],
  ['node', nodeFixture],
] as const) {
  describe(`log compaction (${name} filesystem)`, () => {
    it('keeps exactly the latest value of each key in the cleaned segments, at its original offset', async () => {
      const f = await make();
      const manager = await f.open();
      try {
        await manager.createTopic('c', 1, compactConfig);
        const log = manager.partition('c', 0)!;
        const expected = new Map<string, { offset: number; value: string }>();
        for (let i = 0; i < 60; i++) {
          const key = `k${i % 5}`;
          const { baseOffset } = await log.append(await makeBatch([{ key, value: `v${i}` }], f.clock.now));
          expected.set(key, { offset: baseOffset, value: `v${i}` });
        }
        await log.roll();
        await log.flush();
        const results = await manager.compact(true);
        assert.equal(results.length, 1);
        assert.ok(results[0]!.recordsRemoved >= 50, `removed ${results[0]!.recordsRemoved}`);
        const records = await readAll(log);
        assert.deepEqual(
          records.map((r) => `${r.offset}:${r.key}=${r.value}`).sort(),
          [...expected].map(([k, v]) => `${v.offset}:${k}=${v.value}`).sort(),
        );
        assert.equal(log.logEndOffset, 60);
        await manager.close();
        const reopened = await f.open();
        const again = await readAll(reopened.partition('c', 0)!);
        assert.deepEqual(again, records);
        await reopened.close();
      } finally {
        await f.dispose();
      }
    });

    it('never touches the active segment and keeps tombstones until delete.retention.ms passes', async () => {
      const f = await make();
      const manager = await f.open();
      try {
        await manager.createTopic('c', 1, compactConfig);
        const log = manager.partition('c', 0)!;
        for (let i = 0; i < 20; i++)
          await log.append(await makeBatch([{ key: `k${i % 2}`, value: `v${i}` }], f.clock.now));
        await log.append(await makeBatch([{ key: 'k0', value: null }], f.clock.now));
        await log.roll();
        await log.append(
          await makeBatch(
            [
              { key: 'k1', value: 'active-1' },
              { key: 'k1', value: 'active-2' },
            ],
            f.clock.now,
          ),
        );
        await log.flush();
        await manager.compact(true);
        let records = await readAll(log);
        assert.deepEqual(
          records.map((r) => `${r.key}=${r.value}`),
          ['k1=v19', 'k0=null', 'k1=active-1', 'k1=active-2'],
        );
        f.clock.now += 5_000;
        await manager.compact(true);
        records = await readAll(log);
        assert.deepEqual(
          records.map((r) => `${r.key}=${r.value}`),
          ['k1=v19', 'k1=active-1', 'k1=active-2'],
        );
      } finally {
        await manager.close();
        await f.dispose();
      }
    });

    it('lets appends and reads proceed while a compaction runs', async () => {
      const f = await make();
      const manager = await f.open();
      try {
        await manager.createTopic('c', 1, compactConfig);
        const log = manager.partition('c', 0)!;
        for (let i = 0; i < 100; i++)
          await log.append(await makeBatch([{ key: `k${i % 3}`, value: `v${i}` }], f.clock.now));
        await log.roll();
        await log.flush();
        const compaction = manager.compact(true);
        const appended = await log.append(await makeBatch([{ key: 'k9', value: 'during' }], f.clock.now));
        const read = await log.read(0, 1 << 20);
        assert.ok(read.batches.length > 0);
        await compaction;
        assert.equal(appended.baseOffset, 100);
        const records = await readAll(log);
        assert.deepEqual(
          records.map((r) => r.value),
          ['v97', 'v98', 'v99', 'during'],
        );
      } finally {
        await manager.close();
        await f.dispose();
      }
    });
  });
}

describe('log compaction crash safety', () => {
  it('finishes a swap that committed before a power loss and drops one that had not', async () => {
    for (const failAt of ['rename', 'syncDirectory'] as const) {
      const f = await memoryFixture();
      const manager = await f.open();
      await manager.createTopic('c', 1, compactConfig);
      const log = manager.partition('c', 0)!;
      for (let i = 0; i < 40; i++)
        await log.append(await makeBatch([{ key: `k${i % 4}`, value: `v${i}` }], f.clock.now));
      await log.roll();
      await log.flush();
      f.disk!.failNext(failAt, { fail: 'EIO' }, '.log');
      await manager.compact(true);
      f.disk!.powerLoss(() => 0.5);
      f.remount();
      const reopened = await f.open();
      const records = await readAll(reopened.partition('c', 0)!);
      const latest = new Map(records.map((r) => [r.key, r.value]));
      assert.deepEqual(Object.fromEntries(latest), { k0: 'v36', k1: 'v37', k2: 'v38', k3: 'v39' });
      assert.ok(records.every((r, i) => i === 0 || r.offset > records[i - 1]!.offset));
      await reopened.close();
    }
  });
});
