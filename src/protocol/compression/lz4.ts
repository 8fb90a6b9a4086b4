// lz4 (codec 3), in the LZ4 *frame* format Kafka uses since magic 1 (KIP-57). The native decoder
// grows its output as it goes, so before calling it we walk the frame's block headers (cheap:
// no decompression) to bound the output, and refuse frames whose bound exceeds the limit. The
// walk also rejects truncated or trailing bytes the native decoder would silently accept.
import lz4 from 'lz4-napi';
import { isProtocolError } from '../errors.ts';
import { corruptCompressedData, decompressedTooLarge, describeError } from './decompress-errors.ts';

const FRAME_MAGIC = 0x184d2204;
const FLG_VERSION_MASK = 0xc0;
const FLG_VERSION_01 = 0x40;
const FLG_BLOCK_CHECKSUM = 0x10;
const FLG_CONTENT_SIZE = 0x08;
const FLG_CONTENT_CHECKSUM = 0x04;
const FLG_DICT_ID = 0x01;
const BLOCK_UNCOMPRESSED_BIT = 0x80000000;
/** An LZ4 sequence turns each input byte into at most 255 output bytes (length extension
 * bytes); 256 per byte plus a constant is a safe upper bound on one block's output. */
const EXPANSION_PER_BYTE_MAX = 256;
const EXPANSION_CONSTANT_BYTES = 64;

export interface Lz4FrameBound {
  /** Upper bound of the decompressed size of the frame. */
  outputBytesMax: number;
  /** Block maximum the frame declares (the bound is loose by about this much). */
  blockBytesMax: number;
}

export function lz4Compress(buf: Buffer): Buffer {
  return lz4.compressFrameSync(buf);
}

/** Decompresses LZ4 frames, refusing to produce (or allocate for) more than `maxBytes`. */
export function lz4Decompress(buf: Buffer, maxBytes: number): Buffer {
  const bound = lz4FrameBound(buf);
  // Full blocks are the norm, so the bound is at most one block above the real size; the slack
  // keeps batches just under the limit decodable while allocation stays bounded.
  if (bound.outputBytesMax > maxBytes + bound.blockBytesMax) {
    throw decompressedTooLarge('lz4', bound.outputBytesMax, maxBytes);
  }
  let out: Buffer;
  try {
    out = lz4.decompressFrameSync(buf);
  } catch (error) {
    if (isProtocolError(error)) throw error;
    throw corruptCompressedData('lz4', describeError(error));
  }
  if (out.length > maxBytes) throw decompressedTooLarge('lz4', out.length, maxBytes);
  return out;
}

/** Walks the frame's header and block sizes without decompressing; throws on malformed framing. */
export function lz4FrameBound(buf: Buffer): Lz4FrameBound {
  const bound: Lz4FrameBound = { outputBytesMax: 0, blockBytesMax: 0 };
  need(buf, 0, 4, 'frame magic');
  const magic = buf.readUInt32LE(0);
  if (magic !== FRAME_MAGIC)
    throw corruptCompressedData('lz4', `bad frame magic 0x${magic.toString(16)} at byte 0`);
  const end = walkFrame(buf, 4, bound);
  // The native decoder reads one frame and silently drops whatever follows it (further frames
  // included), as Kafka's Java reader does; anything after the frame is therefore refused.
  if (end !== buf.length) {
    throw corruptCompressedData('lz4', `${buf.length - end} bytes follow the frame that ends at byte ${end}`);
  }
  return bound;
}

function walkFrame(buf: Buffer, at: number, bound: Lz4FrameBound): number {
  need(buf, at, 2, 'frame descriptor');
  const flg = buf[at]!;
  const bd = buf[at + 1]!;
  if ((flg & FLG_VERSION_MASK) !== FLG_VERSION_01) {
    throw corruptCompressedData(
      'lz4',
      `unsupported frame version bits in FLG 0x${flg.toString(16)} at byte ${at}`,
    );
  }
  const blockSizeId = (bd >> 4) & 0x07;
  if (blockSizeId < 4)
    throw corruptCompressedData('lz4', `bad block size id ${blockSizeId} at byte ${at + 1}`);
  const blockMax = 1 << (8 + 2 * blockSizeId);
  bound.blockBytesMax = Math.max(bound.blockBytesMax, blockMax);
  at += 2;
  let contentBytes = -1;
  if (flg & FLG_CONTENT_SIZE) {
    need(buf, at, 8, 'content size');
    // Compared only against limits far below 2^53, so a lossy Number is precise enough.
    contentBytes = Number(buf.readBigUInt64LE(at));
    at += 8;
  }
  if (flg & FLG_DICT_ID) at += 4;
  need(buf, at, 1, 'header checksum');
  at += 1;
  let frameBytesMax = 0;
  for (;;) {
    need(buf, at, 4, 'block size');
    const word = buf.readUInt32LE(at);
    at += 4;
    if (word === 0) break;
    const size = (word & ~BLOCK_UNCOMPRESSED_BIT) >>> 0;
    if (size > blockMax) {
      throw corruptCompressedData(
        'lz4',
        `block of ${size} bytes at byte ${at - 4} exceeds the frame's ${blockMax}`,
      );
    }
    need(buf, at, size, 'block');
    at += size + (flg & FLG_BLOCK_CHECKSUM ? 4 : 0);
    const uncompressed = (word & BLOCK_UNCOMPRESSED_BIT) !== 0;
    frameBytesMax += uncompressed
      ? size
      : Math.min(blockMax, size * EXPANSION_PER_BYTE_MAX + EXPANSION_CONSTANT_BYTES);
  }
  if (flg & FLG_CONTENT_CHECKSUM) at += 4;
  need(buf, at, 0, 'frame end');
  if (contentBytes > frameBytesMax) {
    throw corruptCompressedData(
      'lz4',
      `frame declares ${contentBytes} bytes, its blocks hold at most ${frameBytesMax}`,
    );
  }
  bound.outputBytesMax += frameBytesMax;
  return at;
}

function need(buf: Buffer, at: number, bytes: number, what: string): void {
  if (at + bytes > buf.length) {
    throw corruptCompressedData(
      'lz4',
      `${what} at byte ${at} needs ${bytes} bytes, ${buf.length - at} remain`,
    );
  }
}
