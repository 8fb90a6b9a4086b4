// Reads which compression codec the first record batch of a captured Produce request uses.
// Hand-written on purpose, from Kafka's ProduceRequest schema, rather than through the generated
// codec: the golden files exist to test that codec, so labelling them must not depend on it.

export type CompressionName = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

const codecs: readonly CompressionName[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];
/** Produce v9 is the first flexible version (compact strings, tagged fields). */
const produceFlexibleMin = 9;
/** Produce v13 names topics by id (16-byte UUID) instead of by name. */
const produceTopicIdMin = 13;

class Cursor {
  at = 0;
  constructor(readonly buf: Buffer) {}

  need(bytes: number): void {
    if (this.at + bytes > this.buf.length) {
      throw new Error(`needs ${bytes} bytes at offset ${this.at}, frame has ${this.buf.length}`);
    }
  }
  int16(): number {
    this.need(2);
    this.at += 2;
    return this.buf.readInt16BE(this.at - 2);
  }
  int32(): number {
    this.need(4);
    this.at += 4;
    return this.buf.readInt32BE(this.at - 4);
  }
  skip(bytes: number): void {
    this.need(bytes);
    this.at += bytes;
  }
  uvarint(): number {
    let value = 0;
    for (let shift = 0; shift <= 28; shift += 7) {
      this.need(1);
      const byte = this.buf[this.at++] ?? 0;
      value |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return value >>> 0;
    }
    throw new Error(`unsigned varint longer than 5 bytes at offset ${this.at}`);
  }
  /** Skips a string or bytes field; compact ones store length+1 as a uvarint. */
  skipSized(compact: boolean): void {
    const length = compact ? this.uvarint() - 1 : this.int16();
    if (length > 0) this.skip(length);
  }
  skipTaggedFields(): void {
    const count = this.uvarint();
    for (let i = 0; i < count; i++) {
      this.uvarint(); // tag
      this.skip(this.uvarint());
    }
  }
}

/**
 * The codec of the first record batch in a Produce request frame (header + body, no size
 * prefix), or 'empty' when the request carries no batch. Throws on a malformed frame.
 */
export function produceCompression(payload: Buffer): CompressionName | 'empty' {
  const c = new Cursor(payload);
  const apiKey = c.int16();
  const version = c.int16();
  if (apiKey !== 0) throw new Error(`Cannot read Produce compression: api key is ${apiKey}, not 0`);
  if (version < 3) throw new Error(`Cannot read Produce compression: version ${version} predates magic 2`);
  const flexible = version >= produceFlexibleMin;
  c.int32(); // correlation id
  c.skipSized(false); // client id is a nullable int16 string in every header version
  if (flexible) c.skipTaggedFields();
  c.skipSized(flexible); // transactional id
  c.int16(); // acks
  c.int32(); // timeout
  const topics = flexible ? c.uvarint() - 1 : c.int32();
  if (topics <= 0) return 'empty';
  if (version >= produceTopicIdMin) c.skip(16);
  else c.skipSized(flexible);
  const partitions = flexible ? c.uvarint() - 1 : c.int32();
  if (partitions <= 0) return 'empty';
  c.int32(); // partition index
  const recordsBytes = flexible ? c.uvarint() - 1 : c.int32();
  if (recordsBytes <= 0) return 'empty';
  // Record batch: baseOffset int64, batchLength int32, leaderEpoch int32, magic int8, crc int32, attributes int16.
  c.skip(8 + 4 + 4);
  c.need(1);
  const magic = c.buf.readInt8(c.at);
  if (magic !== 2) throw new Error(`Cannot read Produce compression: record batch magic is ${magic}, not 2`);
  c.skip(1 + 4);
  const attributes = c.int16();
  const codec = codecs[attributes & 0x7];
  if (codec === undefined) throw new Error(`Cannot read Produce compression: codec id ${attributes & 0x7}`);
  return codec;
}
