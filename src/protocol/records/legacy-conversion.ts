// Conversion between legacy message sets (magic 0/1) and record batches (magic 2), so that
// storage holds magic 2 only while Produce v0-2 and Fetch v0-3 clients speak the old formats.
// Up: a produced legacy set becomes one batch (the broker assigns offsets; the topic's
// message.timestamp.type is applied by storage as for any batch). Down: each stored batch becomes
// legacy entries with its offsets kept, as Kafka's down-conversion does; headers, producer ids and
// sequence numbers have no place in the old formats and are dropped.
import { compressionTypes } from '../compression/codec.ts';
import { ProtocolError } from '../errors.ts';
import {
  decodeLegacyMessageSet,
  encodeLegacyMessageSet,
  type LegacyMagic,
  type LegacyRecordInput,
} from './legacy-message-set.ts';
import type { LogRecord } from './record.ts';
import { decodeRecordBatch, encodeRecordBatch } from './record-batch.ts';

/** The message format a Fetch version reads: v0-1 magic 0, v2-3 magic 1, v4+ record batches. */
export function legacyFetchMagic(fetchVersion: number): LegacyMagic | undefined {
  if (fetchVersion <= 1) return 0;
  if (fetchVersion <= 3) return 1;
  return undefined;
}

/** Produce v0-2 carry legacy message sets; v3+ record batches. */
export function isLegacyProduceVersion(produceVersion: number): boolean {
  return produceVersion <= 2;
}

/**
 * A produced legacy message set as one magic-2 batch at offset 0, compressed with the set's
 * codec. Magic-0 messages have no timestamp (-1); client offsets are ignored (the broker assigns
 * them). A trailing partial message or an empty set is refused.
 */
export async function upConvertLegacyMessageSet(buf: Buffer): Promise<Buffer> {
  const decoded = await decodeLegacyMessageSet(buf);
  if (decoded.partialBytes > 0) {
    throw new ProtocolError(
      'corrupt_record_batch',
      `Invalid legacy message set: it ends in a partial message of ${decoded.partialBytes} bytes`,
    );
  }
  const first = decoded.messages[0];
  if (first === undefined) {
    throw new ProtocolError('corrupt_record_batch', 'Invalid legacy message set: it holds no message');
  }
  const baseTimestamp = first.timestamp;
  const records = decoded.messages.map(
    (m, offsetDelta): LogRecord => ({
      offsetDelta,
      timestampDelta: m.timestamp - baseTimestamp,
      key: m.key,
      value: m.value,
      headers: [],
    }),
  );
  return encodeRecordBatch({ compression: decoded.compression, baseTimestamp, records });
}

/**
 * One stored batch as top-level entries of a legacy message set of `magic` (concatenated, they
 * are the set): offsets kept, the batch's codec kept (one wrapper), LogAppendTime batches stamped
 * with their append time. Control batches give no entries: old clients cannot read markers. zstd
 * has no legacy form (ProtocolError 'unsupported_compression', as Kafka answers such a fetch).
 */
export async function downConvertBatch(batch: Buffer, magic: LegacyMagic): Promise<Buffer[]> {
  const decoded = decodeRecordBatch(batch, 0, { verifyCrc: false });
  if (decoded.control || decoded.header.recordCount === 0) return [];
  if (decoded.compression === compressionTypes.zstd) {
    throw new ProtocolError(
      'unsupported_compression',
      `Cannot down-convert the batch at offset ${decoded.header.baseOffset} to magic ${magic}: zstd has no legacy form`,
    );
  }
  const { baseOffset, baseTimestamp, maxTimestamp } = decoded.header;
  const appendTime = decoded.timestampType === 'logAppendTime';
  const records = (await decoded.decodeRecords()).map(
    (r): LegacyRecordInput => ({
      offset: baseOffset + BigInt(r.offsetDelta),
      timestamp: appendTime ? maxTimestamp : baseTimestamp + r.timestampDelta,
      key: r.key,
      value: r.value,
    }),
  );
  return encodeLegacyMessageSet({
    magic,
    compression: decoded.compression,
    timestampType: decoded.timestampType,
    records,
  });
}

/** What a fetch does with a first entry larger than its limit. */
export type OversizedFirstEntry = 'whole' | 'partial' | 'drop';

/**
 * The leading entries that fit in `limitBytes`. When not even the first fits: 'whole' keeps it
 * (KIP-74, and Kafka's down-conversion always sends the first converted batch), 'partial' keeps
 * its first `limitBytes` bytes (a partial message, which old clients report as too large, as
 * Fetch v0-2 against Kafka do), 'drop' keeps nothing.
 */
export function fitLegacyEntries(
  entries: readonly Buffer[],
  limitBytes: number,
  oversizedFirst: OversizedFirstEntry,
): Buffer[] {
  const kept: Buffer[] = [];
  let bytes = 0;
  for (const entry of entries) {
    if (bytes + entry.length > limitBytes) break;
    kept.push(entry);
    bytes += entry.length;
  }
  const first = entries[0];
  if (kept.length > 0 || first === undefined) return kept;
  if (oversizedFirst === 'whole') return [first];
  if (oversizedFirst === 'partial' && limitBytes > 0) return [first.subarray(0, limitBytes)];
  return [];
}
