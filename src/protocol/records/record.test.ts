import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { recordLimits } from '../../limits.ts';
import { isProtocolError } from '../errors.ts';
import { Reader } from '../reader.ts';
import { Writer } from '../writer.ts';
import { decodeRecord, encodeRecord, type LogRecord, recordBytes } from './record.ts';

const bytes = (maxLength: number) => fc.uint8Array({ maxLength }).map((b) => Buffer.from(b));

// fc.record builds null-prototype objects by default, which deepEqual tells apart from ours.
const plain = { noNullPrototype: true } as const;

const headerArbitrary = fc.record(
  { key: fc.string({ unit: 'grapheme', maxLength: 12 }), value: fc.option(bytes(32)) },
  plain,
);

const logRecordArbitrary: fc.Arbitrary<LogRecord> = fc.record(
  {
    offsetDelta: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    timestampDelta: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
    key: fc.option(bytes(64)),
    value: fc.option(bytes(5000)),
    headers: fc.array(headerArbitrary, { maxLength: 4 }),
  },
  plain,
);

function encode(record: LogRecord): Buffer {
  const writer = new Writer();
  encodeRecord(writer, record);
  return writer.toBuffer();
}

describe('record', () => {
  it('decodeRecord() returns the record encodeRecord() wrote, using exactly recordBytes() bytes', () => {
    fc.assert(
      fc.property(logRecordArbitrary, (record) => {
        const buf = encode(record);
        assert.equal(buf.length, recordBytes(record));
        const reader = new Reader(buf);
        assert.deepEqual(decodeRecord(reader), record);
        assert.equal(reader.remaining, 0);
      }),
      { numRuns: 300 },
    );
  });

  it('encodeRecord() writes the layout of the protocol documentation byte for byte', () => {
    const buf = encode({
      offsetDelta: 1,
      timestampDelta: -1n,
      key: null,
      value: Buffer.from('v'),
      headers: [{ key: 'h', value: null }],
    });
    // length 10 (zig-zag 20), attributes, ts -1 (1), offset 1 (2), key null (1), value len 1 (2),
    // 'v', 1 header (2), key len 1 (2), 'h', value null (1).
    assert.deepEqual([...buf], [20, 0, 1, 2, 1, 2, 0x76, 2, 2, 0x68, 1]);
  });

  it('decodeRecord() rejects a record whose length disagrees with its fields', () => {
    const buf = encode({
      offsetDelta: 0,
      timestampDelta: 0n,
      key: null,
      value: Buffer.from('abc'),
      headers: [],
    });
    const longer = Buffer.concat([buf, Buffer.from([0])]);
    longer[0] = buf[0]! + 2; // one byte longer than its fields
    assert.throws(
      () => decodeRecord(new Reader(longer)),
      (error) => isProtocolError(error) && /leaves 1 bytes unread/.test(error.message),
    );
    const shorter = Buffer.from(buf);
    shorter[0] = buf[0]! - 2; // one byte shorter: the value runs past the record
    assert.throws(() => decodeRecord(new Reader(shorter)), isProtocolError);
  });

  it('decodeRecord() rejects a header count above recordHeadersMax, naming the count', () => {
    const count = recordLimits.recordHeadersMax + 1;
    const writer = new Writer();
    const body = new Writer().int8(0).varlong(0n).varint(0).varint(-1).varint(-1).varint(count).toBuffer();
    const padded = Buffer.concat([body, Buffer.alloc(count * 2)]);
    writer.varint(padded.length).raw(padded);
    assert.throws(
      () => decodeRecord(new Reader(writer.toBuffer())),
      (error) =>
        isProtocolError(error) &&
        error.code === 'count_out_of_range' &&
        error.message.includes(String(count)),
    );
  });

  it('decodeRecord() throws only ProtocolError for every truncation of a valid record', () => {
    const buf = encode({
      offsetDelta: 3,
      timestampDelta: 1000n,
      key: Buffer.from('key'),
      value: Buffer.from('value'),
      headers: [{ key: 'trace', value: Buffer.from('x') }],
    });
    for (let cut = 0; cut < buf.length; cut++) {
      assert.throws(() => decodeRecord(new Reader(buf.subarray(0, cut))), isProtocolError, `cut at ${cut}`);
    }
  });

  it('encodeRecord() refuses a timestampDelta outside int64', () => {
    const record = { offsetDelta: 0, timestampDelta: 2n ** 63n, key: null, value: null, headers: [] };
    assert.throws(
      () => encode(record),
      (error) => isProtocolError(error) && /9223372036854775808/.test(error.message),
    );
  });
});
