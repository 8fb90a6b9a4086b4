// Walks the batches of a segment file in bounded chunks: recovery (lengths and CRCs), index
// rebuilds, and timestamp searches all use it. Stops at the first batch that does not check out
// and reports where valid data ends, so recovery can truncate a torn tail there.
import { storageLimits } from '../limits.ts';
import { BATCH_HEADER_BYTES } from '../protocol/records/batch-header.ts';
import { type BatchInfo, batchShapeAt, checkedBatchAt } from './batch-validation.ts';
import type { FileHandle } from './fs/file-system.ts';

export interface ScanOptions {
  /** Read whole batches and check CRCs (recovery); otherwise only headers are read. */
  verifyCrc: boolean;
  /** Byte budget per read. */
  chunkBytes?: number;
  /** Batches must start at or after this offset and keep increasing. */
  minBaseOffset?: number;
}

export interface ScanResult {
  /** Position after the last valid batch visited. */
  validEndPosition: number;
  /** Why the scan stopped early, if it did (not set when `onBatch` asked to stop). */
  problem?: string;
}

/** Called per valid batch with its bytes (when verifying, else undefined); return false to stop. */
export type OnBatch = (info: BatchInfo, bytes: Buffer | undefined) => boolean | undefined;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export async function scanBatches(
  file: FileHandle,
  startPosition: number,
  endPosition: number,
  options: ScanOptions,
  onBatch: OnBatch,
): Promise<ScanResult> {
  const chunkBytes = options.chunkBytes ?? storageLimits.scanChunkBytes;
  const chunk = Buffer.alloc(Math.max(BATCH_HEADER_BYTES, Math.min(chunkBytes, endPosition - startPosition)));
  let chunkStart = startPosition;
  let chunkLength = 0;
  let position = startPosition;
  let nextMinOffset = options.minBaseOffset ?? 0;
  let visited = 0;
  // Each iteration consumes one batch or ends the scan; bounded by the segment's size.
  while (position < endPosition) {
    const need = Math.min(BATCH_HEADER_BYTES, endPosition - position);
    if (position + need > chunkStart + chunkLength) {
      chunkStart = position;
      chunkLength = await file.read(chunk, 0, Math.min(chunk.length, endPosition - position), position);
      if (chunkLength < BATCH_HEADER_BYTES)
        return { validEndPosition: position, problem: 'truncated batch header' };
    }
    const shape = batchShapeAt(
      chunk.subarray(0, chunkLength),
      position - chunkStart,
      storageLimits.batchBytesMax,
    );
    if ('problem' in shape) return { validEndPosition: position, problem: shape.problem };
    if (position + shape.sizeBytes > endPosition)
      return { validEndPosition: position, problem: 'truncated batch' };
    if (shape.baseOffset < nextMinOffset) {
      return {
        validEndPosition: position,
        problem: `base offset ${shape.baseOffset} below ${nextMinOffset}`,
      };
    }
    let bytes: Buffer | undefined;
    if (options.verifyCrc) {
      if (position + shape.sizeBytes > chunkStart + chunkLength && shape.sizeBytes <= chunk.length) {
        chunkStart = position;
        chunkLength = await file.read(chunk, 0, Math.min(chunk.length, endPosition - position), position);
      }
      const within = position + shape.sizeBytes <= chunkStart + chunkLength;
      bytes = within
        ? chunk.subarray(position - chunkStart, position - chunkStart + shape.sizeBytes)
        : await readWhole(file, position, shape.sizeBytes);
      const checked = checkedBatchAt(bytes, 0);
      if ('problem' in checked) return { validEndPosition: position, problem: checked.problem };
    }
    const info = { ...shape, position };
    if (onBatch(info, bytes) === false) return { validEndPosition: position };
    position += shape.sizeBytes;
    nextMinOffset = shape.baseOffset + shape.lastOffsetDelta + 1;
    if (++visited % storageLimits.backgroundSliceBatchesMax === 0) await yieldToEventLoop();
  }
  return { validEndPosition: position };
}

/** Reads one batch larger than the scan chunk into its own buffer (bounded by batchBytesMax). */
async function readWhole(file: FileHandle, position: number, sizeBytes: number): Promise<Buffer> {
  const target = Buffer.alloc(sizeBytes);
  const read = await file.read(target, 0, sizeBytes, position);
  return target.subarray(0, read);
}
