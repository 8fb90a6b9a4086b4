// __transaction_state: the coordinator's durable state, a compacted topic in the broker's own
// storage. Created on first start with flush.messages=1, so an append resolves only once fsynced:
// the coordinator acknowledges a transition (and writes markers after PrepareCommit) only when a
// crash can no longer undo it. Read back from the log start on load; compaction keeps the latest
// record per transactional id.

import { transactionLimits } from '../limits.ts';
import { appendKeyedRecords, type KeyedLogRecord, readKeyedRecords } from '../storage/keyed-records.ts';
import type { LogManager } from '../storage/log-manager.ts';

export const TRANSACTION_STATE_TOPIC = '__transaction_state';

export const transactionStateTopicConfigs: Readonly<Record<string, string>> = {
  'cleanup.policy': 'compact',
  'segment.bytes': String(100 * 1024 * 1024),
  'flush.messages': '1',
};

const LOAD_READ_BYTES = 1024 * 1024;

export type TxnLogRecord = KeyedLogRecord;

export class TransactionLog {
  readonly partitions: number;
  readonly #logs: LogManager;

  private constructor(logs: LogManager, partitions: number) {
    this.#logs = logs;
    this.partitions = partitions;
  }

  /** Opens the topic, creating it with `partitions` partitions if missing (an existing one keeps its count). */
  static async open(logs: LogManager, partitions: number): Promise<TransactionLog> {
    const max = transactionLimits.transactionStateTopicPartitionsMax;
    const existing = logs.describeTopic(TRANSACTION_STATE_TOPIC);
    const count = existing?.partitions ?? partitions;
    if (!Number.isSafeInteger(count) || count < 1 || count > max) {
      throw new RangeError(`Cannot open ${TRANSACTION_STATE_TOPIC}: ${count} partitions, expected 1-${max}`);
    }
    if (existing === undefined)
      await logs.createTopic(TRANSACTION_STATE_TOPIC, count, transactionStateTopicConfigs);
    return new TransactionLog(logs, count);
  }

  /** Appends records as one batch; resolves once durable. */
  append(partition: number, records: readonly TxnLogRecord[]): Promise<void> {
    return appendKeyedRecords(this.#partition(partition), records);
  }

  readAll(partition: number): AsyncIterable<TxnLogRecord> {
    return readKeyedRecords(this.#partition(partition), LOAD_READ_BYTES);
  }

  #partition(partition: number) {
    const log = this.#logs.partition(TRANSACTION_STATE_TOPIC, partition);
    if (log === undefined)
      throw new RangeError(`Cannot use ${TRANSACTION_STATE_TOPIC}-${partition}: no such partition`);
    return log;
  }
}
