// Opening segments at startup. After a clean shutdown the index files are trusted (checked for
// order and bounds); after a crash, segments from the recovery point on are rescanned with
// length and CRC checks, their torn tail truncated and their indexes rebuilt.
import { StorageError } from './errors.ts';
import type { FileHandle } from './fs/file-system.ts';
import type { StorageLogger } from './logger.ts';
import { OFFSET_INDEX_ENTRY_BYTES, offsetIndexProblem } from './offset-index.ts';
import { emptyStats, openActiveIndexes, Segment, type SegmentContext, type SegmentStats } from './segment.ts';
import { segmentFileName, segmentSuffixes } from './segment-files.ts';
import { scanBatches } from './segment-scanner.ts';
import { SparseIndex } from './sparse-index.ts';
import { TIME_INDEX_ENTRY_BYTES, timeIndexProblem } from './time-index.ts';

export interface RecoveredSegment {
  segment: Segment;
  /** Why the scan stopped before the end of the file, if it did; the file was truncated there. */
  problem: string | undefined;
  truncatedBytes: number;
}

function path(ctx: SegmentContext, baseOffset: number, suffix: string): string {
  return `${ctx.dir}/${segmentFileName(baseOffset, suffix)}`;
}

async function readIfPresent(ctx: SegmentContext, file: string): Promise<Buffer | undefined> {
  const stat = await ctx.fs.stat(file);
  if (stat === undefined) return undefined;
  return ctx.fs.readFile(file);
}

/**
 * Scans a whole segment (CRC checked), truncates it after the last valid batch and rebuilds both
 * indexes. A sealed segment's indexes are written and fsynced; an active one's stay in memory.
 */
export async function recoverSegment(
  ctx: SegmentContext,
  baseOffset: number,
  sealed: boolean,
): Promise<RecoveredSegment> {
  const log = await ctx.fs.open(path(ctx, baseOffset, segmentSuffixes.log), 'readWrite');
  const fileBytes = await log.sizeBytes();
  const { offsetIndex, timeIndex } = await openActiveIndexes(
    ctx,
    baseOffset,
    Buffer.alloc(0),
    Buffer.alloc(0),
    true,
  );
  const segment = new Segment(ctx, baseOffset, log, offsetIndex, timeIndex, emptyStats(baseOffset), false);
  const result = await scanBatches(
    log,
    0,
    fileBytes,
    { verifyCrc: true, minBaseOffset: baseOffset },
    (info) => {
      segment.indexBatch(info);
      return true;
    },
  );
  const truncatedBytes = fileBytes - result.validEndPosition;
  if (truncatedBytes > 0) await log.truncate(result.validEndPosition);
  segment.markVerified(0, result.validEndPosition);
  // What survived a crash may still be only in the page cache (a killed process, not a power
  // loss); syncing it here lets the recovered log count as flushed.
  await log.sync();
  if (sealed) await segment.seal();
  return { segment, problem: result.problem, truncatedBytes };
}

/** Opens a sealed segment trusting its indexes, or rebuilds them when missing or inconsistent. */
export async function loadSealedSegment(
  ctx: SegmentContext,
  baseOffset: number,
  nextBaseOffset: number,
  logger: StorageLogger,
): Promise<RecoveredSegment> {
  const logFile = path(ctx, baseOffset, segmentSuffixes.log);
  const log = await ctx.fs.open(logFile, 'readWrite');
  const sizeBytes = await log.sizeBytes();
  const offsetEntries = await readIfPresent(ctx, path(ctx, baseOffset, segmentSuffixes.offsetIndex));
  const timeEntries = await readIfPresent(ctx, path(ctx, baseOffset, segmentSuffixes.timeIndex));
  const problem =
    offsetEntries === undefined || timeEntries === undefined
      ? 'index file missing'
      : (offsetIndexProblem(offsetEntries, sizeBytes) ?? timeIndexProblem(timeEntries));
  if (problem !== undefined || offsetEntries === undefined || timeEntries === undefined) {
    logger.warn({ file: logFile, problem }, 'Rebuilding segment indexes');
    await log.close();
    return recoverSegment(ctx, baseOffset, true);
  }
  const stats = statsFromTimeIndex(baseOffset, timeEntries, sizeBytes, nextBaseOffset);
  ctx.cache.set(path(ctx, baseOffset, segmentSuffixes.offsetIndex), offsetEntries);
  ctx.cache.set(path(ctx, baseOffset, segmentSuffixes.timeIndex), timeEntries);
  const segment = new Segment(
    ctx,
    baseOffset,
    log,
    SparseIndex.sealed(
      ctx.fs,
      ctx.cache,
      path(ctx, baseOffset, segmentSuffixes.offsetIndex),
      OFFSET_INDEX_ENTRY_BYTES,
      offsetEntries.length / OFFSET_INDEX_ENTRY_BYTES,
    ),
    SparseIndex.sealed(
      ctx.fs,
      ctx.cache,
      path(ctx, baseOffset, segmentSuffixes.timeIndex),
      TIME_INDEX_ENTRY_BYTES,
      timeEntries.length / TIME_INDEX_ENTRY_BYTES,
    ),
    stats,
    true,
  );
  return { segment, problem: undefined, truncatedBytes: 0 };
}

function statsFromTimeIndex(
  baseOffset: number,
  timeEntries: Buffer,
  sizeBytes: number,
  nextOffset: number,
): SegmentStats {
  const stats = { ...emptyStats(baseOffset), sizeBytes, nextOffset };
  if (timeEntries.length >= TIME_INDEX_ENTRY_BYTES) {
    const last = timeEntries.length - TIME_INDEX_ENTRY_BYTES;
    stats.maxTimestampMs = Number(timeEntries.readBigInt64BE(last));
    stats.offsetOfMaxTimestamp = baseOffset + timeEntries.readUInt32BE(last + 8);
  }
  return stats;
}

/**
 * Opens the last segment after a clean shutdown: its indexes were written at close, so only the
 * batch headers after the last index entry are read, to find the log end offset.
 */
export async function loadActiveSegment(
  ctx: SegmentContext,
  baseOffset: number,
  logger: StorageLogger,
): Promise<RecoveredSegment> {
  const logFile = path(ctx, baseOffset, segmentSuffixes.log);
  const offsetEntries = await readIfPresent(ctx, path(ctx, baseOffset, segmentSuffixes.offsetIndex));
  const timeEntries = await readIfPresent(ctx, path(ctx, baseOffset, segmentSuffixes.timeIndex));
  const log = await ctx.fs.open(logFile, 'readWrite');
  const sizeBytes = await log.sizeBytes();
  const problem =
    offsetEntries === undefined || timeEntries === undefined
      ? 'index file missing'
      : (offsetIndexProblem(offsetEntries, sizeBytes) ?? timeIndexProblem(timeEntries));
  if (problem !== undefined || offsetEntries === undefined || timeEntries === undefined) {
    logger.warn({ file: logFile, problem }, 'Rebuilding segment indexes');
    await log.close();
    return recoverSegment(ctx, baseOffset, false);
  }
  const { offsetIndex, timeIndex } = await openActiveIndexes(
    ctx,
    baseOffset,
    offsetEntries,
    timeEntries,
    false,
  );
  const stats = statsFromTimeIndex(baseOffset, timeEntries, 0, baseOffset);
  const segment = new Segment(ctx, baseOffset, log, offsetIndex, timeIndex, stats, false);
  const start = await segment.offsetIndex.last();
  const first = await firstTimestamp(log, sizeBytes);
  const result = await scanBatches(
    log,
    start.position,
    sizeBytes,
    { verifyCrc: false, minBaseOffset: start.offset },
    (info) => {
      segment.indexBatch(info);
      return true;
    },
  );
  segment.restoreFirstBatchTimestamp(first);
  if (result.problem !== undefined) {
    // Everything was fsynced before the clean shutdown, so this is damage to acknowledged data, not
    // a torn write: truncating would silently drop records. Refuse, and let the partition go offline.
    await segment.close().catch(() => {});
    throw new StorageError(
      'corrupt_log',
      `Corrupt batch at byte ${result.validEndPosition} of ${logFile} after a clean shutdown: ${result.problem}`,
      { file: logFile },
    );
  }
  return { segment, problem: undefined, truncatedBytes: 0 };
}

async function firstTimestamp(log: FileHandle, sizeBytes: number): Promise<number | undefined> {
  let first: number | undefined;
  await scanBatches(log, 0, sizeBytes, { verifyCrc: false, chunkBytes: 4096 }, (info) => {
    first = info.maxTimestampMs;
    return false;
  });
  return first;
}
