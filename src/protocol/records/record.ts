// One record inside a magic-2 batch: a varint length, then attributes, deltas from the batch's
// base offset and timestamp, key, value and headers. Decoded keys, values and header values are
// views into the input buffer (no copies); callers that keep them past the buffer's life copy.
import { recordLimits } from '../../limits.ts';
import { ProtocolError } from '../errors.ts';
import { Reader } from '../reader.ts';
import type { Writer } from '../writer.ts';

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

export interface LogRecord {
  offsetDelta: number;
  /** Milliseconds from the batch's baseTimestamp. */
  timestampDelta: bigint;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

/** Smallest record body: attributes, timestampDelta, offsetDelta, key, value, header count. */
export const RECORD_BODY_BYTES_MIN = 6;
/** Smallest record on the wire: the length varint plus the smallest body. */
export const RECORD_BYTES_MIN = 1 + RECORD_BODY_BYTES_MIN;
/** Smallest header on the wire: key length and value length. */
const HEADER_BYTES_MIN = 2;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Appends `record` (length prefix included) to `writer`. */
export function encodeRecord(writer: Writer, record: LogRecord): void {
  if (record.timestampDelta < INT64_MIN || record.timestampDelta > INT64_MAX) {
    throw new ProtocolError(
      'invalid_value',
      `Cannot encode record: timestampDelta ${record.timestampDelta} is not int64`,
    );
  }
  if (record.headers.length > recordLimits.recordHeadersMax) {
    throw new ProtocolError(
      'invalid_value',
      `Cannot encode record: ${record.headers.length} headers exceed the limit of ${recordLimits.recordHeadersMax}`,
    );
  }
  writer.varint(recordBodyBytes(record));
  writer.int8(0); // record attributes: no bit is defined for magic 2
  writer.varlong(record.timestampDelta);
  writer.varint(record.offsetDelta);
  writeVarBytes(writer, record.key);
  writeVarBytes(writer, record.value);
  writer.varint(record.headers.length);
  for (const header of record.headers) {
    const keyBytes = Buffer.from(header.key, 'utf8');
    writer.varint(keyBytes.length);
    writer.raw(keyBytes);
    writeVarBytes(writer, header.value);
  }
}

/** Bytes of the record after its length prefix. */
export function recordBodyBytes(record: LogRecord): number {
  let bytes = 1 + varlongBytes(record.timestampDelta) + varintBytes(record.offsetDelta);
  bytes += varBytesBytes(record.key) + varBytesBytes(record.value) + varintBytes(record.headers.length);
  for (const header of record.headers) {
    const keyBytes = Buffer.byteLength(header.key, 'utf8');
    bytes += varintBytes(keyBytes) + keyBytes + varBytesBytes(header.value);
  }
  return bytes;
}

/** Bytes of the whole record on the wire, length prefix included. */
export function recordBytes(record: LogRecord): number {
  const body = recordBodyBytes(record);
  return varintBytes(body) + body;
}

/** Reads one record at the reader's position; its declared length must match its fields exactly. */
export function decodeRecord(reader: Reader): LogRecord {
  const lengthAt = reader.offset;
  const bodyBytes = reader.varint();
  if (bodyBytes < RECORD_BODY_BYTES_MIN || bodyBytes > reader.remaining) {
    throw new ProtocolError(
      'corrupt_record_batch',
      `Cannot decode record at byte ${lengthAt}: length ${bodyBytes} is outside ${RECORD_BODY_BYTES_MIN}..${reader.remaining}`,
    );
  }
  const end = reader.offset + bodyBytes;
  // Reading through a reader that ends with the record keeps a lying field inside it.
  const body = new Reader(reader.buf, reader.offset, end);
  body.int8(); // record attributes: unused in magic 2, ignored as the Java client does
  const timestampDelta = body.varlong();
  const offsetDelta = body.varint();
  const key = readVarBytes(body, 'key');
  const value = readVarBytes(body, 'value');
  const headers = readHeaders(body);
  if (body.offset !== end) {
    throw new ProtocolError(
      'corrupt_record_batch',
      `Cannot decode record at byte ${lengthAt}: length ${bodyBytes} leaves ${end - body.offset} bytes unread`,
    );
  }
  reader.offset = end;
  return { offsetDelta, timestampDelta, key, value, headers };
}

function readHeaders(body: Reader): RecordHeader[] {
  const countAt = body.offset;
  const count = body.varint();
  if (count < 0 || count > recordLimits.recordHeadersMax || count * HEADER_BYTES_MIN > body.remaining) {
    throw new ProtocolError(
      'count_out_of_range',
      `Cannot decode record headers at byte ${countAt}: count ${count} is negative, above ` +
        `${recordLimits.recordHeadersMax}, or more than ${body.remaining} remaining bytes can hold`,
    );
  }
  const headers: RecordHeader[] = [];
  for (let i = 0; i < count; i++) {
    const keyAt = body.offset;
    const keyBytes = body.varint();
    if (keyBytes < 0) {
      throw new ProtocolError(
        'corrupt_record_batch',
        `Cannot decode header key at byte ${keyAt}: length ${keyBytes}`,
      );
    }
    const key = body.raw(keyBytes).toString('utf8');
    headers.push({ key, value: readVarBytes(body, 'header value') });
  }
  return headers;
}

function readVarBytes(body: Reader, what: string): Buffer | null {
  const at = body.offset;
  const n = body.varint();
  if (n === -1) return null;
  if (n < 0 || n > body.remaining) {
    throw new ProtocolError(
      'length_out_of_range',
      `Cannot decode record ${what} at byte ${at}: length ${n} is outside -1..${body.remaining}`,
    );
  }
  return body.raw(n);
}

function writeVarBytes(writer: Writer, bytes: Buffer | null): void {
  if (bytes === null) {
    writer.varint(-1);
    return;
  }
  writer.varint(bytes.length);
  writer.raw(bytes);
}

function varBytesBytes(bytes: Buffer | null): number {
  return bytes === null ? 1 : varintBytes(bytes.length) + bytes.length;
}

/** Encoded size of a zig-zag varint (the Writer does the encoding; this only sizes it). */
function varintBytes(v: number): number {
  let u = v >= 0 ? v * 2 : -v * 2 - 1;
  let bytes = 1;
  while (u >= 0x80) {
    u = Math.floor(u / 128);
    bytes++;
  }
  return bytes;
}

function varlongBytes(v: bigint): number {
  let u = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
  let bytes = 1;
  while (u >= 0x80n) {
    u >>= 7n;
    bytes++;
  }
  return bytes;
}
