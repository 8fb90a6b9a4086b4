// Rebuilds one stored batch the way compaction keeps it. Offsets never change: the batch keeps its
// base offset, lastOffsetDelta, max timestamp, producer fields and compression, and each kept
// record keeps its offset and its absolute timestamp.
//
// Delete horizon (KIP-534): the first cleaning pass that keeps a tombstone, or a transaction marker
// that guards no data any more, stamps the batch with attribute bit 6 and stores the horizon
// (now + delete.retention.ms) in its base timestamp; record timestamp deltas are rebased on it so
// every record's timestamp is unchanged. A later pass removes those tombstones and markers once
// the horizon has passed. So a tombstone lives at least delete.retention.ms after the cleaner
// first saw it, whatever timestamp its producer gave it.

import { batchAttributes } from '../protocol/records/batch-header.ts';
import type { LogRecord } from '../protocol/records/record.ts';
import { decodeRecordBatch, encodeRecordBatch, type RecordBatch } from '../protocol/records/record-batch.ts';

export interface HorizonClock {
  nowMs: number;
  deleteRetentionMs: number;
}

export interface CompactedBatch {
  /** What to write: the same buffer, a rebuilt one, or undefined to drop the batch. */
  bytes: Buffer | undefined;
  /** Records the original held and the rebuilt one keeps. */
  recordsBefore: number;
  recordsKept: number;
  /** The batch's delete horizon while it still keeps tombstones waiting for it. */
  horizonMs: number | undefined;
}

/** The batch's delete horizon (KIP-534), if a cleaning pass has set one. */
export function deleteHorizonOf(batch: RecordBatch): number | undefined {
  return (batch.header.attributes & batchAttributes.deleteHorizon) !== 0
    ? Number(batch.header.baseTimestamp)
    : undefined;
}

/**
 * Keeps the records of a data batch that `keep` wants (the latest of their key); tombstones stay
 * until the batch's delete horizon, which is stamped now if the batch keeps one and has none.
 */
export async function compactRecords(
  bytes: Buffer,
  keep: (record: LogRecord, offset: number) => boolean,
  clock: HorizonClock,
): Promise<CompactedBatch> {
  const batch = decodeRecordBatch(bytes, 0, { verifyCrc: false });
  const records = await batch.decodeRecords();
  const base = Number(batch.header.baseOffset);
  const existing = deleteHorizonOf(batch);
  const tombstonesExpired = existing !== undefined && clock.nowMs >= existing;
  const kept = records.filter(
    (r) => keep(r, base + r.offsetDelta) && (r.value !== null || !tombstonesExpired),
  );
  const keepsTombstone = kept.some((r) => r.value === null);
  const horizonMs = keepsTombstone ? (existing ?? clock.nowMs + clock.deleteRetentionMs) : undefined;
  const result = { recordsBefore: records.length, recordsKept: kept.length, horizonMs };
  if (kept.length === 0) return { ...result, bytes: undefined };
  const stamp = keepsTombstone && existing === undefined;
  if (kept.length === records.length && !stamp) return { ...result, bytes };
  return { ...result, bytes: await rebuild(batch, kept, stamp ? horizonMs : undefined) };
}

/** A control batch stamped with a delete horizon, its marker otherwise unchanged. */
export async function withDeleteHorizon(bytes: Buffer, horizonMs: number): Promise<Buffer> {
  const batch = decodeRecordBatch(bytes, 0, { verifyCrc: false });
  return rebuild(batch, await batch.decodeRecords(), horizonMs);
}

/** Re-encodes `batch` with `records`, optionally stamping a new delete horizon into its base timestamp. */
function rebuild(
  batch: RecordBatch,
  records: readonly LogRecord[],
  horizonMs: number | undefined,
): Promise<Buffer> {
  const h = batch.header;
  const base = horizonMs === undefined ? h.baseTimestamp : BigInt(horizonMs);
  const shift = h.baseTimestamp - base;
  return encodeRecordBatch({
    attributes: horizonMs === undefined ? h.attributes : h.attributes | batchAttributes.deleteHorizon,
    baseOffset: h.baseOffset,
    partitionLeaderEpoch: h.partitionLeaderEpoch,
    producerId: h.producerId,
    producerEpoch: h.producerEpoch,
    baseSequence: h.baseSequence,
    baseTimestamp: base,
    maxTimestamp: h.maxTimestamp,
    lastOffsetDelta: h.lastOffsetDelta,
    records:
      shift === 0n ? records : records.map((r) => ({ ...r, timestampDelta: r.timestampDelta + shift })),
  });
}

/**
 * A batch with no records spanning the same offsets as `bytes`, keeping its producer fields: the
 * cleaner writes it in place of the last batch of a producer still tracked (so its sequence and
 * epoch can be replayed from the log, as Kafka does).
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

/**
 * An empty batch with no producer spanning the same offsets as `bytes`. The cleaner writes one in
 * place of a segment's last batch when the whole batch goes, so every segment still ends exactly
 * where the next begins (recovery relies on that to tell lost data from compacted data). It
 * carries no producer or transaction, so replaying it changes no producer state and a later pass
 * never counts it as data of a transaction.
 */
export async function emptyPlaceholder(bytes: Buffer): Promise<Buffer> {
  const h = decodeRecordBatch(bytes, 0, { verifyCrc: false }).header;
  return encodeRecordBatch({
    attributes: h.attributes & batchAttributes.timestampTypeLogAppend,
    baseOffset: h.baseOffset,
    partitionLeaderEpoch: h.partitionLeaderEpoch,
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
