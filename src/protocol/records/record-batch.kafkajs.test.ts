// Cross-checks our batch codec against kafkajs's own RecordBatch encoder and decoder, so a
// misreading of the format shared by our encoder and decoder cannot hide behind a round trip.
// kafkajs ships only gzip, so compressed interop is checked with gzip.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compressionTypes } from '../compression/codec.ts';
import type { LogRecord, RecordHeader } from './record.ts';
import { decodeRecordBatch, encodeRecordBatch, validateRecordBatch } from './record-batch.ts';

type KafkajsHeaders = Record<string, Buffer | null | Array<Buffer | null>>;
interface KafkajsRecordInput {
  offsetDelta: number;
  timestampDelta: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: KafkajsHeaders;
}
interface KafkajsDecodedRecord {
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: KafkajsHeaders;
}
interface KafkajsDecodedBatch {
  firstOffset: string;
  producerId: string;
  inTransaction: boolean;
  records: KafkajsDecodedRecord[];
}
interface KafkajsLong {
  fromValue(v: string): unknown;
}

const require = createRequire(import.meta.url);
const kafkajsRecord = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (
  r: KafkajsRecordInput,
) => unknown;
const { RecordBatch: kafkajsRecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js') as {
  RecordBatch: (input: Record<string, unknown>) => Promise<{ buffer: Buffer }>;
};
const kafkajsDecodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder.js') as (
  decoder: unknown,
) => Promise<KafkajsDecodedBatch>;
const KafkajsDecoder = require('kafkajs/src/protocol/decoder.js') as new (buf: Buffer) => unknown;
const Long = require('kafkajs/src/utils/long.js') as KafkajsLong;

const plain = { noNullPrototype: true } as const;
const bytes = (maxLength: number) => fc.uint8Array({ maxLength }).map((b) => Buffer.from(b));

/**
 * kafkajs keeps headers in an object: keys must be unique and not integer-like (those reorder).
 * Its encoder cannot size a null header value (Buffer.byteLength(null) throws), so batches it
 * encodes carry non-null header values only; its decoder reads null ones.
 */
function headersArbitrary(nullValues: boolean): fc.Arbitrary<RecordHeader[]> {
  const value = nullValues ? fc.option(bytes(8)) : bytes(8);
  return fc
    .uniqueArray(
      fc.string({ minLength: 1, maxLength: 6 }).map((k) => `h-${k}`),
      { maxLength: 3 },
    )
    .chain((keys) =>
      fc.tuple(
        ...keys.map((key) => fc.array(value, { minLength: 1, maxLength: 2 }).map((vs) => ({ key, vs }))),
      ),
    )
    .map((entries) => entries.flatMap(({ key, vs }) => vs.map((v) => ({ key, value: v }))));
}

function recordsArbitrary(nullHeaderValues: boolean): fc.Arbitrary<LogRecord[]> {
  return fc
    .array(
      fc.record(
        {
          timestampDelta: fc.integer({ min: 0, max: 100_000 }),
          key: fc.option(bytes(16)),
          value: fc.option(bytes(300)),
          headers: headersArbitrary(nullHeaderValues),
        },
        plain,
      ),
      { minLength: 1, maxLength: 10 },
    )
    .map((records) =>
      records.map(
        (r, offsetDelta): LogRecord => ({ ...r, offsetDelta, timestampDelta: BigInt(r.timestampDelta) }),
      ),
    );
}

function toKafkajsHeaders(headers: RecordHeader[]): KafkajsHeaders {
  const out: Record<string, Array<Buffer | null>> = {};
  for (const { key, value } of headers) {
    const values = out[key] ?? [];
    values.push(value);
    out[key] = values;
  }
  const flat: KafkajsHeaders = {};
  for (const [key, values] of Object.entries(out)) flat[key] = values.length === 1 ? values[0]! : values;
  return flat;
}

const baseTimestamp = 1_700_000_000_000n;

describe('record batch interop with kafkajs', () => {
  for (const compression of [compressionTypes.none, compressionTypes.gzip]) {
    it(`decodeRecords() reads kafkajs-encoded batches back to the same records (compression ${compression})`, async () => {
      await fc.assert(
        fc.asyncProperty(recordsArbitrary(false), async (records) => {
          const encoded = await kafkajsRecordBatch({
            compression,
            firstOffset: Long.fromValue('1234'),
            firstTimestamp: Number(baseTimestamp),
            maxTimestamp: Number(baseTimestamp) + 100_000,
            lastOffsetDelta: records.length - 1,
            producerId: Long.fromValue('99'),
            producerEpoch: 2,
            firstSequence: 5,
            records: records.map((r) =>
              kafkajsRecord({
                offsetDelta: r.offsetDelta,
                timestampDelta: Number(r.timestampDelta),
                key: r.key,
                value: r.value,
                headers: toKafkajsHeaders(r.headers),
              }),
            ),
          });
          const buf = encoded.buffer;
          assert.ok(validateRecordBatch(buf).ok, 'kafkajs batch should validate (CRC included)');
          const batch = decodeRecordBatch(buf);
          assert.equal(batch.header.baseOffset, 1234n);
          assert.equal(batch.header.producerId, 99n);
          assert.equal(batch.compression, compression);
          assert.deepEqual(await batch.decodeRecords(), records);
        }),
        { numRuns: 30 },
      );
    });

    it(`kafkajs decodes batches we encode to the same records (compression ${compression})`, async () => {
      await fc.assert(
        fc.asyncProperty(recordsArbitrary(true), async (records) => {
          const buf = await encodeRecordBatch({
            compression,
            baseOffset: 77n,
            producerId: 5n,
            producerEpoch: 1,
            baseSequence: 0,
            transactional: true,
            baseTimestamp,
            records,
          });
          const decoded = await kafkajsDecodeBatch(new KafkajsDecoder(buf));
          assert.equal(decoded.firstOffset, '77');
          assert.equal(decoded.producerId, '5');
          assert.equal(decoded.inTransaction, true);
          assert.deepEqual(
            decoded.records.map((r) => ({
              offset: r.offset,
              timestamp: r.timestamp,
              key: r.key,
              value: r.value,
              headers: r.headers,
            })),
            records.map((r) => ({
              offset: String(77n + BigInt(r.offsetDelta)),
              timestamp: String(baseTimestamp + r.timestampDelta),
              key: r.key,
              value: r.value,
              headers: toKafkajsHeaders(r.headers),
            })),
          );
        }),
        { numRuns: 30 },
      );
    });
  }
});
