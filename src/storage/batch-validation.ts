// Checks batches arriving for append and batches found on disk. A batch is accepted when its
// length field is sane, it is magic 2, and its CRC-32C matches; nothing inside the records is read.
import { storageLimits } from '../limits.ts';
import {
  BATCH_HEADER_BYTES,
  BATCH_LOG_OVERHEAD_BYTES,
  batchOffsets,
  isBatchCrcValid,
} from '../protocol/records/batch-header.ts';

/** What storage needs of one batch: where it is and what it spans. */
export interface BatchInfo {
  /** Byte position of the batch in its buffer or file. */
  position: number;
  sizeBytes: number;
  baseOffset: number;
  lastOffsetDelta: number;
  maxTimestampMs: number;
  recordCount: number;
}

export type BatchProblem = { problem: string; tooLarge?: true };

/** Reads a batch's shape at `at` (header must be present); returns a problem instead of throwing. */
export function batchShapeAt(buf: Buffer, at: number, limitBytes: number): BatchInfo | BatchProblem {
  if (buf.length - at < BATCH_HEADER_BYTES) return { problem: `truncated header (${buf.length - at} bytes)` };
  const batchLength = buf.readInt32BE(at + batchOffsets.batchLength);
  const sizeBytes = batchLength + BATCH_LOG_OVERHEAD_BYTES;
  if (sizeBytes < BATCH_HEADER_BYTES || sizeBytes > Math.min(limitBytes, storageLimits.batchBytesMax)) {
    return { problem: `batch length ${batchLength} out of range` };
  }
  const magic = buf.readInt8(at + batchOffsets.magic);
  if (magic !== 2) return { problem: `unsupported magic ${magic}` };
  const lastOffsetDelta = buf.readInt32BE(at + batchOffsets.lastOffsetDelta);
  if (lastOffsetDelta < 0) return { problem: `negative lastOffsetDelta ${lastOffsetDelta}` };
  const baseOffset = Number(buf.readBigInt64BE(at));
  if (!Number.isSafeInteger(baseOffset) || baseOffset < 0)
    return { problem: `base offset ${baseOffset} out of range` };
  return {
    position: at,
    sizeBytes,
    baseOffset,
    lastOffsetDelta,
    maxTimestampMs: Number(buf.readBigInt64BE(at + batchOffsets.maxTimestamp)),
    recordCount: buf.readInt32BE(at + batchOffsets.recordCount),
  };
}

/** Like batchShapeAt, but also requires the whole batch to be in `buf` with a matching CRC. */
export function checkedBatchAt(buf: Buffer, at: number): BatchInfo | BatchProblem {
  const shape = batchShapeAt(buf, at, storageLimits.batchBytesMax);
  if ('problem' in shape) return shape;
  if (at + shape.sizeBytes > buf.length)
    return { problem: `truncated batch (${buf.length - at} of ${shape.sizeBytes} bytes)` };
  if (!isBatchCrcValid(buf, at, shape.sizeBytes)) return { problem: 'CRC mismatch' };
  return shape;
}

/** Like batchShapeAt, but also requires the whole batch to be in `buf` (its CRC is not checked). */
export function wholeBatchAt(buf: Buffer, at: number): BatchInfo | BatchProblem {
  const shape = batchShapeAt(buf, at, storageLimits.batchBytesMax);
  if ('problem' in shape) return shape;
  if (at + shape.sizeBytes > buf.length) {
    return { problem: `truncated batch (${buf.length - at} of ${shape.sizeBytes} bytes)` };
  }
  return shape;
}

/**
 * Splits a produce request's records into checked batches; returns a problem for the first bad one.
 * `verifyCrc` false skips only the CRC, for callers that have just checked it (the broker's
 * produce path validates every batch before handing it over).
 */
export function splitBatches(
  buf: Buffer,
  maxBatchBytes: number,
  verifyCrc = true,
): BatchInfo[] | BatchProblem {
  const batches: BatchInfo[] = [];
  let at = 0;
  // Bounded by buf.length: every iteration advances by at least one header.
  while (at < buf.length) {
    const shape = verifyCrc ? checkedBatchAt(buf, at) : wholeBatchAt(buf, at);
    if ('problem' in shape) return { problem: `${shape.problem} at byte ${at}` };
    if (shape.sizeBytes > maxBatchBytes) {
      return {
        problem: `batch of ${shape.sizeBytes} bytes exceeds max.message.bytes ${maxBatchBytes}`,
        tooLarge: true,
      };
    }
    batches.push(shape);
    at += shape.sizeBytes;
  }
  return batches;
}
