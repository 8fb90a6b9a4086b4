// The fixed 61-byte header of a record batch (magic 2), read and patched in place. The broker
// and the storage layer work on batches as bytes; this is all they need to know of their shape.
import { crc32c } from '@node-rs/crc32';
import { ProtocolError } from '../errors.ts';

export const BATCH_HEADER_BYTES = 61;
/** Bytes before batchLength's count starts: baseOffset (8) + batchLength (4). */
export const BATCH_LOG_OVERHEAD_BYTES = 12;

export const batchOffsets = {
  baseOffset: 0,
  batchLength: 8,
  partitionLeaderEpoch: 12,
  magic: 16,
  crc: 17,
  attributes: 21,
  lastOffsetDelta: 23,
  baseTimestamp: 27,
  maxTimestamp: 35,
  producerId: 43,
  producerEpoch: 51,
  baseSequence: 53,
  recordCount: 57,
  records: 61,
} as const;

export const batchAttributes = {
  compressionMask: 0x07,
  timestampTypeLogAppend: 0x08,
  transactional: 0x10,
  control: 0x20,
  deleteHorizon: 0x40,
} as const;

export interface BatchHeader {
  baseOffset: bigint;
  /** Bytes after the batchLength field; the whole batch is batchLength + 12 bytes. */
  batchLength: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  baseTimestamp: bigint;
  maxTimestamp: bigint;
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
}

/** Reads the header of the batch starting at `at`; checks only that the header fits. */
export function readBatchHeader(buf: Buffer, at = 0): BatchHeader {
  if (buf.length - at < BATCH_HEADER_BYTES) {
    throw new ProtocolError(
      'corrupt_record_batch',
      `Cannot read record batch header at byte ${at}: needs ${BATCH_HEADER_BYTES} bytes, ${buf.length - at} remain`,
    );
  }
  return {
    baseOffset: buf.readBigInt64BE(at),
    batchLength: buf.readInt32BE(at + batchOffsets.batchLength),
    partitionLeaderEpoch: buf.readInt32BE(at + batchOffsets.partitionLeaderEpoch),
    magic: buf.readInt8(at + batchOffsets.magic),
    crc: buf.readUInt32BE(at + batchOffsets.crc),
    attributes: buf.readInt16BE(at + batchOffsets.attributes),
    lastOffsetDelta: buf.readInt32BE(at + batchOffsets.lastOffsetDelta),
    baseTimestamp: buf.readBigInt64BE(at + batchOffsets.baseTimestamp),
    maxTimestamp: buf.readBigInt64BE(at + batchOffsets.maxTimestamp),
    producerId: buf.readBigInt64BE(at + batchOffsets.producerId),
    producerEpoch: buf.readInt16BE(at + batchOffsets.producerEpoch),
    baseSequence: buf.readInt32BE(at + batchOffsets.baseSequence),
    recordCount: buf.readInt32BE(at + batchOffsets.recordCount),
  };
}

/** CRC-32C over attributes..end, as stored in the header. */
export function computeBatchCrc(batch: Buffer, at = 0, totalBytes = batch.length - at): number {
  return crc32c(batch.subarray(at + batchOffsets.attributes, at + totalBytes));
}

export function isBatchCrcValid(batch: Buffer, at = 0, totalBytes = batch.length - at): boolean {
  return computeBatchCrc(batch, at, totalBytes) === batch.readUInt32BE(at + batchOffsets.crc);
}

/** Sets baseOffset (and optionally the leader epoch) in place; neither is covered by the CRC. */
export function patchBatchOffset(
  batch: Buffer,
  baseOffset: bigint,
  partitionLeaderEpoch?: number,
  at = 0,
): void {
  batch.writeBigInt64BE(baseOffset, at);
  if (partitionLeaderEpoch !== undefined)
    batch.writeInt32BE(partitionLeaderEpoch, at + batchOffsets.partitionLeaderEpoch);
}

/** Sets LogAppendTime (timestamp type bit and maxTimestamp) in place and recomputes the CRC. */
export function patchLogAppendTime(
  batch: Buffer,
  timestampMs: bigint,
  at = 0,
  totalBytes = batch.length - at,
): void {
  const attributes = batch.readInt16BE(at + batchOffsets.attributes);
  batch.writeInt16BE(attributes | batchAttributes.timestampTypeLogAppend, at + batchOffsets.attributes);
  batch.writeBigInt64BE(timestampMs, at + batchOffsets.maxTimestamp);
  batch.writeUInt32BE(computeBatchCrc(batch, at, totalBytes), at + batchOffsets.crc);
}
