// Storage throughput on the real disk, beside a raw node:fs loop doing the same I/O (the physical
// limit): appends of 1 KiB and 64 KiB batches with and without flush.messages=1, and sequential
// reads. Run alone with `node --import tsx bench/storage.ts`.
import { constants } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NodeFileSystem } from '../src/storage/fs/node-file-system.ts';
import { LogManager } from '../src/storage/log-manager.ts';
import type { PartitionLog } from '../src/storage/partition-log.ts';
import { makeBatch } from '../src/storage/test-batches.ts';
import type { BenchRow } from './bench-row.ts';

const MiB = 1024 * 1024;

interface Shape {
  label: string;
  batchBytes: number;
  recordsPerBatch: number;
  totalBytes: number;
  flushEach: boolean;
  /** Appends in flight at once (producers sharing a partition). */
  concurrency: number;
  /** As on the broker's produce path, where the codec has already checked each CRC. */
  crcVerified?: boolean;
}

async function batchOf(shape: Shape): Promise<Buffer> {
  const valueBytes = Math.max(1, Math.floor(shape.batchBytes / shape.recordsPerBatch) - 10);
  const records = Array.from({ length: shape.recordsPerBatch }, (_, i) => ({
    key: null,
    value: `${i}`.padEnd(valueBytes, 'x'),
  }));
  return makeBatch(records, Date.now());
}

async function sluiceAppend(dir: string, shape: Shape, batch: Buffer): Promise<number> {
  const manager = await LogManager.open(dir, new NodeFileSystem());
  await manager.createTopic(
    'bench',
    1,
    shape.flushEach ? { 'flush.messages': '1' } : { 'flush.ms': '600000' },
  );
  const log = manager.partition('bench', 0)!;
  const count = Math.ceil(shape.totalBytes / batch.length);
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    // Each worker appends its own copy: append patches offsets into the buffer it is given.
    const own = Buffer.from(batch);
    while (next < count) {
      next++;
      await log.append(own, { crcVerified: shape.crcVerified === true });
    }
  };
  await Promise.all(Array.from({ length: shape.concurrency }, worker));
  await log.flush();
  const seconds = (performance.now() - started) / 1000;
  await manager.close();
  return seconds;
}

async function rawAppend(dir: string, shape: Shape, batch: Buffer): Promise<number> {
  const file = await open(join(dir, 'raw.log'), constants.O_RDWR | constants.O_CREAT | constants.O_TRUNC);
  const count = Math.ceil(shape.totalBytes / batch.length);
  const started = performance.now();
  let position = 0;
  let next = 0;
  // Same concurrency as Sluice; with flush each writer syncs after its write (no grouping).
  const worker = async () => {
    while (next < count) {
      next++;
      const at = position;
      position += batch.length;
      await file.write(batch, 0, batch.length, at);
      if (shape.flushEach) await file.datasync();
    }
  };
  await Promise.all(Array.from({ length: shape.concurrency }, worker));
  await file.datasync();
  const seconds = (performance.now() - started) / 1000;
  await file.close();
  return seconds;
}

interface ReadRun {
  seconds: number;
  bytes: number;
}

/** Reads the whole log once from offset 0 in 1 MiB fetches. */
async function readPass(log: PartitionLog): Promise<ReadRun> {
  let offset = log.logStartOffset;
  let bytes = 0;
  const started = performance.now();
  while (offset < log.logEndOffset) {
    const { batches } = await log.read(offset, MiB);
    const last = batches.at(-1);
    if (last === undefined) break;
    for (const b of batches) bytes += b.length;
    offset = Number(last.readBigInt64BE(0)) + last.readInt32BE(23) + 1;
  }
  return { seconds: (performance.now() - started) / 1000, bytes };
}

/**
 * Opens the log (as after a restart) and reads it twice: the first pass checks every batch's CRC,
 * the second reads bytes already known good (as a consumer of data appended by the running broker).
 */
async function sluiceRead(dir: string): Promise<{ first: ReadRun; again: ReadRun }> {
  const manager = await LogManager.open(dir, new NodeFileSystem());
  const log = manager.partition('bench', 0)!;
  const first = await readPass(log);
  const again = await readPass(log);
  await manager.close();
  return { first, again };
}

async function rawRead(path: string): Promise<{ seconds: number; bytes: number }> {
  const file = await open(path, 'r');
  const buf = Buffer.allocUnsafe(MiB);
  let bytes = 0;
  const started = performance.now();
  for (;;) {
    const { bytesRead } = await file.read(buf, 0, MiB, bytes);
    if (bytesRead === 0) break;
    bytes += bytesRead;
  }
  const seconds = (performance.now() - started) / 1000;
  await file.close();
  return { seconds, bytes };
}

export async function benchStorage(): Promise<BenchRow[]> {
  const shapes: Shape[] = [
    {
      label: '64 KiB batches',
      batchBytes: 64 * 1024,
      recordsPerBatch: 64,
      totalBytes: 128 * MiB,
      flushEach: false,
      concurrency: 1,
    },
    {
      label: '64 KiB batches, CRC checked by caller',
      batchBytes: 64 * 1024,
      recordsPerBatch: 64,
      totalBytes: 128 * MiB,
      flushEach: false,
      concurrency: 1,
      crcVerified: true,
    },
    {
      label: '1 KiB batches',
      batchBytes: 1024,
      recordsPerBatch: 8,
      totalBytes: 32 * MiB,
      flushEach: false,
      concurrency: 1,
    },
    {
      label: '64 KiB batches, flush.messages=1, 8 producers',
      batchBytes: 64 * 1024,
      recordsPerBatch: 64,
      totalBytes: 32 * MiB,
      flushEach: true,
      concurrency: 8,
    },
    {
      label: '1 KiB batches, flush.messages=1, 8 producers',
      batchBytes: 1024,
      recordsPerBatch: 8,
      totalBytes: 2 * MiB,
      flushEach: true,
      concurrency: 8,
    },
  ];
  const rows: BenchRow[] = [];
  for (const shape of shapes) {
    const root = await mkdtemp(join(tmpdir(), 'sluice-bench-'));
    try {
      const batch = await batchOf(shape);
      // Best of three, alternating, so page-cache writeback from one run does not tax only the other.
      let sluice = Number.POSITIVE_INFINITY;
      let raw = Number.POSITIVE_INFINITY;
      for (let round = 0; round < 3; round++) {
        await rm(join(root, 'data'), { recursive: true, force: true });
        sluice = Math.min(sluice, await sluiceAppend(join(root, 'data'), shape, batch));
        raw = Math.min(raw, await rawAppend(root, shape, batch));
      }
      const batches = Math.ceil(shape.totalBytes / batch.length);
      const mb = (batches * batch.length) / MiB;
      rows.push({
        name: `append ${shape.label}`,
        unit: 'MiB/s',
        value: mb / sluice,
        peer: { name: 'raw fs', value: mb / raw },
      });
      const records = batches * shape.recordsPerBatch;
      rows.push({
        name: `append ${shape.label}`,
        unit: 'records/s',
        value: records / sluice,
        peer: { name: 'raw fs', value: records / raw },
      });
      if (shape === shapes[0]) {
        const read = await sluiceRead(join(root, 'data'));
        const rawRun = await rawRead(join(root, 'raw.log'));
        // Second run of each, both from a warm page cache; the faster of the two counts.
        const read2 = await sluiceRead(join(root, 'data'));
        const rawRun2 = await rawRead(join(root, 'raw.log'));
        const faster = (a: ReadRun, b: ReadRun) => (b.seconds < a.seconds ? b : a);
        const first = faster(read.first, read2.first);
        const again = faster(read.again, read2.again);
        const raw = faster(rawRun, rawRun2);
        const peer = { name: 'raw fs', value: raw.bytes / MiB / raw.seconds };
        rows.push({
          name: 'sequential read (1 MiB fetches), first after open',
          unit: 'MiB/s',
          value: first.bytes / MiB / first.seconds,
          peer,
        });
        rows.push({
          name: 'sequential read (1 MiB fetches), again',
          unit: 'MiB/s',
          value: again.bytes / MiB / again.seconds,
          peer,
        });
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }
  return rows;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { formatRows } = await import('./bench-row.ts');
  console.log(formatRows('Storage (one partition, real disk)', await benchStorage()));
}
