// __consumer_offsets as a real compacted topic in the broker's storage: created on first start
// (cleanup.policy=compact, 100 MiB segments as Kafka's offsets.topic.segment.bytes), appended to
// as record batches, read back from the log start on load. Compaction keeps the latest record per
// key, and tombstones remove deleted offsets and groups.
import { coordinatorLimits } from '../limits.ts';
import { decodeRecordBatch, encodeRecordBatch } from '../protocol/records/record-batch.ts';
import type { LogManager } from '../storage/log-manager.ts';
import { OFFSETS_TOPIC, type OffsetsLog, type OffsetsLogRecord } from './offsets-log.ts';

export const offsetsTopicConfigs: Readonly<Record<string, string>> = {
  'cleanup.policy': 'compact',
  'segment.bytes': String(100 * 1024 * 1024),
};

/** Bytes asked of the log per read while loading. */
const LOAD_READ_BYTES = 1024 * 1024;

export class StorageOffsetsLog implements OffsetsLog {
  readonly partitions: number;
  readonly #logs: LogManager;

  private constructor(logs: LogManager, partitions: number) {
    this.#logs = logs;
    this.partitions = partitions;
  }

  /**
   * Opens __consumer_offsets, creating it with `partitions` partitions if missing. An existing
   * topic keeps its partition count: groups were hashed onto it, so changing it would lose them.
   */
  static async open(logs: LogManager, partitions: number): Promise<StorageOffsetsLog> {
    const existing = logs.describeTopic(OFFSETS_TOPIC);
    if (existing !== undefined) {
      if (existing.partitions > coordinatorLimits.offsetsTopicPartitionsMax) {
        throw new RangeError(
          `Cannot load ${OFFSETS_TOPIC}: it has ${existing.partitions} partitions, more than ${coordinatorLimits.offsetsTopicPartitionsMax}`,
        );
      }
      return new StorageOffsetsLog(logs, existing.partitions);
    }
    const created = await logs.createTopic(OFFSETS_TOPIC, partitions, offsetsTopicConfigs);
    return new StorageOffsetsLog(logs, created.partitions);
  }

  async append(partition: number, records: readonly OffsetsLogRecord[]): Promise<void> {
    if (records.length === 0) return;
    const log = this.#logs.partition(OFFSETS_TOPIC, partition);
    if (log === undefined)
      throw new RangeError(`Cannot append to ${OFFSETS_TOPIC}-${partition}: no such partition`);
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

  async *readAll(partition: number): AsyncIterable<OffsetsLogRecord> {
    const log = this.#logs.partition(OFFSETS_TOPIC, partition);
    if (log === undefined)
      throw new RangeError(`Cannot read ${OFFSETS_TOPIC}-${partition}: no such partition`);
    let offset = log.logStartOffset;
    while (offset < log.logEndOffset) {
      const { batches } = await log.read(offset, LOAD_READ_BYTES);
      if (batches.length === 0) break;
      for (const bytes of batches) {
        const batch = decodeRecordBatch(bytes);
        const next = Number(batch.lastOffset) + 1;
        if (next <= offset) continue;
        if (!batch.control) {
          const base = batch.header.baseTimestamp;
          for (const r of await batch.decodeRecords()) {
            const recordOffset = Number(batch.header.baseOffset) + r.offsetDelta;
            if (recordOffset < offset || r.key === null) continue;
            yield {
              key: Buffer.from(r.key),
              value: r.value === null ? null : Buffer.from(r.value),
              timestampMs: Number(base + r.timestampDelta),
            };
          }
        }
        offset = next;
      }
    }
  }
}
