// The LZ4 frame header checksum as magic-0 message sets carry it. Kafka before KIP-57 computed the
// header checksum (HC) over the frame magic as well as the descriptor, so magic-0 LZ4 wrappers
// carry a "broken" HC that standard decoders refuse; magic 1 fixed it. Kafka's reader ignores the
// HC of magic-0 frames, and kafka-python and librdkafka write the broken one for magic 0. We
// rewrite the HC before decoding (to the correct value) and after encoding (to the broken one).
import { ProtocolError } from '../errors.ts';

const FRAME_MAGIC = 0x184d2204;
const DESCRIPTOR_AT = 4;
const FLG_CONTENT_SIZE = 0x08;
const FLG_DICT_ID = 0x01;

const PRIME1 = 2654435761;
const PRIME2 = 2246822519;
const PRIME3 = 3266489917;
const PRIME4 = 668265263;
const PRIME5 = 374761393;
const STRIPE_BYTES = 16;

function rotl(v: number, bits: number): number {
  return ((v << bits) | (v >>> (32 - bits))) >>> 0;
}

function mul(a: number, b: number): number {
  return Math.imul(a, b) >>> 0;
}

function round(acc: number, lane: number): number {
  return mul(rotl((acc + mul(lane, PRIME2)) >>> 0, 13), PRIME1);
}

/** XXH32 with seed 0, as the LZ4 frame format specifies for its checksums. */
export function xxh32(buf: Buffer): number {
  const length = buf.length;
  let at = 0;
  let h: number;
  if (length >= STRIPE_BYTES) {
    let v1 = (PRIME1 + PRIME2) >>> 0;
    let v2 = PRIME2;
    let v3 = 0;
    let v4 = (0 - PRIME1) >>> 0;
    for (; at + STRIPE_BYTES <= length; at += STRIPE_BYTES) {
      v1 = round(v1, buf.readUInt32LE(at));
      v2 = round(v2, buf.readUInt32LE(at + 4));
      v3 = round(v3, buf.readUInt32LE(at + 8));
      v4 = round(v4, buf.readUInt32LE(at + 12));
    }
    h = (rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)) >>> 0;
  } else {
    h = PRIME5;
  }
  h = (h + length) >>> 0;
  for (; at + 4 <= length; at += 4) {
    h = mul(rotl((h + mul(buf.readUInt32LE(at), PRIME3)) >>> 0, 17), PRIME4);
  }
  for (; at < length; at++) h = mul(rotl((h + mul(buf[at]!, PRIME5)) >>> 0, 11), PRIME1);
  h = mul(h ^ (h >>> 15), PRIME2);
  h = mul(h ^ (h >>> 13), PRIME3);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Position of the HC byte of the frame at the start of `frame`. */
function headerChecksumAt(frame: Buffer): number {
  if (frame.length < DESCRIPTOR_AT + 3 || frame.readUInt32LE(0) !== FRAME_MAGIC) {
    throw new ProtocolError(
      'corrupt_record_batch',
      `Cannot read legacy lz4 records: ${frame.length} bytes do not start with an LZ4 frame header`,
    );
  }
  const flg = frame[DESCRIPTOR_AT]!;
  const at = DESCRIPTOR_AT + 2 + (flg & FLG_CONTENT_SIZE ? 8 : 0) + (flg & FLG_DICT_ID ? 4 : 0);
  if (at >= frame.length) {
    throw new ProtocolError(
      'corrupt_record_batch',
      `Cannot read legacy lz4 records: the frame header needs ${at + 1} bytes, ${frame.length} remain`,
    );
  }
  return at;
}

/**
 * A copy of `frame` whose header checksum is the standard one (`broken` false) or the one
 * Kafka's magic-0 writers compute over magic and descriptor (`broken` true).
 */
export function withLz4HeaderChecksum(frame: Buffer, broken: boolean): Buffer {
  const at = headerChecksumAt(frame);
  const out = Buffer.from(frame);
  const covered = out.subarray(broken ? 0 : DESCRIPTOR_AT, at);
  out[at] = (xxh32(covered) >>> 8) & 0xff;
  return out;
}
