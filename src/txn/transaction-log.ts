// __transaction_state: the coordinator's durable state, a compacted topic in the broker's own
// storage. Created on first start with flush.messages=1, so an append resolves only once fsynced:
// the coordinator acknowledges a transition (and writes markers after PrepareCommit) only when a
// crash can no longer undo it. Read back from the log start on load; compaction keeps the latest
// record per transactional id.

import { transactionLimits } from '../limits.ts';
import { decodeRecordBatch, encodeRecordBatch } from '../protocol/records/record-batch.ts';
import type { LogManager } from '../storage/log-manager.ts';

export const TRANSACTION_STATE_TOPIC = '__transaction_state';

export const transactionStateTopicConfigs: Readonly<Record<string, string>> = {
  'cleanup.policy': 'compact',
  'segment.bytes': String(100 * 1024 * 1024),
  'flush.messages': '1',
};

const LOAD_READ_BYTES = 1024 * 1024;

export interface TxnLogRecord {
  key: Buffer;
  value: Buffer | null;
  timestampMs: number;
}

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
  async append(partition: number, records: readonly TxnLogRecord[]): Promise<void> {
    const log = this.#partition(partition);
    const baseTimestamp = BigInt(records[0]?.timestampMs ?? 0);
    const batch = await encodeRecordBatch({
      baseTimestamp,
      records: records.map((r, i) => ({
        offsetDelta: i,
        timestampDelta: BigInt(r.timestampMs) - baseTimestamp,
        key: r.key,
        value: r.value,
        headers: [],
      })),
    });
    await log.append(batch);
  }

  async *readAll(partition: number): AsyncIterable<TxnLogRecord> {
    const log = this.#partition(partition);
    let offset = log.logStartOffset;
    const end = log.logEndOffset;
    // Bounded by the log end read at the start: each pass moves past at least one batch.
    while (offset < end) {
      const { batches } = await log.read(offset, LOAD_READ_BYTES);
      if (batches.length === 0) break;
      for (const bytes of batches) {
        const batch = decodeRecordBatch(bytes);
        const next = Number(batch.lastOffset) + 1;
        if (next <= offset) continue;
        if (!batch.control) {
          for (const r of await batch.decodeRecords()) {
            const recordOffset = Number(batch.header.baseOffset) + r.offsetDelta;
            if (recordOffset < offset || r.key === null) continue;
            yield {
              key: Buffer.from(r.key),
              value: r.value === null ? null : Buffer.from(r.value),
              timestampMs: Number(batch.header.baseTimestamp + r.timestampDelta),
            };
          }
        }
        offset = next;
      }
    }
  }

  #partition(partition: number) {
    const log = this.#logs.partition(TRANSACTION_STATE_TOPIC, partition);
    if (log === undefined)
      throw new RangeError(`Cannot use ${TRANSACTION_STATE_TOPIC}-${partition}: no such partition`);
    return log;
  }
}
