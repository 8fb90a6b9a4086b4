import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStorageError, type StorageError } from './errors.ts';
import { memoryFixture } from './log-fixture.ts';
import type { PartitionLog } from './partition-log.ts';
import { makeValuesBatch, recordsOf } from './test-batches.ts';

const isCode = (code: string) => (e: unknown) => isStorageError(e) && e.code === code;

async function fill(log: PartitionLog, batches: number, prefix = 'v'): Promise<void> {
  for (let i = 0; i < batches; i++) await log.append(await makeValuesBatch(`${prefix}${i}`, 2, 1_000, 30));
}

async function countRecords(log: PartitionLog): Promise<number> {
  let offset = log.logStartOffset;
  let count = 0;
  while (offset < log.logEndOffset) {
    const records = await recordsOf((await log.read(offset, 1 << 20)).batches);
    if (records.length === 0) break;
    count += records.filter((r) => r.offset >= offset).length;
    offset = records.at(-1)!.offset + 1;
  }
  return count;
}

describe('recovery', () => {
  it('truncates a torn tail after a failed write and keeps everything before it', async () => {
    const f = await memoryFixture();
    const manager = await f.open();
    await manager.createTopic('t', 1);
    const log = manager.partition('t', 0)!;
    await fill(log, 10);
    await log.flush();
    f.disk!.failNext('write', { tearFraction: 0.6 }, 't-0/');
    await assert.rejects(log.append(await makeValuesBatch('torn', 2)), (e) => {
      const error = e as StorageError;
      return error.code === 'io_error' && error.partition === 0 && error.file!.endsWith('.log');
    });
    await assert.rejects(log.read(0, 100), isCode('partition_offline'));
    const reopened = await f.open();
    const again = reopened.partition('t', 0)!;
    assert.ok(reopened.recoveryReport.partitions[0]!.truncatedBytes > 0);
    assert.equal(again.logEndOffset, 20);
    assert.equal(await countRecords(again), 20);
    assert.equal((await again.append(await makeValuesBatch('next', 1))).baseOffset, 20);
  });

  it('truncates at garbage in the middle of the unflushed tail after an unclean stop', async () => {
    const f = await memoryFixture();
    const manager = await f.open();
    await manager.createTopic('t', 1);
    const log = manager.partition('t', 0)!;
    await fill(log, 10);
    const position = log.segments[0]!.sizeBytes;
    await fill(log, 10, 'w');
    const file = await f.fs.open(`${f.dataDir}/t-0/00000000000000000000.log`, 'readWrite');
    await file.write(Buffer.alloc(40, 0xab), position + 20);
    await file.close();
    const reopened = await f.open();
    const again = reopened.partition('t', 0)!;
    assert.equal(again.logEndOffset, 20);
    assert.equal(await countRecords(again), 20);
  });

  it('takes only the partition offline when a flushed batch is corrupt, naming the file', async () => {
    const f = await memoryFixture();
    const manager = await f.open();
    await manager.createTopic('t', 2, { 'segment.bytes': '700' });
    await fill(manager.partition('t', 0)!, 10);
    await fill(manager.partition('t', 1)!, 10);
    await manager.close();
    const path = `${f.dataDir}/t-0/00000000000000000000.log`;
    const file = await f.fs.open(path, 'readWrite');
    await file.write(Buffer.from('garbage!'), 300);
    await file.close();
    const reopened = await f.open();
    assert.equal(reopened.recoveryReport.clean, true);
    const bad = reopened.partition('t', 0)!;
    await assert.rejects(bad.read(0, 1 << 20), (e) => {
      const error = e as StorageError;
      return error.code === 'corrupt_log' && error.file === path && error.message.includes('t-0');
    });
    assert.equal(bad.isOffline, true);
    await assert.rejects(bad.append(await makeValuesBatch('x', 1)), isCode('partition_offline'));
    const good = reopened.partition('t', 1)!;
    assert.equal(await countRecords(good), 20);
    assert.equal((await good.append(await makeValuesBatch('y', 1))).baseOffset, 20);
  });

  it('opens a partition offline when its active segment is corrupt after a clean shutdown', async () => {
    const f = await memoryFixture();
    const manager = await f.open();
    await manager.createTopic('t', 1);
    await fill(manager.partition('t', 0)!, 10);
    await manager.close();
    const path = `${f.dataDir}/t-0/00000000000000000000.log`;
    const file = await f.fs.open(path, 'readWrite');
    await file.write(Buffer.from('garbage!'), 300);
    await file.close();
    const reopened = await f.open();
    const log = reopened.partition('t', 0)!;
    assert.equal(log.offlineError?.code, 'corrupt_log');
    assert.equal(log.offlineError?.file, path);
    assert.deepEqual(reopened.recoveryReport.offlinePartitions, ['t-0']);
    assert.equal((await f.fs.readFile(path)).length > 300, true);
  });

  it('rebuilds a missing offset index and a missing time index', async () => {
    const f = await memoryFixture();
    const manager = await f.open();
    await manager.createTopic('t', 1, { 'segment.bytes': '600', 'index.interval.bytes': '50' });
    await fill(manager.partition('t', 0)!, 20);
    await manager.close();
    await f.fs.unlink(`${f.dataDir}/t-0/00000000000000000000.index`);
    await f.fs.unlink(`${f.dataDir}/t-0/00000000000000000000.timeindex`);
    const reopened = await f.open();
    const log = reopened.partition('t', 0)!;
    assert.equal(await countRecords(log), 40);
    const names = await f.fs.readdir(`${f.dataDir}/t-0`);
    assert.ok(
      names.includes('00000000000000000000.index') && names.includes('00000000000000000000.timeindex'),
    );
    const rebuilt = await f.fs.readFile(`${f.dataDir}/t-0/00000000000000000000.index`);
    assert.ok(rebuilt.length > 0);
  });

  it('reports a full disk as disk_full for that partition while the others keep appending', async () => {
    const f = await memoryFixture();
    const manager = await f.open();
    await manager.createTopic('a', 1);
    await manager.createTopic('b', 1);
    f.disk!.failNext('write', { fail: 'ENOSPC' }, 'a-0/');
    await assert.rejects(manager.partition('a', 0)!.append(await makeValuesBatch('x', 1)), (e) => {
      const error = e as StorageError;
      return error.code === 'disk_full' && error.topic === 'a' && error.file!.includes('a-0');
    });
    assert.equal(manager.partition('a', 0)!.isOffline, true);
    assert.equal((await manager.partition('b', 0)!.append(await makeValuesBatch('y', 1))).baseOffset, 0);
  });

  it('reports a read-only directory and a failed fsync as typed errors', async () => {
    const f = await memoryFixture();
    const manager = await f.open();
    await manager.createTopic('t', 2, { 'flush.messages': '1' });
    f.disk!.failNext('sync', { fail: 'EIO' }, 't-0/');
    await assert.rejects(
      manager.partition('t', 0)!.append(await makeValuesBatch('x', 1)),
      isCode('io_error'),
    );
    f.disk!.readOnly = true;
    await assert.rejects(
      manager.partition('t', 1)!.append(await makeValuesBatch('x', 1)),
      isCode('read_only'),
    );
  });

  it('comes back with every flushed record after a power loss drops the unflushed ones', async () => {
    const f = await memoryFixture();
    const manager = await f.open();
    await manager.createTopic('t', 1, { 'segment.bytes': '700' });
    const log = manager.partition('t', 0)!;
    await fill(log, 15);
    await log.flush();
    await manager.writeCheckpoints();
    await fill(log, 15, 'lost');
    f.disk!.powerLoss(() => 0);
    f.remount();
    const reopened = await f.open();
    assert.equal(reopened.recoveryReport.clean, false);
    const again = reopened.partition('t', 0)!;
    assert.equal(again.logEndOffset, 30);
    assert.equal(await countRecords(again), 30);
  });
});
