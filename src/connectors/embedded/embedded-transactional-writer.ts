// A transactional producer without a network: the same calls the broker's handlers make, in the
// same order a Kafka client's requests would cause them. InitProducerId, AddPartitionsToTxn,
// AddOffsetsToTxn, TxnOffsetCommit and EndTxn go to the broker's transaction coordinator; record
// batches carry the producer id, epoch and sequence and are appended through the partition's
// producer-state check (with the coordinator's verifyPartition, as Produce does), then the
// fetches parked on the partition are woken. So fencing, the last stable offset, markers and
// transactional offsets are exactly the broker's own.
import type { BrokerServices } from '../../broker/services.ts';
import type {
  ConsumedOffsets,
  LogAppend,
  TransactionalLogWriter,
  TransactionHandle,
} from '../../engine/log/log.ts';
import { engineLimits } from '../../limits.ts';
import { ErrorCode, errorName } from '../../protocol/error-codes.ts';
import type { LogRecord } from '../../protocol/records/record.ts';
import { encodeRecordBatch } from '../../protocol/records/record-batch.ts';
import type { TransactionCoordinator } from '../../txn/transaction-coordinator.ts';
import { LogBindingError } from '../log-binding-error.ts';

/** The coordinator answers CONCURRENT_TRANSACTIONS while it finishes an earlier transition. */
const busyRetryMs = 10;

export class EmbeddedTransactionalWriter implements TransactionalLogWriter {
  readonly transactionalId: string;
  readonly #services: BrokerServices;
  readonly #timeoutMs: number;
  #identity: TransactionHandle | null;
  readonly #sequences = new Map<string, number>();
  readonly #added = new Set<string>();
  #groups = new Set<string>();
  #touched = false;

  /** `resumed`: act for a transaction another writer opened (the commit after a restore). */
  constructor(
    services: BrokerServices,
    transactionalId: string,
    transactionTimeoutMs: number,
    resumed: TransactionHandle | null = null,
  ) {
    this.#services = services;
    this.transactionalId = transactionalId;
    this.#timeoutMs = transactionTimeoutMs;
    this.#identity = resumed;
    this.#touched = resumed !== null;
  }

  async init(): Promise<TransactionHandle> {
    const txns = this.#txns();
    const result = await untilNotBusy(() =>
      txns.initProducerId(this.transactionalId, this.#timeoutMs, -1n, -1).then((r) => ({ ...r })),
    );
    this.#check(result.errorCode, 'initialize transactions');
    this.#identity = {
      transactionalId: this.transactionalId,
      producerId: result.producerId,
      producerEpoch: result.producerEpoch,
    };
    this.#reset();
    this.#sequences.clear();
    return this.#identity;
  }

  async append(topic: string, partition: number, records: readonly LogAppend[]): Promise<void> {
    if (records.length === 0) return;
    const id = this.#requireIdentity('append');
    const key = `${topic}\0${partition}`;
    const txns = this.#txns();
    if (!this.#added.has(key)) {
      const codes = await untilNotBusy(async () => {
        const byPartition = await txns.addPartitions(
          this.transactionalId,
          id.producerId,
          id.producerEpoch,
          [{ topic, partition }],
          false,
        );
        return { errorCode: [...byPartition.values()][0] ?? ErrorCode.unknownServerError };
      });
      this.#check(codes.errorCode, `add '${topic}'-${partition} to the transaction`);
      this.#added.add(key);
      this.#touched = true;
    }
    const log = this.#services.logs.partition(topic, partition);
    if (log === undefined)
      throw new LogBindingError(`Cannot append to '${topic}'-${partition}: no such partition`);
    for (let from = 0; from < records.length; from += engineLimits.logAppendBatchRecordsMax) {
      const chunk = records.slice(from, from + engineLimits.logAppendBatchRecordsMax);
      const sequence = this.#sequences.get(key) ?? 0;
      const batch = await encodeTransactionalBatch(chunk, id, sequence);
      await log.append(batch, {
        crcVerified: true,
        verifyTransaction: (producerId, epoch) => txns.verifyPartition(producerId, epoch, topic, partition),
      });
      // Sequences wrap at int32 like Kafka's (the broker checks them wrapping too).
      this.#sequences.set(key, (sequence + chunk.length) | 0);
      this.#services.appends.notify(topic, partition);
    }
  }

  async addOffsets(consumed: readonly ConsumedOffsets[]): Promise<void> {
    const id = this.#requireIdentity('add offsets');
    const txns = this.#txns();
    for (const c of consumed) {
      if (!this.#groups.has(c.groupId)) {
        const added = await untilNotBusy(async () => ({
          errorCode: await txns.addOffsets(this.transactionalId, id.producerId, id.producerEpoch, c.groupId),
        }));
        this.#check(added.errorCode, `add group '${c.groupId}' to the transaction`);
        this.#groups.add(c.groupId);
        this.#touched = true;
      }
      const committed = await untilNotBusy(async () => ({
        errorCode: await txns.txnOffsetCommit({
          transactionalId: this.transactionalId,
          groupId: c.groupId,
          producerId: id.producerId,
          producerEpoch: id.producerEpoch,
          generationId: -1,
          memberId: '',
          groupInstanceId: null,
          offsets: c.offsets.map((o) => ({
            topic: c.topic,
            partition: o.partition,
            value: { offset: BigInt(o.nextOffset), leaderEpoch: -1, metadata: c.metadata },
          })),
        }),
      }));
      this.#check(committed.errorCode, `commit offsets of '${c.topic}' for group '${c.groupId}'`);
    }
  }

  commit(): Promise<void> {
    return this.#end(true);
  }

  abort(): Promise<void> {
    return this.#end(false);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  async #end(commit: boolean): Promise<void> {
    const id = this.#requireIdentity(commit ? 'commit' : 'abort');
    // Nothing reached the coordinator: there is no transaction to end.
    if (!this.#touched) return;
    const txns = this.#txns();
    const ended = await untilNotBusy(async () => ({
      errorCode: await txns.endTxn(this.transactionalId, id.producerId, id.producerEpoch, commit),
    }));
    this.#check(ended.errorCode, commit ? 'commit the transaction' : 'abort the transaction');
    this.#reset();
  }

  #reset(): void {
    this.#added.clear();
    this.#groups = new Set();
    this.#touched = false;
  }

  #txns(): TransactionCoordinator {
    const txns = this.#services.nouns.transactions;
    if (txns === undefined)
      throw new LogBindingError(
        `Cannot use transactional id '${this.transactionalId}': the broker has no transaction coordinator`,
      );
    return txns;
  }

  #requireIdentity(action: string): TransactionHandle {
    if (this.#identity === null)
      throw new LogBindingError(`Cannot ${action} with '${this.transactionalId}': call init() first`);
    return this.#identity;
  }

  #check(errorCode: number, action: string): void {
    if (errorCode === ErrorCode.none) return;
    const id = this.#identity;
    const who = id === null ? '' : ` (producer ${id.producerId} epoch ${id.producerEpoch})`;
    throw new LogBindingError(
      `Cannot ${action} for transactional id '${this.transactionalId}'${who}: ${errorName(errorCode)}`,
      errorCode,
    );
  }
}

/** Repeats a coordinator call while it answers CONCURRENT_TRANSACTIONS, a bounded number of times. */
async function untilNotBusy<T extends { errorCode: number }>(call: () => Promise<T>): Promise<T> {
  let result = await call();
  for (
    let attempt = 1;
    result.errorCode === ErrorCode.concurrentTransactions && attempt < engineLimits.logBusyRetriesMax;
    attempt++
  ) {
    await new Promise((resolve) => setTimeout(resolve, busyRetryMs));
    result = await call();
  }
  return result;
}

async function encodeTransactionalBatch(
  records: readonly LogAppend[],
  id: TransactionHandle,
  baseSequence: number,
): Promise<Buffer> {
  const baseTimestamp = records[0]!.timestampMs;
  const encoded: LogRecord[] = records.map((r, i) => ({
    offsetDelta: i,
    timestampDelta: BigInt(r.timestampMs - baseTimestamp),
    key: r.key === null ? null : asBuffer(r.key),
    value: r.value === null ? null : asBuffer(r.value),
    headers: r.headers.map((h) => ({ key: h.key, value: h.value === null ? null : asBuffer(h.value) })),
  }));
  return encodeRecordBatch({
    transactional: true,
    producerId: id.producerId,
    producerEpoch: id.producerEpoch,
    baseSequence,
    baseTimestamp: BigInt(baseTimestamp),
    records: encoded,
  });
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
