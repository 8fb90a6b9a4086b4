import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { storageLimits } from '../limits.ts';
import { isStorageError } from './errors.ts';
import { memoryFixture } from './log-fixture.ts';
import type { PartitionLog } from './partition-log.ts';
import { makeValuesBatch } from './test-batches.ts';

async function fill(log: PartitionLog, batches: number): Promise<void> {
  for (let i = 0; i < batches; i++) await log.append(await makeValuesBatch(`v${i}`, 2, 1_000, 30));
}

async function readAll(log: PartitionLog): Promise<void> {
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    const { batches } = await log.read(offset, 1 << 20);
    const last = batches.at(-1);
    if (last === undefined) break;
    offset = Number(last.readBigInt64BE(0)) + last.readInt32BE(23) + 1;
  }
}

describe('CRC-checked byte ranges of a segment', () => {
  it('covers what this process appended, and what a restart has not yet read', async () => {
    const f = await memoryFixture();
    const manager = await f.open();
    await manager.createTopic('t', 1, { 'segment.bytes': '700' });
    const log = manager.partition('t', 0)!;
    await fill(log, 10);
    assert.ok(log.segments.length > 1);
    for (const s of log.segments) assert.equal(s.isVerified(0, s.sizeBytes), true, s.logPath);
    await manager.close();

    const reopened = await f.open();
    const again = reopened.partition('t', 0)!;
    const sealed = again.segments.filter((s) => s.isSealed);
    assert.ok(sealed.length > 0);
    for (const s of sealed) assert.equal(s.isVerified(0, s.sizeBytes), false, s.logPath);
    await readAll(again);
    for (const s of again.segments) assert.equal(s.isVerified(0, s.sizeBytes), true, s.logPath);
    await reopened.close();
  });

  it('covers the segments recovery scanned after a crash', async () => {
    const f = await memoryFixture();
    const manager = await f.open();
    await manager.createTopic('t', 1, { 'segment.bytes': '700' });
    await fill(manager.partition('t', 0)!, 10);
    await manager.partition('t', 0)!.flush();
    // No close: the next open finds no clean-shutdown marker and scans from the recovery point.
    const reopened = await f.open();
    assert.equal(reopened.recoveryReport.clean, false);
    const active = reopened.partition('t', 0)!.segments.at(-1)!;
    assert.equal(active.isVerified(0, active.sizeBytes), true);
    await reopened.close();
  });

  it('still finds a corrupt batch on the first read after a restart', async () => {
    const f = await memoryFixture();
    const manager = await f.open();
    await manager.createTopic('t', 1, { 'segment.bytes': '700' });
    await fill(manager.partition('t', 0)!, 10);
    await manager.close();
    const file = await f.fs.open(`${f.dataDir}/t-0/00000000000000000000.log`, 'readWrite');
    await file.write(Buffer.from('garbage!'), 300);
    await file.close();
    const reopened = await f.open();
    await assert.rejects(
      readAll(reopened.partition('t', 0)!),
      (e) => isStorageError(e) && e.code === 'corrupt_log',
    );
  });

  it('merges touching ranges and keeps at most the limit, forgetting the shortest', async () => {
    const f = await memoryFixture();
    const manager = await f.open();
    await manager.createTopic('t', 1);
    const segment = manager.partition('t', 0)!.segments[0]!;
    segment.markVerified(100, 200);
    segment.markVerified(200, 300);
    segment.markVerified(50, 120);
    assert.equal(segment.isVerified(50, 300), true);
    assert.equal(segment.isVerified(40, 300), false);
    assert.equal(segment.isVerified(50, 301), false);
    const max = storageLimits.verifiedRangesPerSegmentMax;
    // Disjoint ranges after it, each longer than the one before; the first is the shortest of them.
    for (let i = 0; i < max; i++) segment.markVerified(1_000 * (i + 1), 1_000 * (i + 1) + 10 + i);
    assert.equal(segment.isVerified(1_000, 1_010), false);
    assert.equal(segment.isVerified(50, 300), true);
    assert.equal(segment.isVerified(2_000, 2_011), true);
    assert.equal(segment.isVerified(1_000 * max, 1_000 * max + 9 + max), true);
    await manager.close();
  });
});
