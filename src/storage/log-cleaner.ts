// Log compaction (cleanup.policy=compact): keeps the latest record of every key in the sealed,
// flushed part of the log, and tombstones until delete.retention.ms has passed. Never touches the
// active segment. Runs beside appends and fetches: it reads sealed segments through their own
// handles, yields to the event loop between slices, writes each cleaned segment to `.cleaned`
// files, and takes the partition's queue only for the short swap. Crash safety: the swap commits
// by renaming the cleaned log to `.swap`; recovery finishes a committed swap (rebuilding the
// indexes) and deletes an uncommitted one.
import { storageLimits } from '../limits.ts';
import { decodeRecordBatch } from '../protocol/records/record-batch.ts';
import type { Clock } from './clock.ts';
import { compactBatch, emptyBatchLike, type KeepDecision, keyOf } from './compacted-batch.ts';
import type { FileHandle } from './fs/file-system.ts';
import type { StorageLogger } from './logger.ts';
import type { PartitionLog } from './partition-log.ts';
import { emptyStats, openActiveIndexes, Segment } from './segment.ts';
import { segmentFileName, segmentSuffixes } from './segment-files.ts';
import { scanBatches } from './segment-scanner.ts';

export interface CleanResult {
  segmentsCleaned: number;
  bytesBefore: number;
  bytesAfter: number;
  recordsRemoved: number;
}

type Latest = Map<string, number>;

export class LogCleaner {
  readonly #clock: Clock;
  readonly #logger: StorageLogger;
  /** Per partition: the offset up to which the log was last cleaned (dirty beyond). */
  readonly #cleanedUpTo = new WeakMap<PartitionLog, number>();

  constructor(clock: Clock, logger: StorageLogger) {
    this.#clock = clock;
    this.#logger = logger;
  }

  /**
   * Cleans the partition if compaction applies and the dirty share of its cleanable bytes reaches
   * min.cleanable.dirty.ratio (or `force`). `persistRecoveryPoint` must make the current flushed
   * offset the checkpointed recovery point, so cleaned segments are never rescanned as torn.
   */
  async clean(
    log: PartitionLog,
    persistRecoveryPoint: () => Promise<void>,
    force = false,
  ): Promise<CleanResult | undefined> {
    if (log.isOffline || !log.config.cleanupPolicy.compact) return undefined;
    const now = this.#clock.nowMs();
    const sources = cleanableSegments(log, now);
    if (sources.length === 0) return undefined;
    const cleanedUpTo = this.#cleanedUpTo.get(log) ?? -1;
    const total = sources.reduce((sum, s) => sum + s.sizeBytes, 0);
    const dirty = sources.filter((s) => s.baseOffset >= cleanedUpTo).reduce((sum, s) => sum + s.sizeBytes, 0);
    if (!force && (total === 0 || dirty / total < log.config.minCleanableDirtyRatio)) return undefined;
    await persistRecoveryPoint();
    for (const s of sources) s.acquire();
    try {
      const { latest, usable } = await buildLatestMap(sources);
      const chosen = sources.slice(0, usable);
      const result: CleanResult = { segmentsCleaned: 0, bytesBefore: 0, bytesAfter: 0, recordsRemoved: 0 };
      for (let i = 0; i < chosen.length; i++) {
        const source = chosen[i]!;
        const nextBase = sources[i + 1]?.baseOffset ?? log.segments.at(-1)!.baseOffset;
        const swapped = await this.#cleanSegment(log, source, nextBase, latest, now, result);
        if (!swapped) break;
      }
      const last = chosen.at(-1);
      if (last !== undefined) this.#cleanedUpTo.set(log, last.nextOffset);
      this.#logger.info({ topic: log.topic, partition: log.partition, ...result }, 'Compacted segments');
      return result;
    } finally {
      for (const s of sources) s.release();
    }
  }

  async #cleanSegment(
    log: PartitionLog,
    source: Segment,
    nextBase: number,
    latest: Latest,
    nowMs: number,
    result: CleanResult,
  ): Promise<boolean> {
    const ctx = log.segmentContext();
    const base = source.baseOffset;
    const cleanedPath = (suffix: string) =>
      `${ctx.dir}/${segmentFileName(base, suffix)}${segmentSuffixes.cleaned}`;
    const file = await ctx.fs.open(cleanedPath(segmentSuffixes.log), 'readWrite');
    await file.truncate(0);
    const deleteRetentionMs = log.config.deleteRetentionMs;
    const decision: KeepDecision = {
      keep: (record, offset, maxTimestampMs) => {
        const key = keyOf(record);
        if (key !== undefined && (latest.get(key) ?? -1) > offset) return false;
        // A tombstone stays until delete.retention.ms after its batch's time, so consumers see it.
        return !(record.value === null && nowMs - maxTimestampMs > deleteRetentionMs);
      },
    };
    // Indexes are built in memory under `.cleaned` names and renamed at the swap.
    const { offsetIndex, timeIndex } = await openActiveIndexes(
      ctx,
      base,
      Buffer.alloc(0),
      Buffer.alloc(0),
      true,
      segmentSuffixes.cleaned,
    );
    const stats = { ...emptyStats(base), nextOffset: nextBase };
    const cleaned = new Segment(ctx, base, file, offsetIndex, timeIndex, stats, false);
    const written = await this.#copyRetained(source, cleaned, file, decision, result);
    result.bytesBefore += source.sizeBytes;
    result.bytesAfter += written;
    await file.sync();
    await cleaned.seal();
    const swapped = await log.replaceSegments([source], [cleaned], async () => {
      await ctx.fs.rename(
        cleanedPath(segmentSuffixes.log),
        `${ctx.dir}/${segmentFileName(base, segmentSuffixes.log)}${segmentSuffixes.swap}`,
      );
      await ctx.fs.syncDirectory(ctx.dir);
      await source.pinIndexes();
      for (const suffix of [segmentSuffixes.offsetIndex, segmentSuffixes.timeIndex]) {
        await ctx.fs.rename(cleanedPath(suffix), `${ctx.dir}/${segmentFileName(base, suffix)}`);
      }
      await ctx.fs.rename(
        `${ctx.dir}/${segmentFileName(base, segmentSuffixes.log)}${segmentSuffixes.swap}`,
        source.logPath,
      );
      await ctx.fs.syncDirectory(ctx.dir);
      cleaned.renameIndexesTo('');
    });
    if (!swapped) {
      await cleaned.close();
      for (const suffix of [segmentSuffixes.log, segmentSuffixes.offsetIndex, segmentSuffixes.timeIndex]) {
        await ctx.fs.unlink(cleanedPath(suffix)).catch(() => {});
      }
      return false;
    }
    result.segmentsCleaned++;
    return true;
  }

  async #copyRetained(
    source: Segment,
    cleaned: Segment,
    file: FileHandle,
    decision: KeepDecision,
    result: CleanResult,
  ): Promise<number> {
    let position = 0;
    let at = 0;
    // One slice of batches per pass; bounded by the source size (each pass advances `at`).
    while (at < source.sizeBytes) {
      const slice: Buffer[] = [];
      const scan = await scanBatches(
        source.file,
        at,
        source.sizeBytes,
        { verifyCrc: true },
        (info, bytes) => {
          slice.push(Buffer.from(bytes!));
          at = info.position + info.sizeBytes;
          return slice.length < storageLimits.backgroundSliceBatchesMax;
        },
      );
      if (scan.problem !== undefined)
        throw new Error(`Cannot compact ${source.logPath}: ${scan.problem} at byte ${scan.validEndPosition}`);
      if (slice.length === 0) break;
      for (const bytes of slice) {
        const before = decodeRecordBatch(bytes, 0, { verifyCrc: false }).header.recordCount;
        const isLast = at >= source.sizeBytes && bytes === slice.at(-1);
        let kept = await compactBatch(bytes, decision);
        if (kept === undefined && isLast) kept = await emptyBatchLike(bytes);
        if (kept === undefined) {
          result.recordsRemoved += before;
          continue;
        }
        result.recordsRemoved += before - kept.readInt32BE(57);
        await file.write(kept, position);
        cleaned.indexBatch({
          position,
          sizeBytes: kept.length,
          baseOffset: Number(kept.readBigInt64BE(0)),
          lastOffsetDelta: kept.readInt32BE(23),
          maxTimestampMs: Number(kept.readBigInt64BE(35)),
          recordCount: kept.readInt32BE(57),
        });
        position += kept.length;
      }
    }
    return position;
  }
}

/** Sealed segments wholly below the flushed offset and older than min.compaction.lag.ms, oldest first. */
function cleanableSegments(log: PartitionLog, nowMs: number): Segment[] {
  const segments = log.segments;
  const out: Segment[] = [];
  for (let i = 0; i < segments.length - 1; i++) {
    const segment = segments[i]!;
    const end = segments[i + 1]!.baseOffset;
    if (end > log.flushedOffset) break;
    if (nowMs - segment.maxTimestampMs < log.config.minCompactionLagMs) break;
    out.push(segment);
  }
  return out;
}

/**
 * Latest offset of every key in `sources`, read in bounded slices. Stops at cleanerKeysMax keys;
 * `usable` counts the segments read completely. Keys seen in a partly read segment may stay in
 * the map: their offsets are real later records, so removing what they supersede is still right.
 */
async function buildLatestMap(sources: readonly Segment[]): Promise<{ latest: Latest; usable: number }> {
  const latest: Latest = new Map();
  let usable = 0;
  for (const segment of sources) {
    let at = 0;
    let full = false;
    // Each pass reads one slice of batches and advances `at`; bounded by the segment size.
    while (at < segment.sizeBytes && !full) {
      const slice: Buffer[] = [];
      const scan = await scanBatches(
        segment.file,
        at,
        segment.sizeBytes,
        { verifyCrc: true },
        (info, bytes) => {
          slice.push(Buffer.from(bytes!));
          at = info.position + info.sizeBytes;
          return slice.length < storageLimits.backgroundSliceBatchesMax;
        },
      );
      if (scan.problem !== undefined) throw new Error(`Cannot compact ${segment.logPath}: ${scan.problem}`);
      if (slice.length === 0) break;
      full = await addKeys(slice, latest);
    }
    if (full) break;
    usable++;
  }
  return { latest, usable };
}

/** Records the offsets of the keys in `batches`; returns true once the map is full. */
async function addKeys(batches: readonly Buffer[], latest: Latest): Promise<boolean> {
  for (const bytes of batches) {
    const batch = decodeRecordBatch(bytes, 0, { verifyCrc: false });
    if (batch.control) continue;
    const base = Number(batch.header.baseOffset);
    for (const record of await batch.decodeRecords()) {
      const key = keyOf(record);
      if (key === undefined) continue;
      if (!latest.has(key) && latest.size >= storageLimits.cleanerKeysMax) return true;
      latest.set(key, base + record.offsetDelta);
    }
  }
  return false;
}
