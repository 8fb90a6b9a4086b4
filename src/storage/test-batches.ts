// Builds real record batches for storage tests with the protocol's encoder, and reads them back.
import { decodeRecordBatch, encodeRecordBatch } from '../protocol/records/record-batch.ts';

export interface TestRecord {
  key: string | null;
  value: string | null;
}

/** One batch of records with consecutive offset deltas, all stamped `timestampMs`. */
export function makeBatch(records: readonly TestRecord[], timestampMs = 1_000): Promise<Buffer> {
  return encodeRecordBatch({
    baseTimestamp: BigInt(timestampMs),
    records: records.map((r, i) => ({
      offsetDelta: i,
      timestampDelta: 0n,
      key: r.key === null ? null : Buffer.from(r.key),
      value: r.value === null ? null : Buffer.from(r.value),
      headers: [],
    })),
  });
}

/**
 * One batch whose records carry their own timestamps (in any order), optionally compressed
 * (Kafka's codec ids: 1 gzip, 2 snappy, 3 lz4, 4 zstd).
 */
export function makeTimedBatch(
  records: ReadonlyArray<{ value: string; timestampMs: number }>,
  compression: 0 | 1 | 2 | 3 | 4 = 0,
): Promise<Buffer> {
  const base = Math.min(...records.map((r) => r.timestampMs));
  return encodeRecordBatch({
    compression,
    baseTimestamp: BigInt(base),
    records: records.map((r, i) => ({
      offsetDelta: i,
      timestampDelta: BigInt(r.timestampMs - base),
      key: null,
      value: Buffer.from(r.value),
      headers: [],
    })),
  });
}

/** A batch of `count` records whose values are `prefix-i` and total roughly `valueBytes` each. */
export function makeValuesBatch(
  prefix: string,
  count: number,
  timestampMs = 1_000,
  valueBytes = 0,
): Promise<Buffer> {
  const pad = valueBytes > 0 ? '.'.repeat(valueBytes) : '';
  return makeBatch(
    Array.from({ length: count }, (_, i) => ({ key: null, value: `${prefix}-${i}${pad}` })),
    timestampMs,
  );
}

export interface ReadRecord {
  offset: number;
  key: string | null;
  value: string | null;
  timestampMs: number;
}

/** Decodes stored batches into records with absolute offsets. */
export async function recordsOf(batches: readonly Buffer[]): Promise<ReadRecord[]> {
  const out: ReadRecord[] = [];
  for (const bytes of batches) {
    const batch = decodeRecordBatch(bytes);
    for (const r of await batch.decodeRecords()) {
      out.push({
        offset: Number(batch.header.baseOffset) + r.offsetDelta,
        key: r.key === null ? null : r.key.toString(),
        value: r.value === null ? null : r.value.toString(),
        timestampMs: Number(batch.header.baseTimestamp + r.timestampDelta),
      });
    }
  }
  return out;
}
