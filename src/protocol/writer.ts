// Writes Kafka's primitive types into a growable buffer. Large byte fields (record batches)
// are kept by reference rather than copied, so a fetch response is a list of chunks handed to
// socket.writev(): the records a broker serves are never copied on their way out.
import { ProtocolError } from './errors.ts';

/** Byte fields at least this large are appended by reference instead of copied. */
const REFERENCE_BYTES_MIN = 4096;
const INITIAL_BYTES = 256;

export class Writer {
  #chunks: Buffer[] = [];
  #buf: Buffer;
  #pos = 0;
  #flushedBytes = 0;

  constructor(initialBytes = INITIAL_BYTES) {
    this.#buf = Buffer.allocUnsafe(initialBytes);
  }

  /** Total bytes written so far. */
  get length(): number {
    return this.#flushedBytes + this.#pos;
  }

  #ensure(bytes: number): void {
    if (this.#pos + bytes <= this.#buf.length) return;
    const size = Math.max(this.#buf.length * 2, this.#pos + bytes);
    const next = Buffer.allocUnsafe(size);
    this.#buf.copy(next, 0, 0, this.#pos);
    this.#buf = next;
  }

  int8(v: number): this {
    this.#ensure(1);
    this.#buf.writeInt8(v, this.#pos);
    this.#pos += 1;
    return this;
  }

  bool(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }

  int16(v: number): this {
    this.#ensure(2);
    this.#buf.writeInt16BE(v, this.#pos);
    this.#pos += 2;
    return this;
  }

  uint16(v: number): this {
    this.#ensure(2);
    this.#buf.writeUInt16BE(v, this.#pos);
    this.#pos += 2;
    return this;
  }

  int32(v: number): this {
    this.#ensure(4);
    this.#buf.writeInt32BE(v, this.#pos);
    this.#pos += 4;
    return this;
  }

  uint32(v: number): this {
    this.#ensure(4);
    this.#buf.writeUInt32BE(v, this.#pos);
    this.#pos += 4;
    return this;
  }

  int64(v: bigint): this {
    this.#ensure(8);
    this.#buf.writeBigInt64BE(v, this.#pos);
    this.#pos += 8;
    return this;
  }

  float64(v: number): this {
    this.#ensure(8);
    this.#buf.writeDoubleBE(v, this.#pos);
    this.#pos += 8;
    return this;
  }

  uuid(v: string): this {
    const bytes = Buffer.from(v, 'base64url');
    if (bytes.length !== 16) {
      throw new ProtocolError('invalid_value', `Cannot write uuid '${v}': expected 22 base64url characters`);
    }
    return this.raw(bytes);
  }

  uvarint(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) {
      throw new ProtocolError(
        'invalid_value',
        `Cannot write unsigned varint ${v}: not an integer in [0, 2^32)`,
      );
    }
    this.#ensure(5);
    while (v >= 0x80) {
      this.#buf[this.#pos++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.#buf[this.#pos++] = v;
    return this;
  }

  varint(v: number): this {
    if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) {
      throw new ProtocolError('invalid_value', `Cannot write varint ${v}: not a 32-bit integer`);
    }
    return this.uvarint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  varlong(v: bigint): this {
    let u = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
    this.#ensure(10);
    while (u >= 0x80n) {
      this.#buf[this.#pos++] = Number(u & 0x7fn) | 0x80;
      u >>= 7n;
    }
    this.#buf[this.#pos++] = Number(u);
    return this;
  }

  #utf8(v: string): number {
    return Buffer.byteLength(v, 'utf8');
  }

  #stringBody(v: string, n: number): void {
    this.#ensure(n);
    this.#buf.write(v, this.#pos, n, 'utf8');
    this.#pos += n;
  }

  string(v: string): this {
    const n = this.#utf8(v);
    if (n > 0x7fff)
      throw new ProtocolError('invalid_value', `Cannot write string of ${n} bytes: limit is 32767`);
    this.int16(n);
    this.#stringBody(v, n);
    return this;
  }

  nullableString(v: string | null): this {
    if (v === null) return this.int16(-1);
    return this.string(v);
  }

  compactString(v: string): this {
    const n = this.#utf8(v);
    if (n > 0x7fff)
      throw new ProtocolError('invalid_value', `Cannot write string of ${n} bytes: limit is 32767`);
    this.uvarint(n + 1);
    this.#stringBody(v, n);
    return this;
  }

  compactNullableString(v: string | null): this {
    if (v === null) return this.uvarint(0);
    return this.compactString(v);
  }

  bytes(v: Uint8Array): this {
    this.int32(v.length);
    return this.raw(v);
  }

  nullableBytes(v: Uint8Array | null): this {
    if (v === null) return this.int32(-1);
    return this.bytes(v);
  }

  compactBytes(v: Uint8Array): this {
    this.uvarint(v.length + 1);
    return this.raw(v);
  }

  compactNullableBytes(v: Uint8Array | null): this {
    if (v === null) return this.uvarint(0);
    return this.compactBytes(v);
  }

  /** Appends bytes as they are: copied when small, kept by reference when large. */
  raw(v: Uint8Array): this {
    if (v.length >= REFERENCE_BYTES_MIN) {
      this.#flush();
      this.#chunks.push(Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.length));
      this.#flushedBytes += v.length;
      return this;
    }
    this.#ensure(v.length);
    this.#buf.set(v, this.#pos);
    this.#pos += v.length;
    return this;
  }

  arrayLength(n: number, compact: boolean): this {
    return compact ? this.uvarint(n + 1) : this.int32(n);
  }

  #flush(): void {
    if (this.#pos === 0) return;
    this.#chunks.push(this.#buf.subarray(0, this.#pos));
    this.#flushedBytes += this.#pos;
    this.#buf = this.#buf.subarray(this.#pos);
    this.#pos = 0;
    if (this.#buf.length < INITIAL_BYTES) this.#buf = Buffer.allocUnsafe(INITIAL_BYTES);
  }

  /** The written bytes as chunks, suitable for socket.writev(). The writer must not be reused. */
  chunks(): Buffer[] {
    this.#flush();
    return this.#chunks;
  }

  /** The written bytes as one buffer (copies only when there is more than one chunk). */
  toBuffer(): Buffer {
    const chunks = this.chunks();
    if (chunks.length === 1) return chunks[0]!;
    return Buffer.concat(chunks, this.#flushedBytes);
  }
}
