// Legacy message sets (magic 0 and 1), the record format of Produce v0-2 and Fetch v0-3. Each
// entry is offset int64, size int32, then a message: crc uint32 (CRC-32 IEEE over the rest),
// magic int8, attributes int8 (codec in bits 0-2; bit 3 LogAppendTime, magic 1 only), timestamp
// int64 (magic 1 only), key and value as nullable int32-length bytes. A compressed message is a
// wrapper whose value is the compressed inner message set: its offset is the last inner one; inner
// offsets are absolute in magic 0 and relative in magic 1. Wrappers never nest. Storage keeps
// magic 2 only, so these sets are decoded on produce and encoded on fetch (legacy-conversion.ts).
import { crc32 } from '@node-rs/crc32';
import { protocolLimits, recordLimits } from '../../limits.ts';
import { type CompressionType, compress, compressionTypes, decompress } from '../compression/codec.ts';
import { withLz4HeaderChecksum } from '../compression/lz4-legacy-checksum.ts';
import { ProtocolError } from '../errors.ts';
import { Reader } from '../reader.ts';
import type { TimestampType } from './record-batch.ts';

export type LegacyMagic = 0 | 1;

/** offset (8) + size (4): the bytes before each message. */
export const LEGACY_LOG_OVERHEAD_BYTES = 12;
/** crc, magic, attributes, key length, value length: the smallest magic-0 message. */
const MESSAGE_V0_BYTES_MIN = 14;
/** Magic 1 adds the timestamp. */
const MESSAGE_V1_BYTES_MIN = 22;
const MAGIC_AT = 4;
const ATTRIBUTES_AT = 5;
const CODEC_MASK = 0x07;
const TIMESTAMP_TYPE_LOG_APPEND = 0x08;
/** Legacy formats know gzip, snappy and lz4; zstd came with magic 2. */
const LEGACY_CODEC_MAX = compressionTypes.lz4;
/** Magic 0 has no timestamp: readers see -1 (Kafka's NO_TIMESTAMP). */
export const NO_TIMESTAMP = -1n;

export interface LegacyMessage {
  /** Absolute offset (inner magic-1 offsets already resolved against their wrapper). */
  offset: bigint;
  magic: LegacyMagic;
  /** -1 for magic 0; a LogAppendTime wrapper's timestamp for its inner messages. */
  timestamp: bigint;
  timestampType: TimestampType;
  key: Buffer | null;
  value: Buffer | null;
}

export interface DecodedLegacyMessageSet {
  /** Every message in order, the inner messages of compressed wrappers in place of the wrapper. */
  messages: LegacyMessage[];
  /** The codec of the last compressed wrapper, or none. */
  compression: CompressionType;
  /** Bytes of a trailing partial message, which a fetch response may end with. */
  partialBytes: number;
}

interface RawMessage {
  offset: bigint;
  magic: LegacyMagic;
  codec: CompressionType;
  timestampType: TimestampType;
  timestamp: bigint;
  key: Buffer | null;
  value: Buffer | null;
}

function corrupt(detail: string): ProtocolError {
  return new ProtocolError('corrupt_record_batch', `Invalid legacy message set: ${detail}`);
}

/** Reads one message (from crc to the end of its value) that fills `bytes` exactly. */
function parseMessage(bytes: Buffer, offset: bigint, at: number): RawMessage {
  const crc = bytes.readUInt32BE(0);
  const computed = crc32(bytes.subarray(MAGIC_AT));
  if (crc !== computed) {
    throw corrupt(`message at byte ${at} has CRC 0x${crc.toString(16)}, computed 0x${computed.toString(16)}`);
  }
  const magic = bytes.readInt8(MAGIC_AT);
  if (magic !== 0 && magic !== 1) throw corrupt(`message at byte ${at} has magic ${magic}, expected 0 or 1`);
  if (magic === 1 && bytes.length < MESSAGE_V1_BYTES_MIN) {
    throw corrupt(`magic-1 message at byte ${at} is ${bytes.length} bytes, below ${MESSAGE_V1_BYTES_MIN}`);
  }
  const attributes = bytes.readInt8(ATTRIBUTES_AT);
  const codec = attributes & CODEC_MASK;
  if (codec > LEGACY_CODEC_MAX) {
    throw new ProtocolError(
      'unsupported_compression',
      `Invalid legacy message set: message at byte ${at} names compression type ${codec}, expected 0..${LEGACY_CODEC_MAX}`,
    );
  }
  const logAppendTime = magic === 1 && (attributes & TIMESTAMP_TYPE_LOG_APPEND) !== 0;
  const reader = new Reader(bytes, ATTRIBUTES_AT + 1);
  const timestamp = magic === 1 ? reader.int64() : NO_TIMESTAMP;
  const key = reader.nullableBytes();
  const value = reader.nullableBytes();
  if (reader.remaining !== 0) {
    throw corrupt(`message at byte ${at} leaves ${reader.remaining} bytes after its value`);
  }
  return {
    offset,
    magic,
    codec: codec as CompressionType,
    timestampType: logAppendTime ? 'logAppendTime' : 'createTime',
    timestamp,
    key,
    value,
  };
}

/**
 * The whole entries of a message set in order, plus the bytes of a trailing partial one; with
 * `exact`, a partial entry is an error (an inner set must fill its wrapper's value).
 */
function readEntries(
  buf: Buffer,
  exact: boolean,
  messagesMax: number,
): { raw: RawMessage[]; partial: number } {
  const raw: RawMessage[] = [];
  let at = 0;
  // Bounded by the buffer: each entry takes at least LEGACY_LOG_OVERHEAD_BYTES + 14 bytes.
  while (buf.length - at >= LEGACY_LOG_OVERHEAD_BYTES) {
    const offset = buf.readBigInt64BE(at);
    const size = buf.readInt32BE(at + 8);
    if (size < MESSAGE_V0_BYTES_MIN) {
      throw corrupt(`message at byte ${at} declares size ${size}, below ${MESSAGE_V0_BYTES_MIN}`);
    }
    const start = at + LEGACY_LOG_OVERHEAD_BYTES;
    if (size > buf.length - start) break;
    if (raw.length >= messagesMax) {
      throw new ProtocolError(
        'count_out_of_range',
        `Invalid legacy message set: more than ${messagesMax} messages remain allowed at byte ${at}`,
      );
    }
    raw.push(parseMessage(buf.subarray(start, start + size), offset, at));
    at = start + size;
  }
  const partial = buf.length - at;
  if (exact && partial !== 0) throw corrupt(`${partial} bytes after the last whole inner message`);
  return { raw, partial };
}

async function inflate(wrapper: RawMessage, budgetBytes: number, at: number): Promise<Buffer> {
  if (wrapper.value === null)
    throw corrupt(`compressed wrapper at offset ${wrapper.offset} (#${at}) has a null value`);
  // Magic-0 LZ4 frames carry Kafka's broken header checksum; standard decoders check it.
  const packed =
    wrapper.codec === compressionTypes.lz4 && wrapper.magic === 0
      ? withLz4HeaderChecksum(wrapper.value, false)
      : wrapper.value;
  return decompress(wrapper.codec, packed, Math.min(budgetBytes, recordLimits.decompressedBatchBytesMax));
}

/** The inner messages of a wrapper, with absolute offsets and the wrapper's LogAppendTime applied. */
function innerMessages(wrapper: RawMessage, inner: RawMessage[]): LegacyMessage[] {
  const last = inner.at(-1);
  if (last === undefined) throw corrupt(`compressed wrapper at offset ${wrapper.offset} holds no messages`);
  const base = wrapper.magic === 1 ? wrapper.offset - last.offset : 0n;
  return inner.map((m) => {
    if (m.codec !== compressionTypes.none) {
      throw corrupt(`wrapper at offset ${wrapper.offset} holds a compressed message: wrappers do not nest`);
    }
    if (m.magic !== wrapper.magic) {
      throw corrupt(
        `wrapper at offset ${wrapper.offset} has magic ${wrapper.magic}, an inner message ${m.magic}`,
      );
    }
    const appendTime = wrapper.timestampType === 'logAppendTime';
    return {
      offset: base + m.offset,
      magic: m.magic,
      timestamp: appendTime ? wrapper.timestamp : m.timestamp,
      timestampType: appendTime ? 'logAppendTime' : m.timestampType,
      key: m.key,
      value: m.value,
    };
  });
}

/**
 * Decodes a legacy message set, checking every CRC and length before use and decompressing
 * wrappers within protocolLimits' total bound. Keys and values are views into `buf` (or into
 * the decompressed wrapper values).
 */
export async function decodeLegacyMessageSet(buf: Buffer): Promise<DecodedLegacyMessageSet> {
  const messagesMax = protocolLimits.legacyMessageSetMessagesMax;
  const { raw, partial } = readEntries(buf, false, messagesMax);
  const messages: LegacyMessage[] = [];
  let compression: CompressionType = compressionTypes.none;
  let inflatedBytes = 0;
  for (let i = 0; i < raw.length; i++) {
    const m = raw[i]!;
    if (m.codec === compressionTypes.none) {
      if (messages.length >= messagesMax) throw corrupt(`more than ${messagesMax} messages`);
      const { offset, magic, timestamp, timestampType, key, value } = m;
      messages.push({ offset, magic, timestamp, timestampType, key, value });
      continue;
    }
    compression = m.codec;
    const data = await inflate(m, protocolLimits.legacyMessageSetDecompressedBytesMax - inflatedBytes, i);
    inflatedBytes += data.length;
    const inner = readEntries(data, true, messagesMax - messages.length).raw;
    for (const message of innerMessages(m, inner)) messages.push(message);
  }
  return { messages, compression, partialBytes: partial };
}

export interface LegacyRecordInput {
  offset: bigint;
  /** Ignored for magic 0. */
  timestamp: bigint;
  key: Buffer | null;
  value: Buffer | null;
}

export interface LegacyMessageSetInput {
  magic: LegacyMagic;
  /** none, gzip, snappy or lz4: one wrapper holds every record when compressed. */
  compression: CompressionType;
  /** Sets the LogAppendTime bit on every message (magic 1 only); default createTime. */
  timestampType?: TimestampType;
  records: readonly LegacyRecordInput[];
}

/** One entry (offset, size, message) with its CRC. */
function messageEntry(
  offset: bigint,
  magic: LegacyMagic,
  attributes: number,
  timestamp: bigint,
  key: Buffer | null,
  value: Buffer | null,
): Buffer {
  const messageBytes =
    (magic === 1 ? MESSAGE_V1_BYTES_MIN : MESSAGE_V0_BYTES_MIN) + (key?.length ?? 0) + (value?.length ?? 0);
  const entry = Buffer.allocUnsafe(LEGACY_LOG_OVERHEAD_BYTES + messageBytes);
  entry.writeBigInt64BE(offset, 0);
  entry.writeInt32BE(messageBytes, 8);
  const message = entry.subarray(LEGACY_LOG_OVERHEAD_BYTES);
  message.writeInt8(magic, MAGIC_AT);
  message.writeInt8(attributes, ATTRIBUTES_AT);
  let at = ATTRIBUTES_AT + 1;
  if (magic === 1) at = message.writeBigInt64BE(timestamp, at);
  for (const bytes of [key, value]) {
    at = message.writeInt32BE(bytes === null ? -1 : bytes.length, at);
    if (bytes !== null) at += bytes.copy(message, at);
  }
  message.writeUInt32BE(crc32(message.subarray(MAGIC_AT)), 0);
  return entry;
}

/**
 * Encodes records as top-level entries of a legacy message set: one message per record when
 * uncompressed, else one wrapper (offset of the last record, timestamp the largest) whose value is
 * the compressed inner set. Concatenated, the entries are the message set.
 */
export async function encodeLegacyMessageSet(input: LegacyMessageSetInput): Promise<Buffer[]> {
  const { magic, compression, records } = input;
  if (compression > LEGACY_CODEC_MAX) {
    throw new ProtocolError(
      'unsupported_compression',
      `Cannot encode a magic-${magic} message set with compression type ${compression}: legacy formats know 0..${LEGACY_CODEC_MAX}`,
    );
  }
  if (records.length > protocolLimits.legacyMessageSetMessagesMax) {
    throw new ProtocolError(
      'invalid_value',
      `Cannot encode legacy message set: ${records.length} records exceed the limit of ${protocolLimits.legacyMessageSetMessagesMax}`,
    );
  }
  const typeBit = magic === 1 && input.timestampType === 'logAppendTime' ? TIMESTAMP_TYPE_LOG_APPEND : 0;
  const first = records[0];
  const last = records.at(-1);
  if (first === undefined || last === undefined) return [];
  // Magic-1 inner offsets are relative to the first record; magic-0 ones stay absolute.
  const base = compression !== compressionTypes.none && magic === 1 ? first.offset : 0n;
  const entries = records.map((r) =>
    messageEntry(r.offset - base, magic, typeBit, r.timestamp, r.key, r.value),
  );
  if (compression === compressionTypes.none) return entries;
  let packed = await compress(compression, Buffer.concat(entries));
  if (compression === compressionTypes.lz4 && magic === 0) packed = withLz4HeaderChecksum(packed, true);
  let timestampMax = NO_TIMESTAMP;
  for (const r of records) if (r.timestamp > timestampMax) timestampMax = r.timestamp;
  return [messageEntry(last.offset, magic, typeBit | compression, timestampMax, null, packed)];
}
