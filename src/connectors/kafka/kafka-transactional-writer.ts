// A transactional Sluice Producer behind the engine's TransactionalLogWriter: init() is
// initTransactions() (fencing the transactional id's earlier incarnations), the first append or
// offset begins a transaction, offsets go in with sendOffsetsToTransaction (AddOffsetsToTxn +
// TxnOffsetCommit), commit and abort end it.
import { KafkaError } from '../../client/errors.ts';
import { Producer } from '../../client/producer.ts';
import type {
  ConsumedOffsets,
  LogAppend,
  TransactionalLogWriter,
  TransactionHandle,
} from '../../engine/log/log.ts';
import { LogBindingError } from '../log-binding-error.ts';

export class KafkaTransactionalWriter implements TransactionalLogWriter {
  readonly transactionalId: string;
  readonly #producer: Producer;
  #inTransaction = false;

  constructor(bootstrap: string, transactionalId: string, transactionTimeoutMs: number) {
    this.transactionalId = transactionalId;
    this.#producer = new Producer({
      bootstrap,
      clientId: `sluice-engine-${transactionalId}`,
      transactionalId,
      transactionTimeoutMs,
      allowAutoTopicCreation: false,
    });
  }

  /** Takes over a transaction an earlier incarnation left open, to commit it. */
  resume(handle: TransactionHandle): void {
    this.#producer.resumeTransaction({ producerId: handle.producerId, producerEpoch: handle.producerEpoch });
    this.#inTransaction = true;
  }

  async init(): Promise<TransactionHandle> {
    await this.#wrap('initialize transactions', () => this.#producer.initTransactions());
    const id = this.#producer.producerIdentity!;
    this.#inTransaction = false;
    return { transactionalId: this.transactionalId, ...id };
  }

  async append(topic: string, partition: number, records: readonly LogAppend[]): Promise<void> {
    if (records.length === 0) return;
    this.#begin();
    await this.#wrap(`append ${records.length} records to '${topic}'-${partition}`, () =>
      this.#producer.sendBatch(
        records.map((r) => ({
          topic,
          partition,
          key: r.key === null ? null : asBuffer(r.key),
          value: r.value === null ? null : asBuffer(r.value),
          headers: r.headers.map((h) => ({ key: h.key, value: h.value === null ? null : asBuffer(h.value) })),
          timestamp: r.timestampMs,
        })),
      ),
    );
  }

  async addOffsets(consumed: readonly ConsumedOffsets[]): Promise<void> {
    if (consumed.length === 0) return;
    this.#begin();
    for (const c of consumed) {
      await this.#wrap(`commit offsets of '${c.topic}' for group '${c.groupId}'`, () =>
        this.#producer.sendOffsetsToTransaction(
          c.offsets.map((o) => ({
            topic: c.topic,
            partition: o.partition,
            offset: BigInt(o.nextOffset),
            metadata: c.metadata,
          })),
          c.groupId,
        ),
      );
    }
  }

  async commit(): Promise<void> {
    if (!this.#inTransaction) return;
    await this.#wrap('commit the transaction', () => this.#producer.commitTransaction());
    this.#inTransaction = false;
  }

  async abort(): Promise<void> {
    if (!this.#inTransaction) return;
    await this.#wrap('abort the transaction', () => this.#producer.abortTransaction());
    this.#inTransaction = false;
  }

  close(): Promise<void> {
    return this.#producer.close();
  }

  #begin(): void {
    if (this.#inTransaction) return;
    this.#producer.beginTransaction();
    this.#inTransaction = true;
  }

  async #wrap<T>(action: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      const code = error instanceof KafkaError ? error.code : null;
      throw new LogBindingError(
        `Cannot ${action} for transactional id '${this.transactionalId}': ${(error as Error).message}`,
        code,
      );
    }
  }
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
