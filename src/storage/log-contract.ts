// The partition-log behaviour suite, run over both filesystems (log.memory.test.ts,
// log.node.test.ts), so the simulated disk and the real one are held to the same log semantics.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStorageError } from './errors.ts';
import type { LogFixture, LogFixtureFactory } from './log-fixture.ts';
import type { LogManager } from './log-manager.ts';
import type { PartitionLog } from './partition-log.ts';
import { makeBatch, makeTimedBatch, makeValuesBatch, recordsOf } from './test-batches.ts';

async function withLog(
  make: LogFixtureFactory,
  configs: Record<string, string>,
  body: (f: LogFixture, manager: LogManager, log: PartitionLog) => Promise<void>,
): Promise<void> {
  const f = await make();
  const manager = await f.open();
  try {
    await manager.createTopic('t', 1, configs);
    await body(f, manager, manager.partition('t', 0)!);
  } finally {
    await manager.close().catch(() => {});
    await f.dispose();
  }
}

async function readAll(log: PartitionLog, from = log.logStartOffset) {
  const out = [];
  let offset = from;
  // Bounded by the log's size: every read returns at least one batch until the end.
  while (offset < log.logEndOffset) {
    const { batches } = await log.read(offset, 4096);
    const records = await recordsOf(batches);
    if (records.length === 0) break;
    out.push(...records.filter((r) => r.offset >= offset));
    offset = records.at(-1)!.offset + 1;
  }
  return out;
}

export function partitionLogContract(name: string, make: LogFixtureFactory): void {
  describe(`PartitionLog contract: ${name}`, () => {
    it('append() assigns consecutive offsets to every batch in a record set', () =>
      withLog(make, {}, async (_f, _m, log) => {
        const set = Buffer.concat([await makeValuesBatch('a', 3), await makeValuesBatch('b', 2)]);
        const first = await log.append(set);
        assert.deepEqual([first.baseOffset, first.lastOffset], [0, 4]);
        const second = await log.append(await makeValuesBatch('c', 1));
        assert.deepEqual([second.baseOffset, second.lastOffset, log.logEndOffset], [5, 5, 6]);
        const values = (await readAll(log)).map((r) => `${r.offset}:${r.value}`);
        assert.deepEqual(values, ['0:a-0', '1:a-1', '2:a-2', '3:b-0', '4:b-1', '5:c-0']);
      }));

    it('read() returns whole batches starting at the one holding the offset', () =>
      withLog(make, { 'index.interval.bytes': '100' }, async (_f, _m, log) => {
        for (let i = 0; i < 50; i++) await log.append(await makeValuesBatch(`v${i}`, 2));
        const { batches } = await log.read(33, 1);
        const records = await recordsOf(batches);
        assert.deepEqual(
          records.map((r) => r.offset),
          [32, 33],
        );
        assert.equal((await log.read(100, 1000)).batches.length, 0);
      }));

    it('read() rejects an offset outside [logStartOffset, logEndOffset] as out of range', () =>
      withLog(make, {}, async (_f, _m, log) => {
        await log.append(await makeValuesBatch('a', 2));
        await assert.rejects(log.read(3, 100), (e) => isStorageError(e) && e.code === 'offset_out_of_range');
      }));

    it('append() refuses a batch whose CRC does not match, without taking the partition offline', () =>
      withLog(make, {}, async (_f, _m, log) => {
        const batch = await makeValuesBatch('a', 2);
        batch[batch.length - 1]! ^= 0xff;
        await assert.rejects(log.append(batch), (e) => isStorageError(e) && e.code === 'invalid_batch');
        assert.equal(log.isOffline, false);
      }));

    it('rolls segments at segment.bytes and reads across them', () =>
      withLog(make, { 'segment.bytes': '1000' }, async (f, _m, log) => {
        for (let i = 0; i < 40; i++) await log.append(await makeValuesBatch(`v${i}`, 3, 1_000, 40));
        assert.ok(log.segments.length > 5, `expected several segments, got ${log.segments.length}`);
        const names = await f.fs.readdir(`${f.dataDir}/t-0`);
        assert.ok(
          names.includes('00000000000000000000.log') && names.includes('00000000000000000000.timeindex'),
        );
        assert.equal((await readAll(log)).length, 120);
      }));

    it('rolls a segment once segment.ms has passed since its first batch', () =>
      withLog(make, { 'segment.ms': '1000' }, async (f, _m, log) => {
        await log.append(await makeValuesBatch('a', 1, f.clock.now));
        f.clock.now += 2_000;
        await log.append(await makeValuesBatch('b', 1, f.clock.now));
        assert.equal(log.segments.length, 2);
      }));

    it('reopens after a clean shutdown without rescanning and keeps every record', () =>
      withLog(make, { 'segment.bytes': '2000', 'index.interval.bytes': '64' }, async (f, manager, log) => {
        for (let i = 0; i < 30; i++) await log.append(await makeValuesBatch(`v${i}`, 2, 1_000 + i, 30));
        await manager.close();
        const reopened = await f.open();
        try {
          assert.equal(reopened.recoveryReport.clean, true);
          assert.equal(reopened.recoveryReport.partitions[0]!.segmentsScanned, 0);
          const again = reopened.partition('t', 0)!;
          assert.equal(again.logEndOffset, 60);
          assert.equal((await readAll(again)).length, 60);
          assert.equal((await again.append(await makeValuesBatch('x', 1))).baseOffset, 60);
          assert.deepEqual(await again.offsetForTimestamp(1_015), { offset: 30, timestampMs: 1_015 });
        } finally {
          await reopened.close();
        }
      }));

    it('reopens after an unclean stop by rescanning and keeps every written record', () =>
      withLog(make, { 'segment.bytes': '2000' }, async (f, _m, log) => {
        for (let i = 0; i < 30; i++) await log.append(await makeValuesBatch(`v${i}`, 2, 1_000, 30));
        await log.flush();
        const reopened = await f.open();
        try {
          assert.equal(reopened.recoveryReport.clean, false);
          assert.ok(reopened.recoveryReport.partitions[0]!.segmentsScanned >= 1);
          assert.equal((await readAll(reopened.partition('t', 0)!)).length, 60);
        } finally {
          await reopened.close();
        }
      }));

    it('offsetForTimestamp() finds the first batch at or after a time, and maxTimestamp() the newest', () =>
      withLog(make, { 'segment.bytes': '600', 'index.interval.bytes': '1' }, async (_f, _m, log) => {
        for (let i = 0; i < 20; i++) await log.append(await makeValuesBatch(`v${i}`, 1, 5_000 + i * 10));
        assert.deepEqual(await log.offsetForTimestamp(5_095), { offset: 10, timestampMs: 5_100 });
        assert.deepEqual(await log.offsetForTimestamp(0), { offset: 0, timestampMs: 5_000 });
        assert.equal(await log.offsetForTimestamp(9_999), undefined);
        assert.deepEqual(await log.maxTimestamp(), { offset: 19, timestampMs: 5_190 });
      }));

    it('offsetForTimestamp() answers the first record at or after a time, not the start of its batch', () =>
      withLog(make, { 'segment.bytes': '400', 'index.interval.bytes': '1' }, async (_f, _m, log) => {
        // Records out of time order inside batches, plain and compressed, across several segments.
        const times = [
          [300, 100, 500],
          [250, 700, 600],
          [900, 800, 1_000],
        ];
        for (const [b, stamps] of times.entries()) {
          const records = stamps.map((t, i) => ({ value: `b${b}-${i}`, timestampMs: t }));
          await log.append(await makeTimedBatch(records, b === 1 ? 1 : b === 2 ? 4 : 0));
        }
        assert.deepEqual(await log.offsetForTimestamp(0), { offset: 0, timestampMs: 300 });
        assert.deepEqual(await log.offsetForTimestamp(301), { offset: 2, timestampMs: 500 });
        assert.deepEqual(await log.offsetForTimestamp(501), { offset: 4, timestampMs: 700 });
        assert.deepEqual(await log.offsetForTimestamp(650), { offset: 4, timestampMs: 700 });
        assert.deepEqual(await log.offsetForTimestamp(701), { offset: 6, timestampMs: 900 });
        assert.deepEqual(await log.offsetForTimestamp(950), { offset: 8, timestampMs: 1_000 });
        assert.equal(await log.offsetForTimestamp(1_001), undefined);
        assert.deepEqual(await log.maxTimestamp(), { offset: 8, timestampMs: 1_000 });
        await log.deleteRecordsBefore(7);
        assert.deepEqual(await log.offsetForTimestamp(0), { offset: 7, timestampMs: 800 });
      }));

    it('maxTimestamp() answers the first record carrying the largest timestamp inside its batch', () =>
      withLog(make, { 'segment.bytes': '300' }, async (_f, _m, log) => {
        await log.append(await makeTimedBatch([{ value: 'a', timestampMs: 10 }]));
        const records = [5, 40, 7, 40].map((t, i) => ({ value: `m${i}`, timestampMs: t }));
        await log.append(await makeTimedBatch(records, 3));
        await log.append(await makeTimedBatch([{ value: 'z', timestampMs: 20 }]));
        assert.deepEqual(await log.maxTimestamp(), { offset: 2, timestampMs: 40 });
      }));

    it('stamps LogAppendTime with the broker clock when the topic asks for it', () =>
      withLog(make, { 'message.timestamp.type': 'LogAppendTime' }, async (f, _m, log) => {
        const result = await log.append(await makeValuesBatch('a', 1, 5));
        assert.equal(result.logAppendTimeMs, f.clock.now);
        assert.deepEqual(await log.maxTimestamp(), { offset: 0, timestampMs: f.clock.now });
      }));

    it('deletes segments older than retention.ms, never the data still inside the window', () =>
      withLog(make, { 'segment.bytes': '500', 'retention.ms': '10000' }, async (f, _m, log) => {
        for (let i = 0; i < 10; i++)
          await log.append(await makeValuesBatch(`old${i}`, 2, f.clock.now - 20_000, 20));
        for (let i = 0; i < 10; i++) await log.append(await makeValuesBatch(`new${i}`, 2, f.clock.now, 20));
        const deleted = await log.enforceRetention();
        assert.ok(deleted > 0);
        const records = await readAll(log);
        assert.ok(records.every((r) => r.offset >= log.logStartOffset));
        assert.equal(records.filter((r) => r.value!.startsWith('new')).length, 20);
      }));

    it('deletes the oldest segments while the log exceeds retention.bytes', () =>
      withLog(make, { 'segment.bytes': '500', 'retention.bytes': '1500' }, async (_f, _m, log) => {
        for (let i = 0; i < 30; i++) await log.append(await makeValuesBatch(`v${i}`, 2, 1_000, 20));
        await log.enforceRetention();
        assert.ok(log.sizeBytes - log.segments[0]!.sizeBytes < 1500, `size ${log.sizeBytes}`);
        assert.equal(log.logStartOffset, log.segments[0]!.baseOffset);
      }));

    it('deleteRecordsBefore() moves the log start offset durably and deletes whole segments below it', () =>
      withLog(make, { 'segment.bytes': '500' }, async (f, manager, log) => {
        for (let i = 0; i < 20; i++) await log.append(await makeValuesBatch(`v${i}`, 2, 1_000, 20));
        assert.equal(await log.deleteRecordsBefore(17), 17);
        assert.ok(log.segments[0]!.baseOffset <= 17 && log.segments[0]!.baseOffset > 0);
        await assert.rejects(log.read(16, 100), (e) => isStorageError(e) && e.code === 'offset_out_of_range');
        await manager.close();
        const reopened = await f.open();
        try {
          assert.equal(reopened.partition('t', 0)!.logStartOffset, 17);
        } finally {
          await reopened.close();
        }
      }));

    it('flush.messages=1 makes each append wait for an fsync, shared across concurrent appends', () =>
      withLog(make, { 'flush.messages': '1' }, async (_f, manager, log) => {
        const rounds = manager.groupCommitRounds;
        const results = await Promise.all(
          Array.from({ length: 20 }, async (_, i) => log.append(await makeValuesBatch(`v${i}`, 1))),
        );
        assert.equal(log.flushedOffset, 20);
        assert.deepEqual(
          results.map((r) => r.baseOffset).sort((a, b) => a - b),
          Array.from({ length: 20 }, (_, i) => i),
        );
        assert.ok(
          manager.groupCommitRounds - rounds < 20,
          `${manager.groupCommitRounds - rounds} rounds for 20 appends`,
        );
      }));

    it('flushDue() syncs partitions whose flush.ms has passed', () =>
      withLog(make, { 'flush.ms': '500' }, async (f, manager, log) => {
        await log.append(await makeBatch([{ key: 'k', value: 'v' }]));
        assert.equal(manager.flushDue(), 0);
        f.clock.now += 600;
        assert.equal(manager.flushDue(), 1);
        await log.flush();
        assert.equal(log.flushedOffset, 1);
      }));

    it('persists topics, ids, partition counts and configs across restarts', () =>
      withLog(make, {}, async (f, manager) => {
        const created = await manager.createTopic('orders', 2, { 'cleanup.policy': 'compact' });
        assert.equal(Buffer.from(created.topicId, 'base64url').length, 16);
        await manager.createPartitions('orders', 3);
        await manager.alterTopicConfigs('orders', { 'retention.ms': '5' });
        await manager.createTopic('gone', 1);
        await manager.deleteTopic('gone');
        await assert.rejects(
          manager.createTopic('orders', 1),
          (e) => isStorageError(e) && e.code === 'topic_exists',
        );
        await assert.rejects(
          manager.createTopic('bad/name', 1),
          (e) => isStorageError(e) && e.code === 'invalid_config',
        );
        await manager.close();
        const reopened = await f.open();
        try {
          const orders = reopened.describeTopic('orders')!;
          assert.deepEqual(
            [orders.topicId, orders.partitions, orders.configs],
            [created.topicId, 3, { 'retention.ms': '5' }],
          );
          assert.equal(reopened.describeTopic('gone'), undefined);
          assert.equal(reopened.partition('orders', 2)!.logEndOffset, 0);
          assert.deepEqual(
            await f.fs.readdir(f.dataDir).then((n) => n.filter((x) => x.startsWith('gone'))),
            [],
          );
        } finally {
          await reopened.close();
        }
      }));
  });
}
