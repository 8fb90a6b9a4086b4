// The storage simulation's transactional producer (one per partition of a compacted topic) and
// the read_committed invariants it checks: a read_committed reader (Kafka's client algorithm over
// the log's aborted-transaction list) never sees a record of an aborted transaction, and sees as
// the latest value of every key the latest committed one. Transactional values are named
// `x<transaction>-<serial>`, so any record read back names its transaction.
import { encodeEndTransactionBatch } from '../protocol/records/control-record.ts';
import { decodeRecordBatch, encodeRecordBatch } from '../protocol/records/record-batch.ts';
import { StorageError } from './errors.ts';
import type { PartitionLog } from './partition-log.ts';
import type { Prng } from './prng.ts';
import { recordsOf } from './test-batches.ts';

export type TxnOutcome = 'commit' | 'abort';

export interface TxnModel {
  written: Map<number, { key: string | null; value: string | null }>;
  uncertain: Set<string | null>;
  outcomes: Map<number, TxnOutcome>;
}

export class SimulationFailure extends Error {}

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new SimulationFailure(message);
}

/** The transaction a simulated value belongs to, if it is transactional. */
export function txnOf(value: string | null): number | undefined {
  const match = value === null ? null : /^x(\d+)-/.exec(value);
  return match === null ? undefined : Number(match[1]);
}

export class SimulationProducer {
  #producerId: bigint;
  #sequence = 0;
  #open: number | undefined;
  /** A marker whose append failed: it may or may not be in the log. */
  #pendingMarker: { txn: number; type: TxnOutcome } | undefined;

  constructor(producerId: bigint) {
    this.#producerId = producerId;
  }

  /** One transactional step: a data batch (opening a transaction if none is), or a marker. */
  async step(
    log: PartitionLog,
    model: TxnModel,
    rng: Prng,
    nextTxn: () => number,
    nowMs: number,
  ): Promise<void> {
    if (this.#open !== undefined && rng.chance(0.4)) {
      const txn = this.#open;
      const type: TxnOutcome = rng.chance(0.5) ? 'commit' : 'abort';
      try {
        // Flushed, as the coordinator flushes every marker: an acknowledged outcome survives power loss.
        await log.append(await this.#marker(type, nowMs));
        await log.flush();
        model.outcomes.set(txn, type);
        this.#open = undefined;
      } catch (error) {
        this.#pendingMarker = { txn, type };
        if (!(error instanceof StorageError)) throw error;
      }
      return;
    }
    if (this.#open === undefined) this.#open = nextTxn();
    const txn = this.#open;
    const records = Array.from({ length: rng.int(1, 3) }, (_, i) => ({
      key: `k${rng.int(0, 7)}`,
      value: `x${txn}-${this.#sequence + i}`,
    }));
    const batch = await encodeRecordBatch({
      transactional: true,
      producerId: this.#producerId,
      producerEpoch: 0,
      baseSequence: this.#sequence,
      baseTimestamp: BigInt(nowMs),
      records: records.map((r, i) => ({
        offsetDelta: i,
        timestampDelta: 0n,
        key: Buffer.from(r.key),
        value: Buffer.from(r.value),
        headers: [],
      })),
    });
    this.#sequence += records.length;
    try {
      const result = await log.append(batch);
      for (let i = 0; i < records.length; i++) model.written.set(result.baseOffset + i, records[i]!);
    } catch (error) {
      for (const r of records) model.uncertain.add(r.value);
      if (!(error instanceof StorageError)) throw error;
    }
  }

  /**
   * After a restart: a transaction still open in the log is aborted (as the coordinator would on
   * timeout); the producer starts afresh under `freshId`, since batches lost in the crash leave
   * its sequence unknown.
   */
  async settle(log: PartitionLog, model: TxnModel, freshId: bigint, nowMs: number): Promise<void> {
    const open = this.#open ?? this.#pendingMarker?.txn;
    if (open !== undefined && !log.isOffline) {
      const entry = log.producerStates().find((e) => e.producerId === this.#producerId);
      if (entry !== undefined && entry.currentTxnFirstOffset >= 0) {
        try {
          await log.append(await this.#marker('abort', nowMs));
          await log.flush();
        } catch (error) {
          // A fault injected before the restart fired now: the transaction stays open (past the LSO).
          if (error instanceof StorageError) return;
          throw error;
        }
        model.outcomes.set(open, 'abort');
      } else {
        // Closed in the log: by the marker whose append failed, or all its data was lost.
        model.outcomes.set(open, this.#pendingMarker?.type ?? 'abort');
      }
      this.#open = undefined;
      this.#pendingMarker = undefined;
    }
    if (!log.isOffline) {
      this.#producerId = freshId;
      this.#sequence = 0;
    }
  }

  #marker(type: TxnOutcome, nowMs: number): Promise<Buffer> {
    return encodeEndTransactionBatch({
      type,
      producerId: this.#producerId,
      producerEpoch: 0,
      coordinatorEpoch: 0,
      timestamp: BigInt(nowMs),
    });
  }
}

/** Checks the read_committed view of `log` against the model (see the file comment). */
export async function verifyReadCommitted(log: PartitionLog, model: TxnModel, where: string): Promise<void> {
  const visible = await readCommitted(log, where);
  const latestSeen = new Map<string, string | null>();
  for (const r of visible) {
    const txn = txnOf(r.value);
    if (txn !== undefined)
      check(
        model.outcomes.get(txn) === 'commit',
        `${where}: read_committed shows ${r.value} at ${r.offset} of a transaction that did not commit`,
      );
    if (r.key !== null) latestSeen.set(r.key, r.value);
  }
  const stable = log.lastStableOffset;
  const latest = new Map<string, { offset: number; value: string | null }>();
  for (const [offset, r] of model.written) {
    if (offset < log.logStartOffset || offset >= stable || r.key === null) continue;
    const txn = txnOf(r.value);
    if (txn !== undefined && model.outcomes.get(txn) !== 'commit') continue;
    if ((latest.get(r.key)?.offset ?? -1) < offset) latest.set(r.key, { offset, value: r.value });
  }
  for (const [key, { offset, value }] of latest) {
    const seen = latestSeen.get(key);
    // A tombstone may itself be gone once its delete horizon passed.
    if (value === null && seen === undefined) continue;
    check(
      seen === value,
      `${where}: read_committed latest of ${key} is ${seen}, expected ${value} (offset ${offset})`,
    );
  }
}

async function readCommitted(log: PartitionLog, where: string) {
  const out = [];
  let offset = log.logStartOffset;
  const end = log.lastStableOffset;
  // Bounded by the LSO: every read returns at least one batch or ends the loop.
  for (let reads = 0; offset < end && reads < 100_000; reads++) {
    const { batches } = await log.read(offset, 700).catch((error: unknown) => {
      throw new SimulationFailure(`${where}: read_committed at ${offset} failed: ${String(error)}`);
    });
    if (batches.length === 0) break;
    const aborted = log.abortedTransactions(offset, end);
    const abortedProducers = new Set<bigint>();
    for (const bytes of batches) {
      const batch = decodeRecordBatch(bytes);
      if (Number(batch.header.baseOffset) >= end) return out;
      const producerId = batch.header.producerId;
      while (aborted.length > 0 && aborted[0]!.firstOffset <= Number(batch.lastOffset))
        abortedProducers.add(aborted.shift()!.producerId);
      if (batch.control) {
        const records = await batch.decodeRecords();
        if (records[0]?.key?.readInt16BE(2) === 0) abortedProducers.delete(producerId);
      } else if (!(batch.transactional && abortedProducers.has(producerId))) {
        out.push(...(await recordsOf([bytes])).filter((r) => r.offset >= offset));
      }
      offset = Number(batch.lastOffset) + 1;
    }
  }
  return out;
}
