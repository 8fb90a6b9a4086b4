// One segment: a `.log` file of batches plus its sparse `.index` and `.timeindex`. The active
// segment takes appends and keeps its index entries in memory; a sealed one is read-only and its
// indexes are read through the cache. Reads see only bytes whose write has completed
// (`sizeBytes`), so a fetch never observes half an append.
import { storageLimits } from '../limits.ts';
import type { BatchInfo } from './batch-validation.ts';
import type { FileHandle, FileSystem } from './fs/file-system.ts';
import type { IndexCache } from './index-cache.ts';
import { OFFSET_INDEX_ENTRY_BYTES, OffsetIndex } from './offset-index.ts';
import { segmentFileName, segmentSuffixes } from './segment-files.ts';
import { SparseIndex } from './sparse-index.ts';
import { TIME_INDEX_ENTRY_BYTES, TimeIndex } from './time-index.ts';

export interface SegmentContext {
  fs: FileSystem;
  cache: IndexCache;
  dir: string;
  indexIntervalBytes: number;
  /** segment.index.bytes: caps the entries of both indexes; a full index rolls the segment. */
  indexBytesMax: number;
}

/** What is known of a segment's contents, from a scan or from its indexes. */
export interface SegmentStats {
  sizeBytes: number;
  nextOffset: number;
  maxTimestampMs: number;
  offsetOfMaxTimestamp: number;
  firstBatchTimestampMs: number | undefined;
}

export function emptyStats(baseOffset: number): SegmentStats {
  return {
    sizeBytes: 0,
    nextOffset: baseOffset,
    maxTimestampMs: -1,
    offsetOfMaxTimestamp: baseOffset,
    firstBatchTimestampMs: undefined,
  };
}

export class Segment {
  readonly baseOffset: number;
  readonly logPath: string;
  readonly #ctx: SegmentContext;
  readonly #log: FileHandle;
  readonly #offsetIndex: OffsetIndex;
  readonly #timeIndex: TimeIndex;
  #stats: SegmentStats;
  #bytesSinceIndexEntry = 0;
  #sealed: boolean;
  #unsynced = false;
  #refs = 0;
  #retired = false;
  #closed = false;
  /**
   * Byte ranges [start, end) of the log known to hold batches with good CRCs: written by this
   * process's appends (validated before), scanned by recovery, or checked by an earlier read.
   * Sorted and disjoint, at most storageLimits.verifiedRangesPerSegmentMax.
   */
  readonly #verified: { start: number; end: number }[] = [];

  constructor(
    ctx: SegmentContext,
    baseOffset: number,
    log: FileHandle,
    offsetIndex: SparseIndex,
    timeIndex: SparseIndex,
    stats: SegmentStats,
    sealed: boolean,
  ) {
    this.#ctx = ctx;
    this.baseOffset = baseOffset;
    this.logPath = `${ctx.dir}/${segmentFileName(baseOffset, segmentSuffixes.log)}`;
    this.#log = log;
    this.#offsetIndex = new OffsetIndex(offsetIndex, baseOffset);
    this.#timeIndex = new TimeIndex(timeIndex, baseOffset, stats.maxTimestampMs);
    this.#stats = { ...stats };
    this.#sealed = sealed;
  }

  /** Creates an empty active segment; its files exist once this resolves (directory not yet synced). */
  static async create(ctx: SegmentContext, baseOffset: number): Promise<Segment> {
    const log = await ctx.fs.open(
      `${ctx.dir}/${segmentFileName(baseOffset, segmentSuffixes.log)}`,
      'readWrite',
    );
    const { offsetIndex, timeIndex } = await openActiveIndexes(
      ctx,
      baseOffset,
      Buffer.alloc(0),
      Buffer.alloc(0),
      true,
    );
    return new Segment(ctx, baseOffset, log, offsetIndex, timeIndex, emptyStats(baseOffset), false);
  }

  get sizeBytes(): number {
    return this.#stats.sizeBytes;
  }

  get nextOffset(): number {
    return this.#stats.nextOffset;
  }

  get maxTimestampMs(): number {
    return this.#stats.maxTimestampMs;
  }

  get offsetOfMaxTimestamp(): number {
    return this.#stats.offsetOfMaxTimestamp;
  }

  get firstBatchTimestampMs(): number | undefined {
    return this.#stats.firstBatchTimestampMs;
  }

  get isSealed(): boolean {
    return this.#sealed;
  }

  get isUnsynced(): boolean {
    return this.#unsynced;
  }

  get isIndexFull(): boolean {
    return this.#offsetIndex.file.isFull;
  }

  get offsetIndex(): OffsetIndex {
    return this.#offsetIndex;
  }

  get timeIndex(): TimeIndex {
    return this.#timeIndex;
  }

  /**
   * Writes batches (offsets already assigned, `infos` positions relative to `data`) at the end of
   * the log. Only the partition's append queue calls this, so appends never overlap.
   */
  async append(data: Buffer, infos: readonly BatchInfo[]): Promise<void> {
    if (this.#sealed) throw new Error(`Cannot append to sealed segment ${this.logPath}`);
    const position = this.#stats.sizeBytes;
    this.#unsynced = true;
    await this.#log.write(data, position);
    for (const info of infos) this.indexBatch({ ...info, position: position + info.position });
    this.#stats.sizeBytes = position + data.length;
    // Every batch appended was CRC-checked first (by splitBatches, or by the caller that says so).
    this.markVerified(position, position + data.length);
  }

  /** Whether the bytes [start, end) lie in one range of CRC-checked batches. */
  isVerified(start: number, end: number): boolean {
    // Bounded by verifiedRangesPerSegmentMax.
    for (const range of this.#verified) {
      if (range.start > start) return false;
      if (end <= range.end) return true;
    }
    return false;
  }

  /** Records that [start, end) holds whole batches whose CRCs were checked (merged with touching ranges). */
  markVerified(start: number, end: number): void {
    if (end <= start) return;
    const ranges = this.#verified;
    let first = 0;
    // Both loops are bounded by verifiedRangesPerSegmentMax.
    while (first < ranges.length && ranges[first]!.end < start) first++;
    let last = first;
    let merged = { start, end };
    while (last < ranges.length && ranges[last]!.start <= end) {
      const range = ranges[last]!;
      merged = { start: Math.min(merged.start, range.start), end: Math.max(merged.end, range.end) };
      last++;
    }
    ranges.splice(first, last - first, merged);
    if (ranges.length > storageLimits.verifiedRangesPerSegmentMax) {
      let shortest = 0;
      for (let i = 1; i < ranges.length; i++) {
        if (ranges[i]!.end - ranges[i]!.start < ranges[shortest]!.end - ranges[shortest]!.start) shortest = i;
      }
      ranges.splice(shortest, 1);
    }
  }

  /** Records one batch now in the file at `info.position` in the stats and (sparsely) the indexes. */
  indexBatch(info: BatchInfo): void {
    const stats = this.#stats;
    if (stats.firstBatchTimestampMs === undefined) stats.firstBatchTimestampMs = info.maxTimestampMs;
    if (info.maxTimestampMs > stats.maxTimestampMs) {
      stats.maxTimestampMs = info.maxTimestampMs;
      stats.offsetOfMaxTimestamp = info.baseOffset;
    }
    if (this.#bytesSinceIndexEntry > this.#ctx.indexIntervalBytes && !this.#offsetIndex.file.isFull) {
      this.#offsetIndex.append(info.baseOffset, info.position);
      this.#timeIndex.maybeAppend(stats.maxTimestampMs, stats.offsetOfMaxTimestamp);
      this.#bytesSinceIndexEntry = 0;
    }
    this.#bytesSinceIndexEntry += info.sizeBytes;
    stats.nextOffset = info.baseOffset + info.lastOffsetDelta + 1;
    stats.sizeBytes = Math.max(stats.sizeBytes, info.position + info.sizeBytes);
  }

  /** Sets the timestamp segment.ms counts from, when the first batch was not seen by indexBatch. */
  restoreFirstBatchTimestamp(timestampMs: number | undefined): void {
    this.#stats.firstBatchTimestampMs = timestampMs;
  }

  /** Reads up to `length` bytes at `position`, never past the completed writes. */
  async read(position: number, length: number): Promise<Buffer> {
    const available = Math.max(0, Math.min(length, this.#stats.sizeBytes - position));
    const buf = Buffer.allocUnsafe(available);
    const read = await this.#log.read(buf, 0, available, position);
    return buf.subarray(0, read);
  }

  /** The log file handle, for scans; callers hold a reference (acquire) while using it. */
  get file(): FileHandle {
    return this.#log;
  }

  /** Makes the log durable. Index files of an active segment are rebuilt on recovery instead. */
  async sync(): Promise<void> {
    if (!this.#unsynced) return;
    this.#unsynced = false;
    try {
      await this.#log.sync();
    } catch (error) {
      this.#unsynced = true;
      throw error;
    }
  }

  /** Stops appends: writes the final time-index entry and both indexes, fsynced, and drops them from memory. */
  async seal(): Promise<void> {
    if (this.#sealed) return;
    this.#sealed = true;
    this.#timeIndex.maybeAppend(this.#stats.maxTimestampMs, this.#stats.offsetOfMaxTimestamp);
    await this.#offsetIndex.file.seal();
    await this.#timeIndex.file.seal();
  }

  /** Writes the indexes of an active segment at clean shutdown, then closes the files. */
  async close(): Promise<void> {
    if (!this.#sealed) {
      await this.#offsetIndex.file.writePending();
      await this.#timeIndex.file.writePending();
      await this.#offsetIndex.file.sync();
      await this.#timeIndex.file.sync();
    }
    await this.#closeHandles();
  }

  /** Loads both indexes into memory so this segment stops reading index files (before a swap replaces them). */
  async pinIndexes(): Promise<void> {
    await this.#offsetIndex.file.pin();
    await this.#timeIndex.file.pin();
  }

  /** Points both indexes at their final file names after a swap renamed them (suffix '' = final). */
  renameIndexesTo(suffix: string): void {
    this.#offsetIndex.file.renameTo(
      `${this.#ctx.dir}/${segmentFileName(this.baseOffset, segmentSuffixes.offsetIndex)}${suffix}`,
    );
    this.#timeIndex.file.renameTo(
      `${this.#ctx.dir}/${segmentFileName(this.baseOffset, segmentSuffixes.timeIndex)}${suffix}`,
    );
  }

  acquire(): void {
    if (this.#closed) throw new Error(`Cannot read closed segment ${this.logPath}`);
    this.#refs++;
  }

  release(): void {
    this.#refs--;
    if (this.#refs < 0) throw new Error(`Segment ${this.logPath} released more often than acquired`);
    if (this.#refs === 0 && this.#retired) void this.#closeHandles();
  }

  /** Unlinks the files; reads in progress finish on the open handles, which close after them. */
  async retire(): Promise<void> {
    this.#retired = true;
    this.#offsetIndex.file.forget();
    this.#timeIndex.file.forget();
    for (const suffix of [segmentSuffixes.log, segmentSuffixes.offsetIndex, segmentSuffixes.timeIndex]) {
      await this.#ctx.fs
        .unlink(`${this.#ctx.dir}/${segmentFileName(this.baseOffset, suffix)}`)
        .catch(() => {});
    }
    if (this.#refs === 0) await this.#closeHandles();
  }

  /** Closes the files once no read holds them, writing nothing (offline partitions, deleted topics). */
  async retireHandlesOnly(): Promise<void> {
    this.#retired = true;
    if (this.#refs === 0) await this.#closeHandles();
  }

  async #closeHandles(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#offsetIndex.file.close();
    await this.#timeIndex.file.close();
    await this.#log.close();
  }
}

/** Opens both index files as active, holding the given entries (rewritten by the next seal if `dirty`). */
export async function openActiveIndexes(
  ctx: SegmentContext,
  baseOffset: number,
  offsetEntries: Buffer,
  timeEntries: Buffer,
  dirty: boolean,
  tempSuffix = '',
): Promise<{ offsetIndex: SparseIndex; timeIndex: SparseIndex }> {
  const offsetIndex = await SparseIndex.openActive(
    ctx.fs,
    ctx.cache,
    `${ctx.dir}/${segmentFileName(baseOffset, segmentSuffixes.offsetIndex)}${tempSuffix}`,
    OFFSET_INDEX_ENTRY_BYTES,
    Math.floor(ctx.indexBytesMax / OFFSET_INDEX_ENTRY_BYTES),
    offsetEntries,
    dirty,
  );
  const timeIndex = await SparseIndex.openActive(
    ctx.fs,
    ctx.cache,
    `${ctx.dir}/${segmentFileName(baseOffset, segmentSuffixes.timeIndex)}${tempSuffix}`,
    TIME_INDEX_ENTRY_BYTES,
    Math.floor(ctx.indexBytesMax / TIME_INDEX_ENTRY_BYTES),
    timeEntries,
    dirty,
  );
  return { offsetIndex, timeIndex };
}
