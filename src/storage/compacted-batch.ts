// Rebuilds one stored batch with only the records compaction keeps. Offsets never change: the
// batch keeps its base offset, lastOffsetDelta, timestamps, producer fields and compression, and
// each kept record keeps its offset and timestamp deltas.

import type { LogRecord } from '../protocol/records/record.ts';
import { decodeRecordBatch, encodeRecordBatch } from '../protocol/records/record-batch.ts';

export interface KeepDecision {
  /** `record` sits at absolute `offset` in a batch whose max timestamp is `batchMaxTimestampMs`. */
  keep(record: LogRecord, offset: number, batchMaxTimestampMs: number): boolean;
}

/** The batch to write in place of `bytes`: the same buffer, a smaller rebuilt one, or undefined to drop it. */
export async function compactBatch(bytes: Buffer, decision: KeepDecision): Promise<Buffer | undefined> {
  const batch = decodeRecordBatch(bytes, 0, { verifyCrc: false });
  // Control batches (transaction markers) carry no keyed data; they stay as they are.
  if (batch.control) return bytes;
  const records = await batch.decodeRecords();
  const base = Number(batch.header.baseOffset);
  const maxTimestampMs = Number(batch.header.maxTimestamp);
  const kept = records.filter((r) => decision.keep(r, base + r.offsetDelta, maxTimestampMs));
  if (kept.length === records.length) return bytes;
  if (kept.length === 0) return undefined;
  const h = batch.header;
  return encodeRecordBatch({
    attributes: h.attributes,
    baseOffset: h.baseOffset,
    partitionLeaderEpoch: h.partitionLeaderEpoch,
    producerId: h.producerId,
    producerEpoch: h.producerEpoch,
    baseSequence: h.baseSequence,
    baseTimestamp: h.baseTimestamp,
    maxTimestamp: h.maxTimestamp,
    lastOffsetDelta: h.lastOffsetDelta,
    records: kept,
  });
}

/**
 * A batch with no records spanning the same offsets as `bytes`. The cleaner writes one in place of
 * a segment's last batch when all of its records go, so every segment still ends exactly where
 * the next begins; recovery relies on that to tell lost data from compacted data.
 */
export async function emptyBatchLike(bytes: Buffer): Promise<Buffer> {
  const h = decodeRecordBatch(bytes, 0, { verifyCrc: false }).header;
  return encodeRecordBatch({
    attributes: h.attributes,
    baseOffset: h.baseOffset,
    partitionLeaderEpoch: h.partitionLeaderEpoch,
    producerId: h.producerId,
    producerEpoch: h.producerEpoch,
    baseSequence: h.baseSequence,
    baseTimestamp: h.baseTimestamp,
    maxTimestamp: h.maxTimestamp,
    lastOffsetDelta: h.lastOffsetDelta,
    records: [],
  });
}

/** Key as a map key: latin1 maps every byte to one char, so distinct keys stay distinct. */
export function keyOf(record: LogRecord): string | undefined {
  return record.key === null ? undefined : record.key.toString('latin1');
}
