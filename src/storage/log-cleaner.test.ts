import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeEndTransactionBatch } from '../protocol/records/control-record.ts';
import { decodeRecordBatch, encodeRecordBatch } from '../protocol/records/record-batch.ts';
import { memoryFixture, nodeFixture } from './log-fixture.ts';
import type { PartitionLog } from './partition-log.ts';
import { makeBatch, type ReadRecord, recordsOf, type TestRecord } from './test-batches.ts';

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

/** A transactional batch of producer `producerId` (epoch 0) starting at `sequence`. */
function txnBatch(producerId: bigint, sequence: number, records: TestRecord[], timestampMs: number) {
  return encodeRecordBatch({
    transactional: true,
    producerId,
    producerEpoch: 0,
    baseSequence: sequence,
    baseTimestamp: BigInt(timestampMs),
    records: records.map((r, i) => ({
      offsetDelta: i,
      timestampDelta: 0n,
      key: r.key === null ? null : Buffer.from(r.key),
      value: r.value === null ? null : Buffer.from(r.value),
      headers: [],
    })),
  });
}

function marker(producerId: bigint, type: 'commit' | 'abort', timestampMs: number) {
  return encodeEndTransactionBatch({
    type,
    producerId,
    producerEpoch: 0,
    coordinatorEpoch: 0,
    timestamp: BigInt(timestampMs),
  });
}

/** What a read_committed consumer sees: Kafka's client algorithm over the aborted-transaction list. */
async function readCommitted(log: PartitionLog): Promise<ReadRecord[]> {
  const out: ReadRecord[] = [];
  let offset = log.logStartOffset;
  const end = log.lastStableOffset;
  while (offset < end) {
    const { batches } = await log.read(offset, 1 << 20);
    if (batches.length === 0) break;
    const aborted = log.abortedTransactions(offset, end);
    const abortedProducers = new Set<bigint>();
    for (const bytes of batches) {
      const batch = decodeRecordBatch(bytes);
      const pid = batch.header.producerId;
      while (aborted.length > 0 && aborted[0]!.firstOffset <= Number(batch.lastOffset))
        abortedProducers.add(aborted.shift()!.producerId);
      if (batch.control) {
        if (batch.header.recordCount > 0 && (await batch.decodeRecords())[0]!.key!.readInt16BE(2) === 0)
          abortedProducers.delete(pid);
      } else if (!(batch.transactional && abortedProducers.has(pid))) {
        out.push(...(await recordsOf([bytes])).filter((r) => r.offset >= offset));
      }
      offset = Number(batch.lastOffset) + 1;
    }
  }
  return out;
}

async function controlOffsets(log: PartitionLog): Promise<number[]> {
  const out: number[] = [];
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    const { batches } = await log.read(offset, 1 << 20);
    if (batches.length === 0) break;
    for (const bytes of batches) {
      const batch = decodeRecordBatch(bytes);
      if (batch.control && batch.header.recordCount > 0) out.push(Number(batch.header.baseOffset));
      offset = Number(batch.lastOffset) + 1;
    }
  }
  return out;
}

describe('log compaction of transactional data', () => {
  it('removes aborted batches, keeps committed ones, and drops markers once no data needs them and delete.retention.ms passed', async () => {
    const f = await memoryFixture();
    const manager = await f.open();
    try {
      await manager.createTopic('c', 1, compactConfig);
      const log = manager.partition('c', 0)!;
      const t = f.clock.now;
      await log.append(await makeBatch([{ key: 'a', value: 'plain-1' }], t));
      await log.append(
        await txnBatch(
          7n,
          0,
          [
            { key: 'a', value: 'aborted-1' },
            { key: 'b', value: 'aborted-2' },
          ],
          t,
        ),
      );
      await log.append(await marker(7n, 'abort', t)); // offset 3
      await log.append(await txnBatch(7n, 2, [{ key: 'b', value: 'committed-1' }], t));
      await log.append(await marker(7n, 'commit', t)); // offset 5
      await log.append(await makeBatch([{ key: 'c', value: 'plain-2' }], t));
      await log.roll();
      await log.append(await makeBatch([{ key: 'z', value: 'active' }], t));
      await log.flush();
      const before = (await readCommitted(log)).map((r) => `${r.key}=${r.value}`);
      assert.deepEqual(before, ['a=plain-1', 'b=committed-1', 'c=plain-2', 'z=active']);

      await manager.compact(true);
      // The aborted batch is gone even to read_uncommitted readers; its marker stays this pass.
      const all = await readAll(log);
      assert.ok(!all.some((r) => r.value?.startsWith('aborted')), JSON.stringify(all));
      assert.deepEqual(
        (await readCommitted(log)).map((r) => `${r.key}=${r.value}`),
        before,
      );
      assert.deepEqual(await controlOffsets(log), [3, 5]);

      // No data guards the abort marker now: it gets a delete horizon, and goes once that passes.
      await manager.compact(true);
      assert.deepEqual(await controlOffsets(log), [3, 5]);
      f.clock.now += 2_000;
      await manager.compact(true);
      assert.deepEqual(await controlOffsets(log), [5]);
      assert.deepEqual(log.abortedTransactions(0, log.logEndOffset), []);
      assert.deepEqual(
        (await readCommitted(log)).map((r) => `${r.key}=${r.value}`),
        before,
      );

      // A retry of the producer's last batch is still recognised after a restart without snapshots.
      await manager.close();
      for (const name of await f.fs.readdir(`${f.dataDir}/c-0`))
        if (name.endsWith('.snapshot')) await f.fs.unlink(`${f.dataDir}/c-0/${name}`);
      const reopened = await f.open();
      const again = reopened.partition('c', 0)!;
      const retry = await again.append(await txnBatch(7n, 2, [{ key: 'b', value: 'committed-1' }], t));
      assert.deepEqual([retry.duplicate, retry.baseOffset], [true, 4]);
      assert.deepEqual(
        (await readCommitted(again)).map((r) => `${r.key}=${r.value}`),
        before,
      );
      await reopened.close();
    } finally {
      await manager.close().catch(() => {});
      await f.dispose();
    }
  });

  it('never cleans at or past the first offset of an open transaction', async () => {
    const f = await memoryFixture();
    const manager = await f.open();
    try {
      await manager.createTopic('c', 1, compactConfig);
      const log = manager.partition('c', 0)!;
      await log.append(await makeBatch([{ key: 'k', value: 'old' }], f.clock.now));
      await log.roll();
      await log.append(await txnBatch(9n, 0, [{ key: 'k', value: 'open' }], f.clock.now));
      await log.roll();
      await log.append(await makeBatch([{ key: 'k', value: 'new' }], f.clock.now));
      await log.roll();
      await log.flush();
      await manager.compact(true);
      assert.deepEqual(
        (await readAll(log)).map((r) => r.value),
        ['old', 'open', 'new'],
      );
    } finally {
      await manager.close();
      await f.dispose();
    }
  });
});

describe('log compaction housekeeping', () => {
  it('merges small cleaned segments into one no larger than segment.bytes, keeping every record', async () => {
    const f = await memoryFixture();
    const manager = await f.open();
    try {
      await manager.createTopic('c', 1, { ...compactConfig, 'segment.bytes': '1200' });
      const log = manager.partition('c', 0)!;
      for (let i = 0; i < 60; i++) {
        await log.append(await makeBatch([{ key: `k${i % 6}`, value: `v${i}` }], f.clock.now));
        if (i % 6 === 5) await log.roll();
      }
      await log.flush();
      const segmentsBefore = log.segments.length;
      await manager.compact(true);
      const expected = (await readAll(log)).map((r) => `${r.offset}:${r.key}=${r.value}`);
      await manager.compact(true);
      assert.ok(
        log.segments.length < segmentsBefore / 2,
        `${segmentsBefore} -> ${log.segments.length} segments`,
      );
      assert.ok(log.segments.slice(0, -1).every((s) => s.sizeBytes <= 1200));
      assert.deepEqual(
        (await readAll(log)).map((r) => `${r.offset}:${r.key}=${r.value}`),
        expected,
      );
      await manager.close();
      const reopened = await f.open();
      const again = reopened.partition('c', 0)!;
      assert.deepEqual(
        (await readAll(again)).map((r) => `${r.offset}:${r.key}=${r.value}`),
        expected,
      );
      assert.deepEqual(await again.offsetForTimestamp(0), {
        offset: expected[0]!.split(':').map(Number)[0],
        timestampMs: f.clock.now,
      });
      await reopened.close();
    } finally {
      await f.dispose();
    }
  });

  it('persists the cleaner checkpoint, so a restart does not clean an already clean log again', async () => {
    const f = await memoryFixture();
    const manager = await f.open();
    try {
      await manager.createTopic('c', 1, compactConfig);
      const log = manager.partition('c', 0)!;
      for (let i = 0; i < 40; i++)
        await log.append(await makeBatch([{ key: `k${i % 4}`, value: `v${i}` }], f.clock.now));
      await log.roll();
      await log.flush();
      const [first] = await manager.compact();
      assert.equal(first?.cleanedUpTo, 40);
      await manager.close();
      const text = (await f.fs.readFile(`${f.dataDir}/cleaner-offset-checkpoint`)).toString();
      assert.equal(text, '0\n1\nc 0 40\n');
      const reopened = await f.open();
      assert.deepEqual(await reopened.compact(), []);
      // A topic deleted and created again under the same name starts with a dirty log.
      await reopened.deleteTopic('c');
      await reopened.createTopic('c', 1, compactConfig);
      const log2 = reopened.partition('c', 0)!;
      for (let i = 0; i < 50; i++)
        await log2.append(await makeBatch([{ key: i < 40 ? 'a' : 'b', value: `w${i}` }], f.clock.now));
      await log2.roll();
      await log2.flush();
      const [again] = await reopened.compact(true);
      assert.equal(again?.recordsRemoved, 48);
      await reopened.close();
    } finally {
      await f.dispose();
    }
  });

  it('keeps a tombstone delete.retention.ms after the pass that first saw it, however old its timestamp', async () => {
    const f = await memoryFixture();
    const manager = await f.open();
    try {
      await manager.createTopic('c', 1, compactConfig);
      const log = manager.partition('c', 0)!;
      await log.append(await makeBatch([{ key: 'k', value: 'v' }], f.clock.now - 100_000));
      await log.append(await makeBatch([{ key: 'k', value: null }], f.clock.now - 100_000));
      await log.roll();
      await log.flush();
      await manager.compact(true);
      const stamped = (await log.read(0, 1 << 20)).batches.map((b) => decodeRecordBatch(b));
      const tombstone = stamped.find((b) => b.header.recordCount === 1)!;
      assert.equal(tombstone.header.attributes & 0x40, 0x40);
      assert.equal(Number(tombstone.header.baseTimestamp), f.clock.now + 1_000);
      assert.deepEqual(
        (await readAll(log)).map((r) => `${r.key}=${r.value}@${r.timestampMs}`),
        [`k=null@${f.clock.now - 100_000}`],
      );
      f.clock.now += 999;
      await manager.compact(true);
      assert.equal((await readAll(log)).length, 1);
      f.clock.now += 1;
      await manager.compact(true);
      assert.equal((await readAll(log)).length, 0);
    } finally {
      await manager.close();
      await f.dispose();
    }
  });

  it('finishes a merging swap that committed before a power loss and drops one that had not', async () => {
    // Before the commit (rename to .swap), at its directory fsync, at the final rename, and while
    // deleting a merged segment after the commit (the partition goes offline; recovery finishes).
    const faults = [
      ['rename', '.log.cleaned'],
      ['syncDirectory', 'c-0'],
      ['rename', '.log.swap'],
      ['unlink', '0005.log'],
    ] as const;
    for (const [failAt, path] of faults) {
      const f = await memoryFixture();
      const manager = await f.open();
      await manager.createTopic('c', 1, { ...compactConfig, 'segment.bytes': '3000' });
      const log = manager.partition('c', 0)!;
      for (let i = 0; i < 40; i++) {
        await log.append(await makeBatch([{ key: `k${i % 4}`, value: `v${i}` }], f.clock.now));
        if (i % 5 === 4) await log.roll();
      }
      await log.flush();
      f.disk!.failNext(failAt, { fail: 'EIO' }, path);
      const segmentsBefore = log.segments.length;
      await manager.compact(true);
      assert.equal(
        log.segments.length,
        segmentsBefore,
        `${failAt} ${path}: the failed swap changed nothing in memory`,
      );
      f.disk!.powerLoss(() => 0.5);
      f.remount();
      const reopened = await f.open();
      const records = await readAll(reopened.partition('c', 0)!);
      const latest = new Map(records.map((r) => [r.key, r.value]));
      assert.deepEqual(Object.fromEntries(latest), { k0: 'v36', k1: 'v37', k2: 'v38', k3: 'v39' }, path);
      assert.ok(records.every((r, i) => i === 0 || r.offset > records[i - 1]!.offset));
      assert.equal(reopened.partition('c', 0)!.logEndOffset, 40);
      await reopened.close();
    }
  });
});
