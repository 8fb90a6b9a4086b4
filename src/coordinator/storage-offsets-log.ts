// __consumer_offsets as a real compacted topic in the broker's storage: created on first start
// (cleanup.policy=compact, 100 MiB segments as Kafka's offsets.topic.segment.bytes), appended to
// as record batches, read back from the log start on load. Compaction keeps the latest record per
// key, and tombstones remove deleted offsets and groups.
import { coordinatorLimits } from '../limits.ts';
import { appendKeyedRecords, readKeyedRecords } from '../storage/keyed-records.ts';
import type { LogManager } from '../storage/log-manager.ts';
import type { PartitionLog } from '../storage/partition-log.ts';
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
    await appendKeyedRecords(this.#partition(partition, 'append to'), records);
  }

  readAll(partition: number): AsyncIterable<OffsetsLogRecord> {
    return readKeyedRecords(this.#partition(partition, 'read'), LOAD_READ_BYTES);
  }

  #partition(partition: number, what: string): PartitionLog {
    const log = this.#logs.partition(OFFSETS_TOPIC, partition);
    if (log === undefined)
      throw new RangeError(`Cannot ${what} ${OFFSETS_TOPIC}-${partition}: no such partition`);
    return log;
  }
}
