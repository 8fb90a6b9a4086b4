// snappy (codec 2). Two encodings meet on the wire: raw snappy (one block, prefixed by its
// uncompressed length as a varint) and the xerial framing the Java client writes (a 16-byte
// header, then blocks of int32 length + raw snappy). We decode both, telling them apart by the
// xerial magic as the Java and librdkafka readers do.
//
// We encode xerial because it is what the Java producer writes: every Kafka client reads it,
// whereas raw snappy is accepted by the Java consumer only through a fallback path.
import snappy from 'snappy';
import { isProtocolError } from '../errors.ts';
import { Reader } from '../reader.ts';
import { corruptCompressedData, decompressedTooLarge, describeError } from './decompress-errors.ts';

/** 0x82 'SNAPPY' 0: the xerial stream magic. */
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_BYTES = 16;
/** The version and minimum compatible version the Java client writes. */
const XERIAL_VERSION = 1;
const XERIAL_COMPATIBLE_VERSION = 1;
/** Uncompressed bytes per xerial block: the Java SnappyOutputStream default. */
const XERIAL_BLOCK_BYTES = 32 * 1024;

export function isXerialSnappy(buf: Buffer): boolean {
  return buf.length >= XERIAL_HEADER_BYTES && buf.subarray(0, XERIAL_MAGIC.length).equals(XERIAL_MAGIC);
}

/** Compresses into the xerial framing, in blocks of 32 KiB of input like the Java client. */
export function snappyCompress(buf: Buffer): Buffer {
  const header = Buffer.alloc(XERIAL_HEADER_BYTES);
  XERIAL_MAGIC.copy(header, 0);
  header.writeInt32BE(XERIAL_VERSION, 8);
  header.writeInt32BE(XERIAL_COMPATIBLE_VERSION, 12);
  const parts: Buffer[] = [header];
  for (let at = 0; at < buf.length; at += XERIAL_BLOCK_BYTES) {
    const block = snappy.compressSync(buf.subarray(at, at + XERIAL_BLOCK_BYTES));
    const length = Buffer.allocUnsafe(4);
    length.writeInt32BE(block.length, 0);
    parts.push(length, block);
  }
  return Buffer.concat(parts);
}

/** Decompresses raw or xerial-framed snappy, refusing to produce more than `maxBytes`. */
export function snappyDecompress(buf: Buffer, maxBytes: number): Buffer {
  if (!isXerialSnappy(buf)) return rawSnappyDecompress(buf, maxBytes, 'snappy');
  const blocks: Buffer[] = [];
  let totalBytes = 0;
  let at = XERIAL_HEADER_BYTES;
  while (at < buf.length) {
    if (buf.length - at < 4) {
      throw corruptCompressedData('xerial snappy', `block length at byte ${at} is truncated`);
    }
    const blockBytes = buf.readInt32BE(at);
    at += 4;
    if (blockBytes < 0 || blockBytes > buf.length - at) {
      throw corruptCompressedData(
        'xerial snappy',
        `block length ${blockBytes} at byte ${at - 4} does not fit the ${buf.length - at} bytes remaining`,
      );
    }
    const block = rawSnappyDecompress(
      buf.subarray(at, at + blockBytes),
      maxBytes,
      'xerial snappy',
      totalBytes,
    );
    totalBytes += block.length;
    blocks.push(block);
    at += blockBytes;
  }
  return Buffer.concat(blocks, totalBytes);
}

/** Decodes one raw block; `priorBytes` were already produced by earlier blocks of the stream. */
function rawSnappyDecompress(buf: Buffer, maxBytes: number, codec: string, priorBytes = 0): Buffer {
  // The varint preamble is the exact output size; checking it first means a hostile preamble
  // cannot make the native decoder allocate beyond the limit.
  let declaredBytes: number;
  try {
    declaredBytes = new Reader(buf).uvarint();
  } catch (error) {
    throw corruptCompressedData(codec, `bad length preamble: ${describeError(error)}`);
  }
  if (priorBytes + declaredBytes > maxBytes) {
    throw decompressedTooLarge(codec, priorBytes + declaredBytes, maxBytes);
  }
  let out: string | Buffer;
  try {
    out = snappy.uncompressSync(buf, { asBuffer: true });
  } catch (error) {
    if (isProtocolError(error)) throw error;
    throw corruptCompressedData(codec, describeError(error));
  }
  if (!Buffer.isBuffer(out) || out.length !== declaredBytes) {
    throw corruptCompressedData(
      codec,
      `preamble declares ${declaredBytes} bytes, block decoded to ${out.length}`,
    );
  }
  return out;
}
