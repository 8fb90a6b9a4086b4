// Splits the records field of a Produce request or Fetch response (batches laid end to end) into
// one view per batch, without decoding them. A Fetch response may end with the start of a batch
// that did not fit the fetch size: that tail is reported, not treated as corrupt.
import { ProtocolError } from '../errors.ts';
import { BATCH_HEADER_BYTES, BATCH_LOG_OVERHEAD_BYTES, batchOffsets } from './batch-header.ts';

export interface SplitBatches {
  /** Every complete batch, in order, as views into the input. */
  batches: Buffer[];
  /** Bytes at the end that start a batch but do not hold all of it (0 when none). */
  partialBytes: number;
  /** The partial batch's full size when its length field was readable, else null. */
  partialBatchBytes: number | null;
}

/**
 * Only the framing (baseOffset, batchLength) is read, which is the same for every magic; a
 * batchLength too small to hold a batch header is corrupt, not partial.
 */
export function splitBatches(buf: Buffer): SplitBatches {
  const batches: Buffer[] = [];
  let at = 0;
  while (at < buf.length) {
    if (buf.length - at < BATCH_LOG_OVERHEAD_BYTES) {
      return { batches, partialBytes: buf.length - at, partialBatchBytes: null };
    }
    const batchLength = buf.readInt32BE(at + batchOffsets.batchLength);
    if (batchLength < BATCH_HEADER_BYTES - BATCH_LOG_OVERHEAD_BYTES) {
      throw new ProtocolError(
        'corrupt_record_batch',
        `Cannot split record batches: batchLength ${batchLength} at byte ${at} is below the header's ${BATCH_HEADER_BYTES - BATCH_LOG_OVERHEAD_BYTES}`,
      );
    }
    const totalBytes = BATCH_LOG_OVERHEAD_BYTES + batchLength;
    if (totalBytes > buf.length - at) {
      return { batches, partialBytes: buf.length - at, partialBatchBytes: totalBytes };
    }
    batches.push(buf.subarray(at, at + totalBytes));
    at += totalBytes;
  }
  return { batches, partialBytes: 0, partialBatchBytes: null };
}
