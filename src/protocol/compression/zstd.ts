// zstd (codec 4). As for lz4, the native decoder grows its output as it goes, so we first walk
// the frames' block headers (no decompression) to bound the output and refuse frames whose bound
// exceeds the limit; the walk also rejects truncated input and trailing bytes.
import { compress, decompress } from '@mongodb-js/zstd';
import { isProtocolError } from '../errors.ts';
import { corruptCompressedData, decompressedTooLarge, describeError } from './decompress-errors.ts';

const FRAME_MAGIC = 0xfd2fb528;
const SKIPPABLE_MAGIC_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC_BASE = 0x184d2a50;
/** No block regenerates more than 128 KiB (or the window, if smaller). */
const BLOCK_BYTES_MAX = 128 * 1024;
const BLOCK_HEADER_BYTES = 3;
const CHECKSUM_BYTES = 4;
const DICT_ID_BYTES = [0, 1, 2, 4] as const;
const BLOCK_TYPE_RAW = 0;
const BLOCK_TYPE_RLE = 1;
const BLOCK_TYPE_COMPRESSED = 2;

export interface ZstdFrameBound {
  /** Upper bound of the decompressed size of all frames in the buffer. */
  outputBytesMax: number;
  /** Largest block maximum of any frame (the bound is loose by about this much). */
  blockBytesMax: number;
}

export async function zstdCompress(buf: Buffer): Promise<Buffer> {
  return compress(buf);
}

/** Decompresses zstd frames, refusing to produce (or allocate for) more than `maxBytes`. */
export async function zstdDecompress(buf: Buffer, maxBytes: number): Promise<Buffer> {
  const bound = zstdFrameBound(buf);
  // Encoders fill blocks to the maximum, so the bound is about one block above the real size.
  if (bound.outputBytesMax > maxBytes + bound.blockBytesMax) {
    throw decompressedTooLarge('zstd', bound.outputBytesMax, maxBytes);
  }
  let out: Buffer;
  try {
    out = await decompress(buf);
  } catch (error) {
    if (isProtocolError(error)) throw error;
    throw corruptCompressedData('zstd', describeError(error));
  }
  if (out.length > maxBytes) throw decompressedTooLarge('zstd', out.length, maxBytes);
  return out;
}

/** Walks every frame's header and block headers without decompressing; throws on malformed framing. */
export function zstdFrameBound(buf: Buffer): ZstdFrameBound {
  const bound: ZstdFrameBound = { outputBytesMax: 0, blockBytesMax: 0 };
  if (buf.length === 0) throw corruptCompressedData('zstd', 'input is empty, expected a frame');
  let at = 0;
  while (at < buf.length) {
    need(buf, at, 4, 'frame magic');
    const magic = buf.readUInt32LE(at);
    if ((magic & SKIPPABLE_MAGIC_MASK) >>> 0 === SKIPPABLE_MAGIC_BASE) {
      need(buf, at + 4, 4, 'skippable frame size');
      const size = buf.readUInt32LE(at + 4);
      need(buf, at + 8, size, 'skippable frame');
      at += 8 + size;
    } else if (magic === FRAME_MAGIC) {
      at = walkFrame(buf, at + 4, bound);
    } else {
      throw corruptCompressedData('zstd', `bad frame magic 0x${magic.toString(16)} at byte ${at}`);
    }
  }
  return bound;
}

function walkFrame(buf: Buffer, at: number, bound: ZstdFrameBound): number {
  need(buf, at, 1, 'frame header descriptor');
  const fhd = buf[at]!;
  at += 1;
  if (fhd & 0x08)
    throw corruptCompressedData('zstd', `reserved bit set in frame header 0x${fhd.toString(16)}`);
  const fcsFlag = fhd >> 6;
  const singleSegment = (fhd & 0x20) !== 0;
  const hasChecksum = (fhd & 0x04) !== 0;
  let windowBytes = Number.POSITIVE_INFINITY;
  if (!singleSegment) {
    need(buf, at, 1, 'window descriptor');
    const wd = buf[at]!;
    at += 1;
    const windowBase = 2 ** (10 + (wd >> 3));
    windowBytes = windowBase + (windowBase / 8) * (wd & 0x07);
  }
  at += DICT_ID_BYTES[fhd & 0x03]!;
  const fcsBytes = fcsFlag === 0 ? (singleSegment ? 1 : 0) : 2 ** fcsFlag;
  need(buf, at, fcsBytes, 'frame content size');
  let contentBytes = -1;
  if (fcsBytes === 1) contentBytes = buf[at]!;
  else if (fcsBytes === 2) contentBytes = buf.readUInt16LE(at) + 256;
  else if (fcsBytes === 4) contentBytes = buf.readUInt32LE(at);
  // Compared only against limits far below 2^53, so a lossy Number is precise enough.
  else if (fcsBytes === 8) contentBytes = Number(buf.readBigUInt64LE(at));
  at += fcsBytes;
  if (singleSegment) windowBytes = contentBytes;
  const blockMax = Math.min(windowBytes, BLOCK_BYTES_MAX);
  bound.blockBytesMax = Math.max(bound.blockBytesMax, blockMax);
  let frameBytesMax = 0;
  let last = false;
  while (!last) {
    need(buf, at, BLOCK_HEADER_BYTES, 'block header');
    const header = buf.readUIntLE(at, BLOCK_HEADER_BYTES);
    at += BLOCK_HEADER_BYTES;
    last = (header & 1) === 1;
    const type = (header >> 1) & 0x03;
    const size = header >>> 3;
    if (size > blockMax) {
      throw corruptCompressedData(
        'zstd',
        `block of ${size} bytes at byte ${at - 3} exceeds the frame's ${blockMax}`,
      );
    }
    if (type === BLOCK_TYPE_RAW || type === BLOCK_TYPE_COMPRESSED) need(buf, at, size, 'block');
    if (type === BLOCK_TYPE_RLE) need(buf, at, 1, 'rle block');
    if (type === BLOCK_TYPE_RAW) frameBytesMax += size;
    else if (type === BLOCK_TYPE_RLE) frameBytesMax += size;
    else if (type === BLOCK_TYPE_COMPRESSED) frameBytesMax += blockMax;
    else throw corruptCompressedData('zstd', `reserved block type at byte ${at - 3}`);
    at += type === BLOCK_TYPE_RLE ? 1 : size;
  }
  if (hasChecksum) at += CHECKSUM_BYTES;
  need(buf, at, 0, 'frame end');
  if (contentBytes > frameBytesMax) {
    throw corruptCompressedData(
      'zstd',
      `frame declares ${contentBytes} bytes, its blocks hold at most ${frameBytesMax}`,
    );
  }
  bound.outputBytesMax += frameBytesMax;
  return at;
}

function need(buf: Buffer, at: number, bytes: number, what: string): void {
  if (at + bytes > buf.length) {
    throw corruptCompressedData(
      'zstd',
      `${what} at byte ${at} needs ${bytes} bytes, ${buf.length - at} remain`,
    );
  }
}
