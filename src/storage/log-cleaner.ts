// Log compaction (cleanup.policy=compact), Kafka's cleaner on one node. A pass reads the dirty
// section (from the cleaner checkpoint to the first uncleanable offset) into an offset map, then
// rewrites the cleanable log from its start: records superseded by a later one of their key go,
// tombstones and transaction markers that guard no data go once their delete horizon (KIP-534)
// has passed, and batches of aborted transactions go at once (their abort marker stays while the
// pass still saw their data). The last batch of every producer still tracked stays, emptied if
// need be, so producer state can be replayed from the log. Consecutive segments whose sizes add
// up to at most segment.bytes are merged into one.
//
// Never touches the active segment, data not yet flushed, or anything at or after the last stable
// offset (an undecided transaction). Runs beside appends and fetches: it reads sealed segments
// through their own handles, yields between slices, writes each cleaned group to `.cleaned`
// files and takes the partition's queue only for the swap. Crash safety: the swap commits by
// renaming the cleaned log to `.log.swap`; recovery finishes a committed swap (installing its
// `.txnindex.cleaned`, deleting the merged segments it covers, rebuilding its indexes) and
// deletes an uncommitted one.
import { storageLimits } from '../limits.ts';
import { decodeRecordBatch } from '../protocol/records/record-batch.ts';
import type { ProducerEntry } from '../txn/producer-state.ts';
import { CleanedTransactions } from './cleaned-transactions.ts';
import { buildOffsetMap, markerTypeOf, type OffsetMap } from './cleaner-offset-map.ts';
import type { Clock } from './clock.ts';
import {
  compactRecords,
  deleteHorizonOf,
  emptyBatchLike,
  emptyPlaceholder,
  type HorizonClock,
  keyOf,
  withDeleteHorizon,
} from './compacted-batch.ts';
import type { FileHandle, FileSystem } from './fs/file-system.ts';
import { fsErrorCode } from './fs/fs-error.ts';
import type { StorageLogger } from './logger.ts';
import { checkpointKey } from './offset-checkpoint.ts';
import type { PartitionLog } from './partition-log.ts';
import { emptyStats, openActiveIndexes, Segment } from './segment.ts';
import { segmentFileName, segmentSuffixes } from './segment-files.ts';
import { scanBatches } from './segment-scanner.ts';
import { encodeTxnIndex, TXN_INDEX_SUFFIX } from './txn-index.ts';

export interface CleanResult {
  segmentsCleaned: number;
  /** Segments the cleaned ones became (fewer when small ones were merged). */
  segmentsWritten: number;
  bytesBefore: number;
  bytesAfter: number;
  recordsRemoved: number;
  /** The new cleaner checkpoint: everything below is clean. */
  cleanedUpTo: number;
}

/** Per producer still tracked: the last offset of its last data batch (if any) and its epoch. */
type LastBatches = Map<bigint, { lastDataOffset: number | undefined; epoch: number }>;

interface Pass {
  latest: OffsetMap;
  txns: CleanedTransactions;
  producers: LastBatches;
  clock: HorizonClock;
  /** Earliest delete horizon still pending among what the pass kept. */
  nextHorizonMs: number;
}

export class LogCleaner {
  readonly #clock: Clock;
  readonly #logger: StorageLogger;
  /** Per partition (checkpoint key): the offset below which the log is clean. */
  readonly #firstDirty: Map<string, number>;
  /** Per partition: when the earliest kept tombstone or marker may go, so a pass is due then. */
  readonly #horizonDueAt = new WeakMap<PartitionLog, number>();

  constructor(clock: Clock, logger: StorageLogger, checkpoint: ReadonlyMap<string, number> = new Map()) {
    this.#clock = clock;
    this.#logger = logger;
    this.#firstDirty = new Map(checkpoint);
  }

  /** The cleaner checkpoint (Kafka's cleaner-offset-checkpoint): per partition, where its dirty section starts. */
  checkpoint(): Map<string, number> {
    return new Map(this.#firstDirty);
  }

  /** Drops a deleted topic's checkpoint entries, so a topic created again under its name starts dirty. */
  forgetTopic(topic: string): void {
    for (const key of [...this.#firstDirty.keys()])
      if (key.slice(0, key.lastIndexOf(' ')) === topic) this.#firstDirty.delete(key);
  }

  /**
   * Cleans the partition if compaction applies and the dirty share of its cleanable bytes reaches
   * min.cleanable.dirty.ratio, a delete horizon has passed, or `force`. `persistRecoveryPoint`
   * must make the current flushed offset the checkpointed recovery point, so cleaned segments are
   * never rescanned as torn.
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
    const key = checkpointKey(log.topic, log.partition);
    const firstDirty = this.#validFirstDirty(log, this.#firstDirty.get(key));
    const endOf = (i: number) => sources[i + 1]?.baseOffset ?? log.segments.at(-1)!.baseOffset;
    let dirtyIndex = sources.findIndex((_, i) => endOf(i) > firstDirty);
    if (dirtyIndex < 0) dirtyIndex = sources.length;
    const total = sources.reduce((sum, s) => sum + s.sizeBytes, 0);
    const dirty = sources.slice(dirtyIndex).reduce((sum, s) => sum + s.sizeBytes, 0);
    const horizonDue = (this.#horizonDueAt.get(log) ?? Number.POSITIVE_INFINITY) <= now;
    if (!force && !horizonDue && (total === 0 || dirty / total < log.config.minCleanableDirtyRatio))
      return undefined;
    await persistRecoveryPoint();
    for (const s of sources) s.acquire();
    try {
      const end = endOf(sources.length - 1);
      const aborted = log.abortedTransactionsIn(sources[0]!.baseOffset, end);
      const { latest, usable } = await buildOffsetMap(sources.slice(dirtyIndex), aborted);
      const chosen = sources.slice(0, dirtyIndex + usable);
      if (chosen.length === 0) return undefined;
      const pass: Pass = {
        latest,
        txns: new CleanedTransactions(aborted),
        producers: lastBatches(log.producerStates()),
        clock: { nowMs: now, deleteRetentionMs: log.config.deleteRetentionMs },
        nextHorizonMs: Number.POSITIVE_INFINITY,
      };
      const result: CleanResult = {
        segmentsCleaned: 0,
        segmentsWritten: 0,
        bytesBefore: 0,
        bytesAfter: 0,
        recordsRemoved: 0,
        cleanedUpTo: firstDirty,
      };
      let done = 0;
      for (const group of groupBySize(chosen, endOf, log.config.segmentBytes)) {
        if (!(await this.#cleanGroup(log, group, endOf(done + group.length - 1), pass, result))) break;
        done += group.length;
      }
      if (done === chosen.length) {
        result.cleanedUpTo = Math.max(firstDirty, endOf(chosen.length - 1));
        this.#firstDirty.set(key, result.cleanedUpTo);
        this.#horizonDueAt.set(log, pass.nextHorizonMs);
      }
      this.#logger.info({ topic: log.topic, partition: log.partition, ...result }, 'Compacted segments');
      return result;
    } finally {
      for (const s of sources) s.release();
    }
  }

  /** The checkpointed first dirty offset, or the log start when it is missing or out of the log (Kafka's reset). */
  #validFirstDirty(log: PartitionLog, checkpointed: number | undefined): number {
    if (checkpointed === undefined || checkpointed < log.logStartOffset || checkpointed > log.logEndOffset)
      return log.logStartOffset;
    return checkpointed;
  }

  /** Writes `group` cleaned into one segment and swaps it in; false if the log changed under it. */
  async #cleanGroup(
    log: PartitionLog,
    group: readonly Segment[],
    nextBase: number,
    pass: Pass,
    result: CleanResult,
  ): Promise<boolean> {
    const ctx = log.segmentContext();
    const base = group[0]!.baseOffset;
    const final = (suffix: string) => `${ctx.dir}/${segmentFileName(base, suffix)}`;
    const cleanedPath = (suffix: string) => `${final(suffix)}${segmentSuffixes.cleaned}`;
    const swapPath = `${final(segmentSuffixes.log)}${segmentSuffixes.swap}`;
    const file = await ctx.fs.open(cleanedPath(segmentSuffixes.log), 'readWrite');
    await file.truncate(0);
    // Indexes are built in memory under `.cleaned` names and renamed at the swap.
    const indexes = await openActiveIndexes(
      ctx,
      base,
      Buffer.alloc(0),
      Buffer.alloc(0),
      true,
      segmentSuffixes.cleaned,
    );
    const stats = { ...emptyStats(base), nextOffset: nextBase };
    const cleaned = new Segment(ctx, base, file, indexes.offsetIndex, indexes.timeIndex, stats, false);
    let written = 0;
    for (const [i, source] of group.entries()) {
      written = await this.#copyRetained(
        source,
        cleaned,
        file,
        written,
        i === group.length - 1,
        pass,
        result,
      );
      result.bytesBefore += source.sizeBytes;
    }
    result.bytesAfter += written;
    await file.sync();
    await cleaned.seal();
    const retained = pass.txns.takeRetained();
    await writeWhole(ctx.fs, cleanedPath(TXN_INDEX_SUFFIX), encodeTxnIndex(retained));
    const swapped = await log.replaceSegments(group, [cleaned], retained, async () => {
      await ctx.fs.rename(cleanedPath(segmentSuffixes.log), swapPath);
      await ctx.fs.syncDirectory(ctx.dir);
      // Committed. Readers of the old segments keep working from pinned indexes and open handles.
      for (const s of group) await s.pinIndexes();
      for (const suffix of [segmentSuffixes.offsetIndex, segmentSuffixes.timeIndex, TXN_INDEX_SUFFIX])
        await ctx.fs.rename(cleanedPath(suffix), final(suffix));
      // A merged segment left behind would overlap the swapped one at the next start: no failure
      // here is ignored (it takes the partition offline, and recovery finishes the swap).
      for (const merged of group.slice(1)) {
        merged.offsetIndex.file.forget();
        merged.timeIndex.file.forget();
        const suffixes = [segmentSuffixes.log, segmentSuffixes.offsetIndex, segmentSuffixes.timeIndex];
        for (const suffix of suffixes)
          await unlinkIfPresent(ctx.fs, `${ctx.dir}/${segmentFileName(merged.baseOffset, suffix)}`);
        await unlinkIfPresent(ctx.fs, log.txnIndexPath(merged.baseOffset));
      }
      await ctx.fs.rename(swapPath, final(segmentSuffixes.log));
      await ctx.fs.syncDirectory(ctx.dir);
      cleaned.renameIndexesTo('');
    });
    if (!swapped) {
      await cleaned.close();
      for (const suffix of [
        segmentSuffixes.log,
        segmentSuffixes.offsetIndex,
        segmentSuffixes.timeIndex,
        TXN_INDEX_SUFFIX,
      ])
        await ctx.fs.unlink(cleanedPath(suffix)).catch(() => {});
      return false;
    }
    result.segmentsCleaned += group.length;
    result.segmentsWritten++;
    return true;
  }

  /** Copies what `source` keeps to `file` from byte `position`; returns the new end position. */
  async #copyRetained(
    source: Segment,
    cleaned: Segment,
    file: FileHandle,
    position: number,
    lastOfGroup: boolean,
    pass: Pass,
    result: CleanResult,
  ): Promise<number> {
    let at = 0;
    let end = position;
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
        let kept = await this.#retain(bytes, pass, result);
        // The group's output must end exactly where the next segment begins.
        if (kept === undefined && lastOfGroup && at >= source.sizeBytes && bytes === slice.at(-1))
          kept = await emptyPlaceholder(bytes);
        if (kept === undefined) continue;
        await file.write(kept, end);
        cleaned.indexBatch({
          position: end,
          sizeBytes: kept.length,
          baseOffset: Number(kept.readBigInt64BE(0)),
          lastOffsetDelta: kept.readInt32BE(23),
          maxTimestampMs: Number(kept.readBigInt64BE(35)),
          recordCount: kept.readInt32BE(57),
        });
        end += kept.length;
      }
    }
    return end;
  }

  /** What of one batch the pass keeps: the batch, a rebuilt one, or undefined. */
  async #retain(bytes: Buffer, pass: Pass, result: CleanResult): Promise<Buffer | undefined> {
    const batch = decodeRecordBatch(bytes, 0, { verifyCrc: false });
    const h = batch.header;
    const producer = pass.producers.get(h.producerId);
    if (batch.control) {
      const type = h.recordCount === 0 ? undefined : await markerTypeOf(batch);
      const discardable = pass.txns.onMarker(h.producerId, type, Number(h.baseOffset));
      // A producer's last marker carries its epoch (fencing) when no data batch of it remains.
      const lastOfProducer = producer?.lastDataOffset === undefined && producer?.epoch === h.producerEpoch;
      if (!discardable || lastOfProducer) return bytes;
      const horizon = deleteHorizonOf(batch);
      if (horizon !== undefined && pass.clock.nowMs >= horizon) {
        result.recordsRemoved += h.recordCount;
        return undefined;
      }
      const horizonMs = horizon ?? pass.clock.nowMs + pass.clock.deleteRetentionMs;
      pass.nextHorizonMs = Math.min(pass.nextHorizonMs, horizonMs);
      return horizon === undefined ? withDeleteHorizon(bytes, horizonMs) : bytes;
    }
    const lastOfProducer = producer !== undefined && producer.lastDataOffset === Number(batch.lastOffset);
    if (pass.txns.onDataBatch(h.producerId, batch.transactional, Number(batch.lastOffset))) {
      result.recordsRemoved += h.recordCount;
      return lastOfProducer ? emptyBatchLike(bytes) : undefined;
    }
    const latest = pass.latest;
    const compacted = await compactRecords(
      bytes,
      (record, offset) => {
        const key = keyOf(record);
        return key === undefined || (latest.get(key) ?? -1) <= offset;
      },
      pass.clock,
    );
    result.recordsRemoved += compacted.recordsBefore - compacted.recordsKept;
    if (compacted.horizonMs !== undefined)
      pass.nextHorizonMs = Math.min(pass.nextHorizonMs, compacted.horizonMs);
    if (compacted.bytes === undefined && lastOfProducer) return emptyBatchLike(bytes);
    return compacted.bytes;
  }
}

/**
 * Sealed segments wholly below the flushed offset and the last stable offset, and older than
 * min.compaction.lag.ms, oldest first.
 */
function cleanableSegments(log: PartitionLog, nowMs: number): Segment[] {
  const segments = log.segments;
  const out: Segment[] = [];
  const stable = Math.min(log.flushedOffset, log.lastStableOffset);
  for (let i = 0; i < segments.length - 1; i++) {
    const segment = segments[i]!;
    if (segments[i + 1]!.baseOffset > stable) break;
    if (nowMs - segment.maxTimestampMs < log.config.minCompactionLagMs) break;
    out.push(segment);
  }
  return out;
}

/**
 * Consecutive runs of `segments` whose sizes add up to at most `bytesMax` and whose offsets fit
 * one segment's index (relative offsets are uint32); each run is cleaned into one segment.
 */
export function groupBySize(
  segments: readonly Segment[],
  endOf: (index: number) => number,
  bytesMax: number,
): Segment[][] {
  const groups: Segment[][] = [];
  let i = 0;
  // Each outer pass starts one group at i and moves i past it.
  while (i < segments.length) {
    const group = [segments[i]!];
    let bytes = segments[i]!.sizeBytes;
    let j = i + 1;
    while (
      j < segments.length &&
      bytes + segments[j]!.sizeBytes <= bytesMax &&
      endOf(j) - segments[i]!.baseOffset <= 0x7fffffff
    ) {
      bytes += segments[j]!.sizeBytes;
      group.push(segments[j]!);
      j++;
    }
    groups.push(group);
    i = j;
  }
  return groups;
}

function lastBatches(entries: readonly ProducerEntry[]): LastBatches {
  const out: LastBatches = new Map();
  for (const e of entries)
    out.set(e.producerId, { lastDataOffset: e.batches.at(-1)?.lastOffset, epoch: e.epoch });
  return out;
}

async function unlinkIfPresent(fs: FileSystem, path: string): Promise<void> {
  try {
    await fs.unlink(path);
  } catch (error) {
    if (fsErrorCode(error) !== 'ENOENT') throw error;
  }
}

/** Writes a small file whole and fsyncs it (an empty one too: its presence means "replace"). */
async function writeWhole(fs: FileSystem, path: string, data: Buffer): Promise<void> {
  const file = await fs.open(path, 'readWrite');
  try {
    await file.truncate(0);
    if (data.length > 0) await file.write(data, 0);
    await file.sync();
  } finally {
    await file.close();
  }
}
