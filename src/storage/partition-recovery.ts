// Opens a partition directory. After a clean shutdown segments are opened from their indexes;
// after a crash every segment from the one holding the recovery point on is rescanned, a torn
// tail truncated and the segments after it deleted (their data was never flushed before it).
import { StorageError, storageErrorFromFs } from './errors.ts';
import { PartitionLog, type PartitionLogOptions } from './partition-log.ts';
import { Segment, type SegmentContext } from './segment.ts';
import { parseSegmentFileName, segmentFileName, segmentSuffixes } from './segment-files.ts';
import {
  loadActiveSegment,
  loadSealedSegment,
  type RecoveredSegment,
  recoverSegment,
} from './segment-loader.ts';
import { scanBatches } from './segment-scanner.ts';
import { TXN_INDEX_SUFFIX } from './txn-index.ts';

export interface RecoveryInput {
  /** The data directory was shut down cleanly (marker present): no rescan. */
  clean: boolean;
  /** Offsets below this were fsynced (checkpoint); scanning starts at the segment holding it. */
  recoveryPoint: number;
  logStartOffset: number;
}

export interface PartitionRecoveryReport {
  topic: string;
  partition: number;
  durationMs: number;
  segmentsScanned: number;
  truncatedBytes: number;
  segmentsDeleted: number;
}

const leftoverSuffixes = [segmentSuffixes.cleaned, segmentSuffixes.swap, '.tmp', '.deleted'];

export async function openPartitionLog(
  options: PartitionLogOptions,
  input: RecoveryInput,
): Promise<{ log: PartitionLog; report: PartitionRecoveryReport }> {
  const started = performance.now();
  const report: PartitionRecoveryReport = {
    topic: options.topic,
    partition: options.partition,
    durationMs: 0,
    segmentsScanned: 0,
    truncatedBytes: 0,
    segmentsDeleted: 0,
  };
  const ctx: SegmentContext = {
    fs: options.fs,
    cache: options.cache,
    dir: options.dir,
    indexIntervalBytes: options.config.indexIntervalBytes,
    indexBytesMax: options.config.segmentIndexBytes,
  };
  try {
    await options.fs.mkdir(options.dir);
    const bases = await listSegments(options, ctx);
    const segments = await loadSegments(options, ctx, bases, input, report);
    let logStartOffset = Math.max(input.logStartOffset, segments[0]?.baseOffset ?? 0);
    const last = segments.at(-1);
    if (last === undefined || last.nextOffset < logStartOffset) {
      // The log ends before its start offset (records deleted, then the tail lost): begin afresh there.
      for (const s of segments) await s.retire();
      segments.length = 0;
      logStartOffset = Math.max(logStartOffset, last?.nextOffset ?? 0);
      segments.push(await Segment.create(ctx, logStartOffset));
      await options.fs.syncDirectory(options.dir);
    }
    const flushed = input.clean
      ? Number.MAX_SAFE_INTEGER
      : Math.min(input.recoveryPoint, segments.at(-1)!.nextOffset);
    const log = new PartitionLog(
      options,
      segments,
      logStartOffset,
      input.clean ? flushed : segments.at(-1)!.nextOffset,
    );
    await log.loadProducerState();
    report.durationMs = performance.now() - started;
    return { log, report };
  } catch (error) {
    const typed = storageErrorFromFs(error, 'open partition', {
      topic: options.topic,
      partition: options.partition,
      file: options.dir,
    });
    options.logger.error(
      { topic: options.topic, partition: options.partition, code: typed.code },
      typed.message,
    );
    report.durationMs = performance.now() - started;
    return { log: PartitionLog.offline(options, typed), report };
  }
}

/**
 * Finishes a compaction swap that committed (a `.log.swap` exists) before a crash: the segments
 * the swapped log merged (base offsets inside its range) are deleted, its `.txnindex.cleaned`
 * installed if not yet, its indexes dropped to be rebuilt, and it becomes the segment.
 */
async function completeSwaps(options: PartitionLogOptions, ctx: SegmentContext): Promise<void> {
  const swapSuffix = `${segmentSuffixes.log}${segmentSuffixes.swap}`;
  let swapped = false;
  const names = await options.fs.readdir(options.dir);
  for (const name of names) {
    const base = parseSegmentFileName(name, swapSuffix);
    if (base === undefined) continue;
    const end = await endOffsetOf(options, `${ctx.dir}/${name}`, base);
    for (const other of names) {
      const merged = parseSegmentFileName(other, segmentSuffixes.log);
      if (merged !== undefined && merged > base && merged < end) await deleteSegmentFiles(options, merged);
    }
    for (const suffix of [segmentSuffixes.offsetIndex, segmentSuffixes.timeIndex]) {
      await options.fs.unlink(`${ctx.dir}/${segmentFileName(base, suffix)}`).catch(() => {});
    }
    const txnIndex = `${ctx.dir}/${segmentFileName(base, TXN_INDEX_SUFFIX)}`;
    // Written and fsynced before the swap committed; gone only if the swap had installed it.
    if ((await options.fs.stat(`${txnIndex}${segmentSuffixes.cleaned}`)) !== undefined)
      await options.fs.rename(`${txnIndex}${segmentSuffixes.cleaned}`, txnIndex);
    await options.fs.rename(`${ctx.dir}/${name}`, `${ctx.dir}/${segmentFileName(base, segmentSuffixes.log)}`);
    options.logger.info(
      { dir: ctx.dir, baseOffset: base, endOffset: end },
      'Completed an interrupted compaction swap',
    );
    swapped = true;
  }
  if (swapped) await options.fs.syncDirectory(options.dir);
}

/** The offset after the last batch of a (fsynced, whole) swapped log. */
async function endOffsetOf(options: PartitionLogOptions, path: string, base: number): Promise<number> {
  const file = await options.fs.open(path, 'read');
  try {
    let end = base;
    await scanBatches(file, 0, await file.sizeBytes(), { verifyCrc: false }, (b) => {
      end = b.baseOffset + b.lastOffsetDelta + 1;
      return true;
    });
    return end;
  } finally {
    await file.close();
  }
}

async function deleteSegmentFiles(options: PartitionLogOptions, base: number): Promise<void> {
  const suffixes = [
    segmentSuffixes.log,
    segmentSuffixes.offsetIndex,
    segmentSuffixes.timeIndex,
    TXN_INDEX_SUFFIX,
  ];
  for (const suffix of suffixes)
    await options.fs.unlink(`${options.dir}/${segmentFileName(base, suffix)}`).catch(() => {});
}

async function listSegments(options: PartitionLogOptions, ctx: SegmentContext): Promise<number[]> {
  await completeSwaps(options, ctx);
  const names = await options.fs.readdir(options.dir);
  const bases: number[] = [];
  for (const name of names) {
    if (leftoverSuffixes.some((suffix) => name.endsWith(suffix))) {
      await options.fs.unlink(`${ctx.dir}/${name}`);
      continue;
    }
    const base = parseSegmentFileName(name, segmentSuffixes.log);
    if (base !== undefined) bases.push(base);
  }
  return bases.sort((a, b) => a - b);
}

async function loadSegments(
  options: PartitionLogOptions,
  ctx: SegmentContext,
  bases: number[],
  input: RecoveryInput,
  report: PartitionRecoveryReport,
): Promise<Segment[]> {
  let firstToScan = bases.length;
  if (!input.clean) {
    firstToScan = 0;
    for (let i = 0; i < bases.length; i++) if (bases[i]! <= input.recoveryPoint) firstToScan = i;
  }
  const segments: Segment[] = [];
  for (let i = 0; i < bases.length; i++) {
    const base = bases[i]!;
    const isLast = i === bases.length - 1;
    let loaded: RecoveredSegment;
    if (i >= firstToScan) {
      loaded = await recoverSegment(ctx, base, false);
      report.segmentsScanned++;
    } else if (isLast) {
      loaded = await loadActiveSegment(ctx, base, options.logger);
    } else {
      loaded = await loadSealedSegment(ctx, base, bases[i + 1]!, options.logger);
    }
    const previous = segments.at(-1);
    if (
      previous !== undefined &&
      loaded.segment.sizeBytes > 0 &&
      loaded.segment.baseOffset < previous.nextOffset
    ) {
      throw new StorageError('corrupt_log', `Segment ${loaded.segment.logPath} overlaps the one before it`, {
        topic: options.topic,
        partition: options.partition,
        file: loaded.segment.logPath,
      });
    }
    segments.push(loaded.segment);
    report.truncatedBytes += loaded.truncatedBytes;
    const next = bases[i + 1];
    if (
      loaded.problem === undefined &&
      i >= firstToScan &&
      next !== undefined &&
      loaded.segment.nextOffset !== next
    ) {
      // Unflushed data of this segment was lost while a later segment's survived: the log must
      // stay contiguous, so it ends here. (Compaction keeps each segment's last batch, emptied
      // if need be, so a cleaned segment still ends where the next begins.)
      loaded.problem = `ends at offset ${loaded.segment.nextOffset} but the next segment starts at ${next}`;
    }
    if (loaded.problem !== undefined) {
      options.logger.warn(
        { file: loaded.segment.logPath, problem: loaded.problem, truncatedBytes: loaded.truncatedBytes },
        'Truncated torn segment tail',
      );
      report.segmentsDeleted += await deleteLater(options, bases.slice(i + 1));
      break;
    }
  }
  // Everything but the last segment is sealed (recovered segments come back active).
  for (let i = 0; i < segments.length - 1; i++) await segments[i]!.seal();
  return segments;
}

async function deleteLater(options: PartitionLogOptions, bases: number[]): Promise<number> {
  for (const base of bases) {
    for (const suffix of [segmentSuffixes.log, segmentSuffixes.offsetIndex, segmentSuffixes.timeIndex]) {
      await options.fs.unlink(`${options.dir}/${segmentFileName(base, suffix)}`).catch(() => {});
    }
  }
  if (bases.length > 0) await options.fs.syncDirectory(options.dir);
  return bases.length;
}
