// The coordinator's persistence: the internal compacted topic __consumer_offsets, seen through
// two domain verbs. Records are Kafka's (see offsets-records.ts); a null value is a tombstone.
// Implementations: StorageOffsetsLog (partition logs on disk) and MemoryOffsetsLog (embedded,
// no data directory). Both run the same contract suite (offsets-log-contract.ts).
import type { KeyedLogRecord } from '../storage/keyed-records.ts';

export const OFFSETS_TOPIC = '__consumer_offsets';

export type OffsetsLogRecord = KeyedLogRecord;

export interface OffsetsLog {
  /** Partition count of __consumer_offsets (fixed for the log's life). */
  readonly partitions: number;
  /**
   * Appends `records` to one partition as one batch and resolves once they are durable under the
   * log's flush policy. Appends to one partition complete in the order they were called.
   */
  append(partition: number, records: readonly OffsetsLogRecord[]): Promise<void>;
  /** Every record of the partition, oldest first (compaction may have removed superseded ones). */
  readAll(partition: number): AsyncIterable<OffsetsLogRecord>;
}
