// One partition's idempotent and transactional producer state (Kafka's ProducerStateManager, with
// no I/O): per producer id its epoch, the sequence ranges and offsets of its last batches (to
// answer retried duplicates with their original offsets) and the first offset of its open
// transaction. The partition log owns one table and calls it on its serial append queue:
// analyze() checks a produce request's batches against the table without changing it, the log
// writes, then apply() commits the staged changes. Markers close transactions; an abort is
// returned so the log can add it to the segment's aborted-transaction index. The first offset of
// the oldest open transaction bounds the last stable offset.
import { transactionLimits } from '../limits.ts';

export const NO_PRODUCER_ID = -1n;
const INT32_MAX = 0x7fffffff;

/** A batch's identity for producer state, read from its header. */
export interface ProducerBatch {
  producerId: bigint;
  epoch: number;
  baseSequence: number;
  lastOffsetDelta: number;
  maxTimestampMs: number;
  transactional: boolean;
  /** Set for commit/abort control batches. */
  marker?: { type: 'commit' | 'abort'; coordinatorEpoch: number };
}

export interface BatchMetadata {
  firstSeq: number;
  lastSeq: number;
  firstOffset: number;
  lastOffset: number;
}

export interface ProducerEntry {
  producerId: bigint;
  epoch: number;
  /** Oldest first, at most producerBatchesRememberedMax. */
  batches: BatchMetadata[];
  coordinatorEpoch: number;
  /** First offset of the open transaction on this partition, or -1. */
  currentTxnFirstOffset: number;
  /** Largest batch timestamp seen (record time, as Kafka expires by it). */
  lastTimestampMs: number;
}

export interface AbortedTxn {
  producerId: bigint;
  firstOffset: number;
  /** Offset of the abort marker. */
  lastOffset: number;
  lastStableOffset: number;
}

export type ProducerErrorCode =
  | 'out_of_order_sequence'
  | 'invalid_producer_epoch'
  | 'unknown_producer_id'
  | 'invalid_txn_state'
  | 'producer_state_full';

export interface ProducerProblem {
  code: ProducerErrorCode;
  message: string;
}

/** Staged changes of one append; apply() makes them current. */
export interface StagedAppend {
  readonly entries: Map<bigint, ProducerEntry>;
  readonly aborted: AbortedTxn[];
}

export type AnalyzeResult =
  | { kind: 'append'; staged: StagedAppend }
  | { kind: 'duplicate'; firstOffset: number; lastOffset: number }
  | { kind: 'error'; problem: ProducerProblem };

/** Kafka's sequence arithmetic: sequences wrap from Int32 max to 0. */
export function addSequence(sequence: number, increment: number): number {
  return sequence > INT32_MAX - increment ? increment - (INT32_MAX - sequence) - 1 : sequence + increment;
}

function inSequence(lastSeq: number, nextFirstSeq: number): boolean {
  return nextFirstSeq === lastSeq + 1 || (nextFirstSeq === 0 && lastSeq === INT32_MAX);
}

function cloneEntry(e: ProducerEntry): ProducerEntry {
  return { ...e, batches: e.batches.map((b) => ({ ...b })) };
}

export class ProducerStateTable {
  readonly #name: string;
  readonly #entries = new Map<bigint, ProducerEntry>();

  /** `name` (topic-partition) appears in every error message. */
  constructor(name: string) {
    this.#name = name;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(producerId: bigint): ProducerEntry | undefined {
    const e = this.#entries.get(producerId);
    return e === undefined ? undefined : cloneEntry(e);
  }

  entries(): ProducerEntry[] {
    return [...this.#entries.values()].map(cloneEntry);
  }

  /** First offset of the oldest open transaction, or undefined when none is open. */
  firstUnstableOffset(): number | undefined {
    let first: number | undefined;
    for (const e of this.#entries.values()) {
      if (e.currentTxnFirstOffset >= 0 && (first === undefined || e.currentTxnFirstOffset < first))
        first = e.currentTxnFirstOffset;
    }
    return first;
  }

  /**
   * Checks batches about to be appended at consecutive offsets from `baseOffset` and stages the
   * resulting state. Batches without a producer id pass untouched. A retried batch (same epoch and
   * sequence range as one of the producer's remembered batches) makes the whole append a duplicate.
   */
  analyze(batches: readonly ProducerBatch[], baseOffset: number, validate = true): AnalyzeResult {
    const staged: StagedAppend = { entries: new Map(), aborted: [] };
    let offset = baseOffset;
    for (const batch of batches) {
      const firstOffset = offset;
      offset += batch.lastOffsetDelta + 1;
      if (batch.producerId < 0n) continue;
      const current = staged.entries.get(batch.producerId) ?? this.#entries.get(batch.producerId);
      if (
        validate &&
        current === undefined &&
        this.#entries.size + staged.entries.size >= transactionLimits.producersPerPartitionMax
      ) {
        return this.#error(
          'producer_state_full',
          `partition ${this.#name} already tracks ${this.#entries.size} producers, the most allowed`,
        );
      }
      if (batch.marker !== undefined) {
        const problem = this.#stageMarker(staged, current, batch, firstOffset);
        if (problem !== undefined && validate) return { kind: 'error', problem };
        continue;
      }
      if (validate && current !== undefined && current.epoch === batch.epoch) {
        const lastSeq = addSequence(batch.baseSequence, batch.lastOffsetDelta);
        const dup = current.batches.find((b) => b.firstSeq === batch.baseSequence && b.lastSeq === lastSeq);
        if (dup !== undefined)
          return { kind: 'duplicate', firstOffset: dup.firstOffset, lastOffset: dup.lastOffset };
      }
      const problem = validate ? this.#checkData(current, batch, firstOffset) : undefined;
      if (problem !== undefined) return { kind: 'error', problem };
      staged.entries.set(batch.producerId, this.#stageData(current, batch, firstOffset, offset - 1));
    }
    return { kind: 'append', staged };
  }

  /** Rebuilds state from batches already in the log (recovery): no checks, nothing refused. */
  replay(batches: readonly ProducerBatch[], baseOffset: number): AbortedTxn[] {
    const result = this.analyze(batches, baseOffset, false);
    return result.kind === 'append' ? this.apply(result.staged) : [];
  }

  /** Makes staged changes current; returns the transactions the append aborted. */
  apply(staged: StagedAppend): AbortedTxn[] {
    for (const [id, entry] of staged.entries) this.#entries.set(id, entry);
    return staged.aborted;
  }

  /** Removes producers idle since before `cutoffMs` with no open transaction; returns how many. */
  expire(cutoffMs: number): number {
    let removed = 0;
    for (const [id, e] of this.#entries) {
      if (e.currentTxnFirstOffset < 0 && e.lastTimestampMs < cutoffMs) {
        this.#entries.delete(id);
        removed++;
      }
    }
    return removed;
  }

  /** Replaces the whole table (snapshot load). */
  restore(entries: readonly ProducerEntry[]): void {
    this.#entries.clear();
    for (const e of entries) this.#entries.set(e.producerId, cloneEntry(e));
  }

  #checkData(
    current: ProducerEntry | undefined,
    batch: ProducerBatch,
    offset: number,
  ): ProducerProblem | undefined {
    const at = `producer ${batch.producerId} at offset ${offset} in ${this.#name}`;
    if (current === undefined) {
      if (batch.baseSequence !== 0)
        return {
          code: 'unknown_producer_id',
          message: `Unknown ${at}: first sequence ${batch.baseSequence} is not 0 and the partition has no state for it`,
        };
      return undefined;
    }
    if (batch.epoch < current.epoch)
      return {
        code: 'invalid_producer_epoch',
        message: `Epoch ${batch.epoch} of ${at} is older than the current epoch ${current.epoch}`,
      };
    if (batch.epoch > current.epoch) {
      if (batch.baseSequence !== 0)
        return {
          code: 'out_of_order_sequence',
          message: `Out of order sequence for ${at}: new epoch ${batch.epoch} must start at sequence 0, got ${batch.baseSequence}`,
        };
    } else {
      const last = current.batches.at(-1);
      const ok = last === undefined ? batch.baseSequence === 0 : inSequence(last.lastSeq, batch.baseSequence);
      if (!ok)
        return {
          code: 'out_of_order_sequence',
          message: `Out of order sequence for ${at}: ${batch.baseSequence} (incoming), ${last?.lastSeq ?? -1} (current end)`,
        };
    }
    if (!batch.transactional && current.currentTxnFirstOffset >= 0 && batch.epoch === current.epoch)
      return {
        code: 'invalid_txn_state',
        message: `Expected a transactional write from ${at}: its transaction from offset ${current.currentTxnFirstOffset} is open`,
      };
    return undefined;
  }

  #stageData(
    current: ProducerEntry | undefined,
    batch: ProducerBatch,
    firstOffset: number,
    lastOffset: number,
  ): ProducerEntry {
    const entry: ProducerEntry =
      current === undefined || current.epoch !== batch.epoch
        ? {
            producerId: batch.producerId,
            epoch: batch.epoch,
            batches: [],
            coordinatorEpoch: current?.coordinatorEpoch ?? -1,
            currentTxnFirstOffset: current?.currentTxnFirstOffset ?? -1,
            lastTimestampMs: current?.lastTimestampMs ?? -1,
          }
        : cloneEntry(current);
    entry.batches.push({
      firstSeq: batch.baseSequence,
      lastSeq: addSequence(batch.baseSequence, batch.lastOffsetDelta),
      firstOffset,
      lastOffset,
    });
    if (entry.batches.length > transactionLimits.producerBatchesRememberedMax) entry.batches.shift();
    entry.lastTimestampMs = Math.max(entry.lastTimestampMs, batch.maxTimestampMs);
    if (batch.transactional && entry.currentTxnFirstOffset < 0) entry.currentTxnFirstOffset = firstOffset;
    return entry;
  }

  #stageMarker(
    staged: StagedAppend,
    current: ProducerEntry | undefined,
    batch: ProducerBatch,
    offset: number,
  ): ProducerProblem | undefined {
    const marker = batch.marker!;
    if (current !== undefined && batch.epoch < current.epoch)
      return {
        code: 'invalid_producer_epoch',
        message: `Cannot write a ${marker.type} marker for producer ${batch.producerId} in ${this.#name}: epoch ${batch.epoch} is older than ${current.epoch}`,
      };
    // A marker with a newer epoch (a fenced producer's abort) starts the new epoch's sequences.
    const entry: ProducerEntry =
      current === undefined
        ? {
            producerId: batch.producerId,
            epoch: batch.epoch,
            batches: [],
            coordinatorEpoch: marker.coordinatorEpoch,
            currentTxnFirstOffset: -1,
            lastTimestampMs: batch.maxTimestampMs,
          }
        : cloneEntry(current);
    if (entry.epoch !== batch.epoch) {
      entry.epoch = batch.epoch;
      entry.batches = [];
    }
    entry.coordinatorEpoch = marker.coordinatorEpoch;
    entry.lastTimestampMs = Math.max(entry.lastTimestampMs, batch.maxTimestampMs);
    if (entry.currentTxnFirstOffset >= 0) {
      const firstOffset = entry.currentTxnFirstOffset;
      entry.currentTxnFirstOffset = -1;
      if (marker.type === 'abort') {
        staged.aborted.push({
          producerId: batch.producerId,
          firstOffset,
          lastOffset: offset,
          lastStableOffset: this.#stableAfter(staged, batch.producerId, offset + 1),
        });
      }
    }
    staged.entries.set(batch.producerId, entry);
    return undefined;
  }

  /** The LSO once `closing` has ended: the oldest other open transaction, else `end`. */
  #stableAfter(staged: StagedAppend, closing: bigint, end: number): number {
    let first = end;
    const seen = new Set<bigint>();
    for (const e of [...staged.entries.values(), ...this.#entries.values()]) {
      if (seen.has(e.producerId)) continue;
      seen.add(e.producerId);
      if (e.producerId !== closing && e.currentTxnFirstOffset >= 0)
        first = Math.min(first, e.currentTxnFirstOffset);
    }
    return first;
  }

  #error(code: ProducerErrorCode, message: string): AnalyzeResult {
    return { kind: 'error', problem: { code, message } };
  }
}
