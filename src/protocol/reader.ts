// Reads Kafka's primitive types from one buffer. Every length and count read from the wire is
// checked against the bytes that remain before anything is allocated, so a hostile frame can
// make the decoder fail (with a ProtocolError) but never make it allocate more than the frame.
import { protocolLimits } from '../limits.ts';
import { ProtocolError } from './errors.ts';

const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

export class Reader {
  readonly buf: Buffer;
  offset: number;
  readonly end: number;

  constructor(buf: Buffer, offset = 0, end = buf.length) {
    this.buf = buf;
    this.offset = offset;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  need(bytes: number, what: string): void {
    if (bytes > this.end - this.offset) {
      throw new ProtocolError(
        'truncated',
        `Cannot read ${what}: needs ${bytes} bytes at offset ${this.offset}, only ${this.end - this.offset} remain`,
      );
    }
  }

  int8(): number {
    this.need(1, 'int8');
    return this.buf.readInt8(this.offset++);
  }

  bool(): boolean {
    return this.int8() !== 0;
  }

  int16(): number {
    this.need(2, 'int16');
    const v = this.buf.readInt16BE(this.offset);
    this.offset += 2;
    return v;
  }

  uint16(): number {
    this.need(2, 'uint16');
    const v = this.buf.readUInt16BE(this.offset);
    this.offset += 2;
    return v;
  }

  int32(): number {
    this.need(4, 'int32');
    const v = this.buf.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  uint32(): number {
    this.need(4, 'uint32');
    const v = this.buf.readUInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  int64(): bigint {
    this.need(8, 'int64');
    const v = this.buf.readBigInt64BE(this.offset);
    this.offset += 8;
    return v;
  }

  float64(): number {
    this.need(8, 'float64');
    const v = this.buf.readDoubleBE(this.offset);
    this.offset += 8;
    return v;
  }

  uuid(): string {
    this.need(16, 'uuid');
    const start = this.offset;
    this.offset += 16;
    return this.buf.toString('base64url', start, start + 16);
  }

  /** Unsigned LEB128 varint of at most 32 bits (compact lengths, tags, tagged-field sizes). */
  uvarint(): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      this.need(1, 'varint');
      const byte = this.buf[this.offset++]!;
      if (shift === 28 && byte > 0x0f) {
        throw new ProtocolError(
          'invalid_varint',
          `Cannot read varint at offset ${this.offset - 1}: exceeds 32 bits`,
        );
      }
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
    throw new ProtocolError(
      'invalid_varint',
      `Cannot read varint ending at offset ${this.offset}: longer than 5 bytes`,
    );
  }

  /** Zig-zag signed varint of at most 32 bits (record fields). */
  varint(): number {
    const u = this.uvarint();
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }

  /** Zig-zag signed varint of at most 64 bits (record timestamp deltas). */
  varlong(): bigint {
    let value = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      this.need(1, 'varlong');
      const byte = this.buf[this.offset++]!;
      if (shift === 63n && byte > 0x01) {
        throw new ProtocolError(
          'invalid_varint',
          `Cannot read varlong at offset ${this.offset - 1}: exceeds 64 bits`,
        );
      }
      value |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return (value >> 1n) ^ -(value & 1n);
    }
    throw new ProtocolError(
      'invalid_varint',
      `Cannot read varlong ending at offset ${this.offset}: longer than 10 bytes`,
    );
  }

  /** A length that must fit in what remains; -1 (null) is returned as -1 when allowed. */
  #length(n: number, what: string, nullable: boolean): number {
    if (n === -1 && nullable) return -1;
    if (n < 0) throw new ProtocolError('length_out_of_range', `Cannot read ${what}: negative length ${n}`);
    if (n > this.end - this.offset) {
      throw new ProtocolError(
        'length_out_of_range',
        `Cannot read ${what}: length ${n} exceeds the ${this.end - this.offset} bytes remaining`,
      );
    }
    return n;
  }

  #str(n: number): string {
    const start = this.offset;
    this.offset += n;
    return this.buf.toString('utf8', start, start + n);
  }

  string(): string {
    return this.#str(this.#length(this.int16(), 'string', false));
  }

  nullableString(): string | null {
    const n = this.#length(this.int16(), 'nullable string', true);
    return n === -1 ? null : this.#str(n);
  }

  compactString(): string {
    return this.#str(this.#length(this.uvarint() - 1, 'compact string', false));
  }

  compactNullableString(): string | null {
    const n = this.#length(this.uvarint() - 1, 'compact nullable string', true);
    return n === -1 ? null : this.#str(n);
  }

  #slice(n: number): Buffer {
    const start = this.offset;
    this.offset += n;
    return this.buf.subarray(start, start + n);
  }

  bytes(): Buffer {
    return this.#slice(this.#length(this.int32(), 'bytes', false));
  }

  nullableBytes(): Buffer | null {
    const n = this.#length(this.int32(), 'nullable bytes', true);
    return n === -1 ? null : this.#slice(n);
  }

  compactBytes(): Buffer {
    return this.#slice(this.#length(this.uvarint() - 1, 'compact bytes', false));
  }

  compactNullableBytes(): Buffer | null {
    const n = this.#length(this.uvarint() - 1, 'compact nullable bytes', true);
    return n === -1 ? null : this.#slice(n);
  }

  /** Raw bytes of a known length (already bounded by the caller's frame). */
  raw(n: number): Buffer {
    this.need(n, 'raw bytes');
    return this.#slice(n);
  }

  /**
   * An array count. Each element takes at least one byte on the wire, so a count larger than
   * the bytes remaining is malformed; returns -1 for a null array when `nullable`.
   */
  arrayLength(compact: boolean, nullable: boolean, what: string): number {
    const n = compact ? this.uvarint() - 1 : this.int32();
    if (n === -1 && nullable) return -1;
    if (n < 0)
      throw new ProtocolError('count_out_of_range', `Cannot read array ${what}: negative count ${n}`);
    if (n > this.end - this.offset || n > protocolLimits.arrayItemsMax) {
      throw new ProtocolError(
        'count_out_of_range',
        `Cannot read array ${what}: count ${n} exceeds the ${this.end - this.offset} bytes remaining`,
      );
    }
    return n;
  }
}

export { ZERO_UUID };
