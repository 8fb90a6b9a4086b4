// One partition's log: an ordered list of segments, the last one active. Mutations (append, roll,
// retention, DeleteRecords, compaction swaps, close) run one at a time on the partition's serial
// queue; reads and syncs run beside them on an immutable snapshot of the segment list and never
// see bytes whose write has not completed. An I/O failure or a corrupt batch takes the partition
// offline: every later call fails with a typed error naming the partition and the file.
import { storageLimits, transactionLimits } from '../limits.ts';
import {
  BATCH_HEADER_BYTES,
  BATCH_LOG_OVERHEAD_BYTES,
  batchOffsets,
  patchBatchOffset,
  patchLogAppendTime,
} from '../protocol/records/batch-header.ts';
import { producerBatchAt } from '../txn/producer-batch.ts';
import {
  type AbortedTxn,
  type ProducerBatch,
  type ProducerEntry,
  type ProducerProblem,
  ProducerStateTable,
  type StagedAppend,
} from '../txn/producer-state.ts';
import { type BatchInfo, checkedBatchAt, splitBatches, wholeBatchAt } from './batch-validation.ts';
import type { Clock } from './clock.ts';
import { StorageError, storageErrorFromFs } from './errors.ts';
import type { FileSystem } from './fs/file-system.ts';
import type { GroupCommit } from './group-commit.ts';
import type { IndexCache } from './index-cache.ts';
import type { LogConfig } from './log-config.ts';
import type { StorageLogger } from './logger.ts';
import {
  decodeProducerSnapshot,
  listProducerSnapshots,
  snapshotPath,
  writeProducerSnapshot,
} from './producer-snapshot.ts';
import { planRetention } from './retention.ts';
import { Segment, type SegmentContext } from './segment.ts';
import { segmentFileName } from './segment-files.ts';
import { scanBatches } from './segment-scanner.ts';
import { SerialQueue } from './serial-queue.ts';
import { firstRecordAtOrAfter, firstRecordWithTimestamp, type SearchResult } from './timestamp-search.ts';
import { readTxnIndex, TXN_INDEX_SUFFIX, writeTxnIndex } from './txn-index.ts';

export interface PartitionLogOptions {
  fs: FileSystem;
  dir: string;
  topic: string;
  partition: number;
  config: LogConfig;
  clock: Clock;
  logger: StorageLogger;
  cache: IndexCache;
  groupCommit: GroupCommit;
  /** Persists every partition's log start offset (data-directory checkpoint); awaited by DeleteRecords. */
  persistLogStartOffsets: () => Promise<void>;
}

export interface AppendOptions {
  /** Written into each batch's partitionLeaderEpoch field. */
  leaderEpoch?: number;
  /** The caller has just verified every batch's CRC (validateRecordBatch); skip re-checking it. */
  crcVerified?: boolean;
  /**
   * Asked, on the append queue right before the write, whether a transactional batch of this
   * producer may start or continue a transaction here (the coordinator added the partition).
   */
  verifyTransaction?: (producerId: bigint, epoch: number) => ProducerProblem | undefined;
}

export interface AppendResult {
  /** Offset assigned to the first record of the first batch. */
  baseOffset: number;
  /** Offset of the last record of the last batch (inclusive). */
  lastOffset: number;
  /** The broker time written into the batches under LogAppendTime, else -1. */
  logAppendTimeMs: number;
  logStartOffset: number;
  /** The batch was a retry of one already in the log (offsets are the original's); nothing written. */
  duplicate?: boolean;
}

export interface ReadOptions {
  /** Return the first batch even if it is larger than maxBytes (Kafka's KIP-74 behaviour). Default true. */
  minOneBatch?: boolean;
}

export interface ReadResult {
  /** Whole batches; the first contains the requested offset (and may start before it). */
  batches: Buffer[];
  logStartOffset: number;
  logEndOffset: number;
}

/** The batch holding `offset` starts at `position` of `segment`. */
interface ReadPosition {
  segment: Segment;
  offset: number;
  position: number;
}

const READ_POSITIONS_MAX = 8;

export interface TimestampOffset {
  offset: number;
  timestampMs: number;
}

export class PartitionLog {
  readonly topic: string;
  readonly partition: number;
  readonly dir: string;
  readonly #o: PartitionLogOptions;
  readonly #queue = new SerialQueue(storageLimits.appendQueueDepthMax);
  #config: LogConfig;
  /** Oldest first; replaced (never mutated) so readers can hold a snapshot. */
  #segments: readonly Segment[];
  #logStartOffset: number;
  /** The log start offset known to be in the checkpoint file. */
  #durableLogStartOffset: number;
  #logEndOffset: number;
  #flushedOffset: number;
  #unsynced = new Set<Segment>();
  #directoryUnsynced = false;
  #oldestUnflushedAtMs: number | undefined;
  #offline: StorageError | undefined;
  readonly #producers: ProducerStateTable;
  /** Aborted transactions by the base offset of the segment holding their marker. */
  #aborted = new Map<number, AbortedTxn[]>();
  /** Segments whose aborted-transaction list differs from their .txnindex file. */
  #txnIndexDirty = new Set<number>();
  /**
   * Where the batches following recent reads (and the last append) start: a consumer asks next for
   * the offset its last fetch ended at, and finding it otherwise costs an index lookup plus a read
   * of batch headers from the file. Keyed by offset; entries name their Segment object, so a
   * compacted or deleted segment never matches.
   */
  #nextReadPositions: ReadPosition[] = [];

  constructor(
    options: PartitionLogOptions,
    segments: readonly Segment[],
    logStartOffset: number,
    flushedOffset: number,
  ) {
    this.#o = options;
    this.topic = options.topic;
    this.partition = options.partition;
    this.dir = options.dir;
    this.#config = options.config;
    this.#segments = segments;
    const last = segments.at(-1);
    this.#logEndOffset = last?.nextOffset ?? logStartOffset;
    this.#logStartOffset = logStartOffset;
    this.#durableLogStartOffset = logStartOffset;
    this.#flushedOffset = Math.min(flushedOffset, this.#logEndOffset);
    this.#producers = new ProducerStateTable(`${options.topic}-${options.partition}`);
  }

  /** A partition that could not be opened: every call fails with `error`. */
  static offline(options: PartitionLogOptions, error: StorageError): PartitionLog {
    const log = new PartitionLog(options, [], 0, 0);
    log.#offline = error;
    return log;
  }

  get logStartOffset(): number {
    return this.#logStartOffset;
  }

  /** The offset the next appended record will get (exclusive end of the log). */
  get logEndOffset(): number {
    return this.#logEndOffset;
  }

  /** Every offset below this is on stable storage (Kafka's recovery point). */
  get flushedOffset(): number {
    return this.#flushedOffset;
  }

  get offlineError(): StorageError | undefined {
    return this.#offline;
  }

  get isOffline(): boolean {
    return this.#offline !== undefined;
  }

  get config(): LogConfig {
    return this.#config;
  }

  /** Bytes in all segments. */
  get sizeBytes(): number {
    return this.#segments.reduce((sum, s) => sum + s.sizeBytes, 0);
  }

  /** Snapshot of the segments, oldest first (for the cleaner and tests). */
  get segments(): readonly Segment[] {
    return this.#segments;
  }

  setConfig(config: LogConfig): void {
    this.#config = config;
  }

  /**
   * Appends the batches in `records` (one produce request's record set), assigning consecutive
   * offsets. The buffer is patched in place (base offset, leader epoch, LogAppendTime) and written
   * as is. Resolves once written; with flush.messages reached, once also fsynced.
   */
  async append(records: Buffer, options: AppendOptions = {}): Promise<AppendResult> {
    this.#throwIfOffline();
    const batches = splitBatches(records, this.#config.maxMessageBytes, options.crcVerified !== true);
    if ('problem' in batches) {
      const code = batches.tooLarge === true ? 'batch_too_large' : 'invalid_batch';
      throw new StorageError(code, `Cannot append to ${this.#name()}: ${batches.problem}`, this.#where());
    }
    if (batches.length === 0)
      throw new StorageError('invalid_batch', `Cannot append to ${this.#name()}: no batches`, this.#where());
    if (this.#queue.isFull) {
      throw new StorageError(
        'append_queue_full',
        `Cannot append to ${this.#name()}: ${this.#queue.depth} appends queued`,
        this.#where(),
      );
    }
    const result = await this.#queue.run(() => this.#appendNow(records, batches, options));
    if (this.#logEndOffset - this.#flushedOffset >= this.#config.flushMessages) {
      await this.#o.groupCommit.flush(this);
    }
    return result;
  }

  async #appendNow(records: Buffer, batches: BatchInfo[], options: AppendOptions): Promise<AppendResult> {
    this.#throwIfOffline();
    const nowMs = this.#o.clock.nowMs();
    const baseOffset = this.#logEndOffset;
    const lastOffset = batches.reduce((next, b) => next + b.lastOffsetDelta + 1, baseOffset) - 1;
    const incomingMaxTimestampMs = this.#config.logAppendTime
      ? nowMs
      : batches.reduce((max, b) => Math.max(max, b.maxTimestampMs), -1);
    await this.#maybeRoll(records.length, lastOffset, incomingMaxTimestampMs);
    // From here to the write's completion nothing else touches producer state: the queue is ours.
    const staged = this.#checkProducers(records, batches, baseOffset, options);
    if ('duplicate' in staged) return staged.duplicate;
    let next = baseOffset;
    for (const batch of batches) {
      patchBatchOffset(records, BigInt(next), options.leaderEpoch, batch.position);
      if (this.#config.logAppendTime) {
        patchLogAppendTime(records, BigInt(nowMs), batch.position, batch.sizeBytes);
        batch.maxTimestampMs = nowMs;
      }
      batch.baseOffset = next;
      next += batch.lastOffsetDelta + 1;
    }
    const active = this.#active();
    const position = active.sizeBytes;
    await this.#guard('append to', active.logPath, () => active.append(records, batches));
    this.#rememberReadPosition(active, baseOffset, position);
    this.#unsynced.add(active);
    if (staged.staged !== undefined)
      this.#recordAborts(active.baseOffset, this.#producers.apply(staged.staged));
    this.#logEndOffset = next;
    this.#oldestUnflushedAtMs ??= nowMs;
    return {
      baseOffset,
      lastOffset,
      logAppendTimeMs: this.#config.logAppendTime ? nowMs : -1,
      logStartOffset: this.#logStartOffset,
    };
  }

  /**
   * Producer-state checks of an append about to be written at `baseOffset`: duplicates are answered
   * with their original offsets, sequence and epoch problems throw, and transactional batches must
   * be allowed by `verifyTransaction`. Returns the staged producer state to apply after the write.
   */
  #checkProducers(
    records: Buffer,
    batches: readonly BatchInfo[],
    baseOffset: number,
    options: AppendOptions,
  ): { staged: StagedAppend | undefined } | { duplicate: AppendResult } {
    let producerBatches: ProducerBatch[];
    try {
      producerBatches = batches.map((b) => producerBatchAt(records, b.position, b.sizeBytes));
    } catch (error) {
      throw new StorageError(
        'invalid_batch',
        `Cannot append to ${this.#name()}: ${(error as Error).message}`,
        {
          ...this.#where(),
          cause: error,
        },
      );
    }
    if (!producerBatches.some((b) => b.producerId >= 0n)) return { staged: undefined };
    const result = this.#producers.analyze(producerBatches, baseOffset);
    if (result.kind === 'duplicate') {
      return {
        duplicate: {
          baseOffset: result.firstOffset,
          lastOffset: result.lastOffset,
          logAppendTimeMs: -1,
          logStartOffset: this.#logStartOffset,
          duplicate: true,
        },
      };
    }
    if (result.kind === 'error')
      throw new StorageError(result.problem.code, result.problem.message, this.#where());
    const verify = options.verifyTransaction;
    if (verify !== undefined) {
      for (const b of producerBatches) {
        if (!b.transactional || b.marker !== undefined) continue;
        const problem = verify(b.producerId, b.epoch);
        if (problem !== undefined) throw new StorageError(problem.code, problem.message, this.#where());
      }
    }
    return { staged: result.staged };
  }

  #recordAborts(segmentBase: number, aborted: readonly AbortedTxn[]): void {
    if (aborted.length === 0) return;
    const list = this.#aborted.get(segmentBase) ?? [];
    list.push(...aborted);
    this.#aborted.set(segmentBase, list);
    this.#txnIndexDirty.add(segmentBase);
  }

  async #maybeRoll(incomingBytes: number, lastOffset: number, incomingTimestampMs: number): Promise<void> {
    const active = this.#active();
    if (active.sizeBytes === 0) return;
    const full = active.sizeBytes + incomingBytes > this.#config.segmentBytes;
    const first = active.firstBatchTimestampMs;
    // Kafka's rule: segment.ms is measured in record time (incoming batch vs the segment's first),
    // so a producer replaying old timestamps does not roll a segment per append.
    const old = first !== undefined && first >= 0 && incomingTimestampMs - first > this.#config.segmentMs;
    // Index entries hold offsets relative to the base as uint32.
    const offsetsExhausted = lastOffset - active.baseOffset > 0x7fffffff;
    if (full || old || offsetsExhausted || active.isIndexFull) await this.#roll();
  }

  /** Seals the active segment and starts a new one at the log end offset. Runs on the queue. */
  async #roll(): Promise<void> {
    const active = this.#active();
    if (this.#segments.length >= storageLimits.segmentsPerPartitionMax) {
      throw new StorageError(
        'io_error',
        `Cannot roll ${this.#name()}: ${this.#segments.length} segments already`,
        this.#where(),
      );
    }
    await this.#guard('seal', active.logPath, () => active.seal());
    await this.#persistProducerState(this.#logEndOffset);
    const ctx = this.segmentContext();
    const created = await this.#guard('create segment in', this.dir, () =>
      Segment.create(ctx, this.#logEndOffset),
    );
    this.#directoryUnsynced = true;
    this.#segments = [...this.#segments, created];
  }

  /**
   * Writes the aborted-transaction indexes that changed and a producer-state snapshot at `offset`
   * (the log end), then drops snapshots beyond the newest few. Runs on the queue (roll, close).
   */
  async #persistProducerState(offset: number): Promise<void> {
    const fs = this.#o.fs;
    for (const base of [...this.#txnIndexDirty]) {
      if (!this.#segments.some((s) => s.baseOffset === base)) {
        this.#txnIndexDirty.delete(base);
        continue;
      }
      const path = this.#txnIndexPath(base);
      await this.#guard('write transaction index', path, () =>
        writeTxnIndex(fs, path, this.#aborted.get(base) ?? []),
      );
      this.#txnIndexDirty.delete(base);
    }
    const entries = this.#producers.entries();
    await this.#guard('write producer snapshot', snapshotPath(this.dir, offset), () =>
      writeProducerSnapshot(fs, this.dir, offset, entries),
    );
    const snapshots = await this.#guard('list producer snapshots in', this.dir, () =>
      listProducerSnapshots(fs, this.dir),
    );
    const kept = transactionLimits.producerSnapshotsKeptMax;
    for (const old of snapshots.slice(0, Math.max(0, snapshots.length - kept))) {
      await fs.unlink(snapshotPath(this.dir, old)).catch(() => {});
    }
  }

  #txnIndexPath(segmentBase: number): string {
    return `${this.dir}/${segmentFileName(segmentBase, TXN_INDEX_SUFFIX)}`;
  }

  /**
   * Rebuilds producer state and aborted-transaction indexes at open: the newest readable snapshot
   * at or below the log end, then every batch after it replayed. Index files are trusted for
   * segments wholly below the snapshot (written and fsynced before it); later ones are rebuilt.
   */
  async loadProducerState(): Promise<void> {
    this.#throwIfOffline();
    const fs = this.#o.fs;
    const end = this.#logEndOffset;
    let from = this.#logStartOffset;
    const snapshots = await listProducerSnapshots(fs, this.dir);
    for (const offset of snapshots.filter((o) => o > end)) await fs.unlink(snapshotPath(this.dir, offset));
    for (const offset of snapshots.filter((o) => o <= end).reverse()) {
      try {
        const snapshot = decodeProducerSnapshot(
          await fs.readFile(snapshotPath(this.dir, offset)),
          snapshotPath(this.dir, offset),
        );
        this.#producers.restore(snapshot.entries);
        from = Math.max(offset, this.#logStartOffset);
        break;
      } catch (error) {
        this.#o.logger.warn(
          { topic: this.topic, partition: this.partition, error: String(error) },
          'Ignoring unreadable producer snapshot',
        );
      }
    }
    for (const segment of this.#segments) {
      if (segment.nextOffset <= from || segment.sizeBytes === 0) {
        const entries = await readTxnIndex(fs, this.#txnIndexPath(segment.baseOffset));
        if (entries.length > 0) this.#aborted.set(segment.baseOffset, entries);
      } else if (segment.baseOffset < from) {
        const entries = (await readTxnIndex(fs, this.#txnIndexPath(segment.baseOffset))).filter(
          (e) => e.lastOffset < from,
        );
        this.#aborted.set(segment.baseOffset, entries);
        this.#txnIndexDirty.add(segment.baseOffset);
      } else {
        this.#txnIndexDirty.add(segment.baseOffset);
      }
    }
    await this.#replayFrom(from, end);
  }

  async #replayFrom(from: number, end: number): Promise<void> {
    let offset = from;
    // Bounded by the log end: each pass moves past at least one batch or stops.
    while (offset < end) {
      const { batches } = await this.read(offset, storageLimits.scanChunkBytes, { minOneBatch: true });
      if (batches.length === 0) break;
      for (const bytes of batches) {
        const base = Number(bytes.readBigInt64BE(0));
        const batch = producerBatchAt(bytes, 0, bytes.length);
        const last = base + batch.lastOffsetDelta;
        if (last < offset) continue;
        const segment = this.#segments[floorSegment(this.#segments, base)]!;
        this.#recordAborts(segment.baseOffset, this.#producers.replay([batch], base));
        offset = last + 1;
      }
    }
  }

  /** The end of what read_committed consumers may see: the oldest open transaction's first offset, else the log end. */
  get lastStableOffset(): number {
    return this.#producers.firstUnstableOffset() ?? this.#logEndOffset;
  }

  /** Aborted transactions overlapping [fromOffset, toOffset): a read_committed fetch's list. */
  abortedTransactions(fromOffset: number, toOffset: number): AbortedTxn[] {
    const found: AbortedTxn[] = [];
    for (const list of this.#aborted.values()) {
      for (const e of list) {
        if (e.lastOffset >= fromOffset && e.firstOffset < toOffset) found.push(e);
        if (found.length >= transactionLimits.abortedTransactionsPerFetchMax) return found;
      }
    }
    return found.sort((a, b) => a.firstOffset - b.firstOffset);
  }

  /** The producers this partition tracks (DescribeProducers). */
  producerStates(): ProducerEntry[] {
    return this.#producers.entries();
  }

  /** Forgets producers idle since before `cutoffMs` (producer.id.expiration.ms); returns how many. */
  async expireProducers(cutoffMs: number): Promise<number> {
    this.#throwIfOffline();
    return this.#queue.run(async () => this.#producers.expire(cutoffMs));
  }

  /** Rolls the active segment if it holds anything (tests, retention of an expired active segment). */
  async roll(): Promise<void> {
    this.#throwIfOffline();
    return this.#queue.run(async () => {
      if (this.#active().sizeBytes > 0) await this.#roll();
    });
  }

  segmentContext(): SegmentContext {
    return {
      fs: this.#o.fs,
      cache: this.#o.cache,
      dir: this.dir,
      indexIntervalBytes: this.#config.indexIntervalBytes,
      indexBytesMax: this.#config.segmentIndexBytes,
    };
  }

  /**
   * Makes every completed append durable: fsyncs segments written since the last sync and the
   * directory if segments were created. Called by group commit, beside the queue.
   */
  async sync(): Promise<void> {
    this.#throwIfOffline();
    const target = this.#logEndOffset;
    const segments = [...this.#unsynced];
    this.#unsynced.clear();
    const directory = this.#directoryUnsynced;
    this.#directoryUnsynced = false;
    for (const segment of segments) {
      if (segment.isSealed && !this.#segments.includes(segment)) continue;
      await this.#guard('fsync', segment.logPath, () => segment.sync());
    }
    if (directory) await this.#guard('fsync directory', this.dir, () => this.#o.fs.syncDirectory(this.dir));
    if (target > this.#flushedOffset) this.#flushedOffset = target;
    if (this.#flushedOffset >= this.#logEndOffset) this.#oldestUnflushedAtMs = undefined;
  }

  /** Flushes now through group commit (shared with other partitions syncing at the same time). */
  async flush(): Promise<void> {
    this.#throwIfOffline();
    if (this.#flushedOffset >= this.#logEndOffset && this.#unsynced.size === 0 && !this.#directoryUnsynced) {
      return Promise.resolve();
    }
    return this.#o.groupCommit.flush(this);
  }

  /** True when flush.ms has passed since the oldest unflushed append. */
  isFlushDue(nowMs: number): boolean {
    const since = this.#oldestUnflushedAtMs;
    return since !== undefined && !this.isOffline && nowMs - since >= this.#config.flushMs;
  }

  /** Reads whole batches from `offset`, up to `maxBytes` (see ReadOptions.minOneBatch). */
  async read(offset: number, maxBytes: number, options: ReadOptions = {}): Promise<ReadResult> {
    this.#throwIfOffline();
    const logStartOffset = this.#logStartOffset;
    const logEndOffset = this.#logEndOffset;
    if (offset < logStartOffset || offset > logEndOffset) {
      throw new StorageError(
        'offset_out_of_range',
        `Cannot read ${this.#name()} at offset ${offset}: log spans [${logStartOffset}, ${logEndOffset})`,
        { ...this.#where(), offset },
      );
    }
    const segments = this.#segments;
    let i = floorSegment(segments, offset);
    // Bounded by the segment count; a segment without the offset (compacted away) passes to the next.
    for (; i < segments.length && offset < logEndOffset; i++) {
      const segment = segments[i]!;
      segment.acquire();
      try {
        const batches = await this.#readSegment(segment, offset, maxBytes, options.minOneBatch ?? true);
        if (batches !== undefined) return { batches, logStartOffset, logEndOffset };
      } finally {
        segment.release();
      }
    }
    return { batches: [], logStartOffset, logEndOffset };
  }

  async #readSegment(
    segment: Segment,
    offset: number,
    maxBytes: number,
    minOneBatch: boolean,
  ): Promise<Buffer[] | undefined> {
    const end = segment.sizeBytes;
    let position = this.#rememberedPosition(segment, offset);
    let data = position === undefined ? undefined : await this.#readAt(segment, position, maxBytes, end);
    // A remembered position not holding the offset cannot happen while segments only grow; the
    // long way (index, then batch headers) is the fallback all the same.
    if (position === undefined || data === undefined || !batchHolds(data, offset)) {
      position = await this.#positionOf(segment, offset, end);
      if (position === undefined) return undefined;
      data = await this.#readAt(segment, position, maxBytes, end);
    }
    const firstBytes =
      data.length >= BATCH_LOG_OVERHEAD_BYTES ? data.readInt32BE(8) + BATCH_LOG_OVERHEAD_BYTES : 0;
    if (
      minOneBatch &&
      firstBytes > data.length &&
      firstBytes <= Math.min(storageLimits.batchBytesMax, end - position)
    ) {
      data = await this.#guard('read', segment.logPath, () => segment.read(position, firstBytes));
    }
    const batches = this.#sliceBatches(segment, data, position, end);
    let total = 0;
    let keep = 0;
    // Whole batches within maxBytes; the first one regardless when minOneBatch.
    while (
      keep < batches.length &&
      (total + batches[keep]!.length <= maxBytes || (keep === 0 && minOneBatch))
    ) {
      total += batches[keep]!.length;
      keep++;
    }
    const last = batches[keep - 1];
    if (last !== undefined) {
      const next = Number(last.readBigInt64BE(0)) + last.readInt32BE(batchOffsets.lastOffsetDelta) + 1;
      this.#rememberReadPosition(segment, next, position + total);
    }
    return batches.slice(0, keep);
  }

  /** Reads up to maxBytes at `position`, and at least a header so the first batch's size is known. */
  #readAt(segment: Segment, position: number, maxBytes: number, end: number): Promise<Buffer> {
    const want = Math.min(Math.max(maxBytes, BATCH_HEADER_BYTES), end - position);
    return this.#guard('read', segment.logPath, () => segment.read(position, want));
  }

  #rememberReadPosition(segment: Segment, offset: number, position: number): void {
    const cache = this.#nextReadPositions;
    const at = cache.findIndex((e) => e.offset === offset);
    if (at >= 0) cache.splice(at, 1);
    else if (cache.length >= READ_POSITIONS_MAX) cache.shift();
    cache.push({ segment, offset, position });
  }

  /** The remembered start of the batch at `offset` in `segment`, if its header confirms it. */
  #rememberedPosition(segment: Segment, offset: number): number | undefined {
    const entry = this.#nextReadPositions.find((e) => e.offset === offset && e.segment === segment);
    return entry !== undefined && entry.position < segment.sizeBytes ? entry.position : undefined;
  }

  /**
   * Splits read bytes into whole batches; a bad batch inside written data is corruption. The CRC
   * of a batch is checked unless the segment knows its bytes were checked already (appended or
   * recovered by this process, or read before), as Kafka does not check on fetch at all: the
   * first read of each byte range after a start checks it, later ones only check its shape.
   */
  #sliceBatches(segment: Segment, data: Buffer, position: number, end: number): Buffer[] {
    const batches: Buffer[] = [];
    const allVerified = segment.isVerified(position, position + data.length);
    let at = 0;
    // Bounded by data.length: each iteration consumes one batch.
    while (at + 12 <= data.length) {
      const size = data.readInt32BE(at + 8) + 12;
      const complete = at + size <= data.length;
      if (!complete && position + at + size <= end && size > 0 && size <= storageLimits.batchBytesMax) break;
      const verified = allVerified || (complete && segment.isVerified(position + at, position + at + size));
      const checked = verified ? wholeBatchAt(data, at) : checkedBatchAt(data, at);
      if ('problem' in checked) throw this.#corrupt(segment, position + at, checked.problem);
      batches.push(data.subarray(at, at + size));
      at += size;
    }
    segment.markVerified(position, position + at);
    return batches;
  }

  /** Byte position of the batch holding `offset` (or the first after it), or undefined if past this segment. */
  async #positionOf(segment: Segment, offset: number, end: number): Promise<number | undefined> {
    const start = await segment.offsetIndex.floor(offset);
    const walked = await this.#walkTo(segment, offset, start.position, end);
    if (walked.found !== undefined || walked.problem === undefined) return walked.found;
    // An index replaced under a reader (compaction swap) can point mid-batch: walk from the start once.
    const again = start.position > 0 ? await this.#walkTo(segment, offset, 0, end) : walked;
    if (again.found === undefined && again.problem !== undefined) {
      throw this.#corrupt(segment, again.problemPosition, again.problem);
    }
    return again.found;
  }

  async #walkTo(segment: Segment, offset: number, from: number, end: number) {
    let found: number | undefined;
    const chunkBytes = storageLimits.headerWalkChunkBytes;
    const scan = await this.#guard('scan', segment.logPath, () =>
      scanBatches(segment.file, from, end, { verifyCrc: false, chunkBytes }, (b) => {
        if (b.baseOffset + b.lastOffsetDelta < offset) return true;
        found = b.position;
        return false;
      }),
    );
    return { found, problem: scan.problem, problemPosition: scan.validEndPosition };
  }

  /**
   * ListOffsets by time: the first record whose timestamp is >= `timestampMs` (at or after the log
   * start offset) and its timestamp, or undefined when every record is older.
   */
  async offsetForTimestamp(timestampMs: number): Promise<TimestampOffset | undefined> {
    this.#throwIfOffline();
    // Bounded by the segment count; segments whose newest record is older are skipped unread.
    for (const segment of this.#segments) {
      if (segment.maxTimestampMs < timestampMs || segment.nextOffset <= this.#logStartOffset) continue;
      segment.acquire();
      try {
        const entry = await segment.timeIndex.floor(timestampMs);
        const from = Math.max(entry?.offset ?? segment.baseOffset, this.#logStartOffset);
        const found = await this.#searchSegment(segment, from, (at) =>
          firstRecordAtOrAfter(segment, at, timestampMs, this.#logStartOffset),
        );
        if (found !== undefined) return found;
      } finally {
        segment.release();
      }
    }
    return undefined;
  }

  /**
   * ListOffsets MAX_TIMESTAMP (KIP-734): the largest timestamp in the log and the offset of the
   * first record carrying it, in the first segment and batch that reached it.
   */
  async maxTimestamp(): Promise<TimestampOffset | undefined> {
    this.#throwIfOffline();
    let best: Segment | undefined;
    for (const s of this.#segments) {
      if (
        s.sizeBytes > 0 &&
        s.maxTimestampMs >= 0 &&
        (best === undefined || s.maxTimestampMs > best.maxTimestampMs)
      )
        best = s;
    }
    if (best === undefined) return undefined;
    const segment = best;
    const maxMs = segment.maxTimestampMs;
    segment.acquire();
    try {
      const found = await this.#searchSegment(segment, segment.offsetOfMaxTimestamp, (at) =>
        firstRecordWithTimestamp(segment, at, maxMs),
      );
      // A batch emptied by compaction keeps its max timestamp but no record: answer its offset.
      const offset = found?.offset ?? segment.offsetOfMaxTimestamp;
      return { offset: Math.max(offset, this.#logStartOffset), timestampMs: maxMs };
    } finally {
      segment.release();
    }
  }

  /** Runs a record search from the indexed position of `offset`; a bad batch takes the partition offline. */
  async #searchSegment(
    segment: Segment,
    offset: number,
    search: (position: number) => Promise<SearchResult>,
  ): Promise<TimestampOffset | undefined> {
    const start = await segment.offsetIndex.floor(offset);
    let result = await this.#guard('search', segment.logPath, () => search(start.position));
    // An index replaced under a reader (compaction swap) can point mid-batch: search from the start once.
    if ('problem' in result && start.position > 0)
      result = await this.#guard('search', segment.logPath, () => search(0));
    if ('problem' in result) throw this.#corrupt(segment, result.position, result.problem);
    return result.found;
  }

  /** DeleteRecords: moves the log start offset up to `offset` (durably) and deletes segments below it. */
  async deleteRecordsBefore(offset: number): Promise<number> {
    this.#throwIfOffline();
    return this.#queue.run(async () => {
      this.#throwIfOffline();
      if (offset > this.#logEndOffset || offset < 0) {
        throw new StorageError(
          'offset_out_of_range',
          `Cannot delete records of ${this.#name()} before ${offset}: log ends at ${this.#logEndOffset}`,
          { ...this.#where(), offset },
        );
      }
      // Retention may have moved the start past `offset` without persisting it; an acknowledged
      // DeleteRecords must survive a crash either way.
      this.#logStartOffset = Math.max(this.#logStartOffset, offset);
      if (this.#durableLogStartOffset < offset) {
        const persisting = this.#logStartOffset;
        await this.#guard('persist log start offset of', this.dir, () => this.#o.persistLogStartOffsets());
        this.#durableLogStartOffset = Math.max(this.#durableLogStartOffset, persisting);
      }
      await this.#applyRetention(this.#o.clock.nowMs(), false);
      return this.#logStartOffset;
    });
  }

  /** Deletes segments past retention.ms / retention.bytes / the log start offset; returns how many. */
  async enforceRetention(nowMs: number = this.#o.clock.nowMs()): Promise<number> {
    this.#throwIfOffline();
    return this.#queue.run(() => this.#applyRetention(nowMs, true));
  }

  async #applyRetention(nowMs: number, byPolicy: boolean): Promise<number> {
    this.#throwIfOffline();
    const config = byPolicy
      ? this.#config
      : { ...this.#config, cleanupPolicy: { delete: false, compact: false } };
    const plan = planRetention({
      segments: this.#segments,
      logStartOffset: this.#logStartOffset,
      config,
      nowMs,
    });
    if (plan.rollActive) await this.#roll();
    if (plan.deleteCount === 0) return 0;
    const doomed = this.#segments.slice(0, plan.deleteCount);
    this.#segments = this.#segments.slice(plan.deleteCount);
    this.#logStartOffset = Math.max(this.#logStartOffset, this.#segments[0]!.baseOffset);
    for (const segment of doomed) {
      this.#unsynced.delete(segment);
      await this.#guard('delete segment', segment.logPath, () => segment.retire());
      this.#aborted.delete(segment.baseOffset);
      this.#txnIndexDirty.delete(segment.baseOffset);
      await this.#o.fs.unlink(this.#txnIndexPath(segment.baseOffset)).catch(() => {});
    }
    // Make the unlinks durable before reporting them: a power loss must not bring back segments
    // below the log start offset (Kafka would re-delete them later; a sure fsync is simpler).
    // The same fsync also covers the creation of the segment that now starts the log.
    await this.#guard('fsync directory', this.dir, () => this.#o.fs.syncDirectory(this.dir));
    this.#o.logger.info(
      { topic: this.topic, partition: this.partition, segments: doomed.length, reason: plan.reason },
      'Deleted segments',
    );
    return doomed.length;
  }

  /**
   * Replaces sealed segments `old` (consecutive, oldest first) by `replacement` in one step on the
   * queue; returns false (and changes nothing) if they are no longer all present, as after
   * retention. `aborted` is the aborted-transaction index of the replacement (whose `.txnindex`
   * file `commit` installs): entries of markers the cleaner removed are gone with them.
   */
  async replaceSegments(
    old: readonly Segment[],
    replacement: readonly Segment[],
    aborted: readonly AbortedTxn[],
    commit: () => Promise<void>,
  ): Promise<boolean> {
    this.#throwIfOffline();
    return this.#queue.run(async () => {
      const start = this.#segments.indexOf(old[0]!);
      const present = start >= 0 && old.every((s, k) => this.#segments[start + k] === s);
      if (!present || old.some((s) => !s.isSealed) || this.isOffline) return false;
      await this.#guard('swap compacted segments in', this.dir, commit);
      this.#segments = [
        ...this.#segments.slice(0, start),
        ...replacement,
        ...this.#segments.slice(start + old.length),
      ];
      for (const segment of old) {
        this.#aborted.delete(segment.baseOffset);
        this.#txnIndexDirty.delete(segment.baseOffset);
      }
      if (aborted.length > 0) this.#aborted.set(replacement[0]!.baseOffset, [...aborted]);
      // The replacement took over the first file names and `commit` unlinked the rest: close the old handles.
      for (const segment of old) await segment.retireHandlesOnly().catch(() => {});
      return true;
    });
  }

  /**
   * Every aborted transaction overlapping [fromOffset, toOffset), unbounded by the fetch limit
   * (the cleaner must know all of them), oldest first.
   */
  abortedTransactionsIn(fromOffset: number, toOffset: number): AbortedTxn[] {
    const found: AbortedTxn[] = [];
    for (const list of this.#aborted.values())
      for (const e of list) if (e.lastOffset >= fromOffset && e.firstOffset < toOffset) found.push(e);
    return found.sort((a, b) => a.firstOffset - b.firstOffset);
  }

  /** The `.txnindex` path of the segment at `segmentBase` (the cleaner writes one beside a swap). */
  txnIndexPath(segmentBase: number): string {
    return this.#txnIndexPath(segmentBase);
  }

  /** Run `task` on the partition's queue (the cleaner uses it to read state consistently). */
  async exclusive<T>(task: () => Promise<T>): Promise<T> {
    this.#throwIfOffline();
    return this.#queue.run(task);
  }

  /** Writes indexes, fsyncs and closes every file (clean shutdown). */
  async close(): Promise<void> {
    return this.#queue.run(async () => {
      if (this.#offline !== undefined) {
        await this.#closeQuietly();
        return;
      }
      await this.sync();
      await this.#persistProducerState(this.#logEndOffset);
      for (const segment of this.#segments)
        await this.#guard('close', segment.logPath, () => segment.close());
      this.#offline = new StorageError('closed', `Partition ${this.#name()} is closed`, this.#where());
    });
  }

  /** Closes files without writing anything (topic deletion, offline partitions). */
  async abandon(reason: string): Promise<void> {
    this.#offline ??= new StorageError('closed', `Partition ${this.#name()} is ${reason}`, this.#where());
    await this.#queue.run(() => this.#closeQuietly()).catch(() => {});
  }

  async #closeQuietly(): Promise<void> {
    for (const segment of this.#segments) await segment.retireHandlesOnly().catch(() => {});
  }

  #active(): Segment {
    const active = this.#segments.at(-1);
    if (active === undefined) throw new Error(`Partition ${this.#name()} has no segments`);
    return active;
  }

  #name(): string {
    return `${this.topic}-${this.partition}`;
  }

  #where(): { topic: string; partition: number } {
    return { topic: this.topic, partition: this.partition };
  }

  #throwIfOffline(): void {
    const error = this.#offline;
    if (error === undefined) return;
    if (error.code === 'closed') throw error;
    throw new StorageError('partition_offline', `Partition ${this.#name()} is offline: ${error.message}`, {
      ...this.#where(),
      ...(error.file === undefined ? {} : { file: error.file }),
      cause: error,
    });
  }

  /** Runs filesystem work; a failure takes the partition offline and is rethrown as a typed error. */
  async #guard<T>(action: string, file: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof StorageError && (error.code === 'partition_offline' || error.code === 'closed'))
        throw error;
      const typed = storageErrorFromFs(error, action, { ...this.#where(), file });
      this.#goOffline(typed);
      throw typed;
    }
  }

  #corrupt(segment: Segment, position: number, problem: string): StorageError {
    const error = new StorageError(
      'corrupt_log',
      `Corrupt batch in ${this.#name()} at byte ${position} of ${segment.logPath}: ${problem}`,
      { ...this.#where(), file: segment.logPath },
    );
    this.#goOffline(error);
    return error;
  }

  #goOffline(error: StorageError): void {
    if (this.#offline !== undefined) return;
    this.#offline = error;
    this.#o.logger.error(
      { topic: this.topic, partition: this.partition, file: error.file, code: error.code },
      error.message,
    );
  }
}

/** Whether `data` starts with a batch header whose offsets include `offset`. */
function batchHolds(data: Buffer, offset: number): boolean {
  if (data.length < BATCH_HEADER_BYTES) return false;
  const base = Number(data.readBigInt64BE(0));
  return base <= offset && offset <= base + data.readInt32BE(batchOffsets.lastOffsetDelta);
}

/** Index of the last segment whose base offset is <= offset (0 if none). */
export function floorSegment(segments: readonly Segment[], offset: number): number {
  let low = 0;
  let high = segments.length - 1;
  let found = 0;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    if (segments[mid]!.baseOffset <= offset) {
      found = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return found;
}
