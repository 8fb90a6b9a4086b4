// An internal topic's partition as a list of keyed records (__consumer_offsets,
// __transaction_state): appended as one record batch per call, read back from the log start on
// load. Both coordinators keep their state this way, so the batch encoding and the bounded load
// loop live here once.
import { decodeRecordBatch, encodeRecordBatch } from '../protocol/records/record-batch.ts';
import type { PartitionLog } from './partition-log.ts';

export interface KeyedLogRecord {
  key: Buffer;
  /** null: a tombstone (compaction removes the key). */
  value: Buffer | null;
  timestampMs: number;
}

/** Appends `records` as one batch; resolves when the partition's append does (durable per its flush settings). */
export async function appendKeyedRecords(
  log: PartitionLog,
  records: readonly KeyedLogRecord[],
): Promise<void> {
  if (records.length === 0) return;
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

/**
 * Every keyed record from the log start to the end as it stands when the read starts (records
 * without a key and control batches skipped), `readBytes` at a time.
 */
export async function* readKeyedRecords(log: PartitionLog, readBytes: number): AsyncIterable<KeyedLogRecord> {
  let offset = log.logStartOffset;
  const end = log.logEndOffset;
  // Bounded by the end read at the start: each pass moves past at least one batch.
  while (offset < end) {
    const { batches } = await log.read(offset, readBytes);
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
