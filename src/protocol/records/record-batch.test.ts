import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compressionName, compressionTypes } from '../compression/codec.ts';
import { isProtocolError } from '../errors.ts';
import { batchOffsets, computeBatchCrc, isBatchCrcValid, patchBatchOffset } from './batch-header.ts';
import type { LogRecord } from './record.ts';
import {
  decodeRecordBatch,
  encodeRecordBatch,
  type RecordBatchInput,
  validateRecordBatch,
} from './record-batch.ts';

const plain = { noNullPrototype: true } as const;
const bytes = (maxLength: number) => fc.uint8Array({ maxLength }).map((b) => Buffer.from(b));

/** Records as a producer writes them: offsetDelta 0..n-1, small non-negative timestamp deltas. */
const producerRecords = fc
  .array(
    fc.record(
      {
        timestampDelta: fc.bigInt({ min: 0n, max: 100_000n }),
        key: fc.option(bytes(16)),
        value: fc.option(bytes(2000)),
        headers: fc.array(
          fc.record({ key: fc.string({ maxLength: 8 }), value: fc.option(bytes(8)) }, plain),
          {
            maxLength: 2,
          },
        ),
      },
      plain,
    ),
    { minLength: 1, maxLength: 20 },
  )
  .map((records) => records.map((r, offsetDelta): LogRecord => ({ offsetDelta, ...r })));

function sampleRecords(count: number): LogRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    offsetDelta: i,
    timestampDelta: BigInt(i * 10),
    key: Buffer.from(`key-${i}`),
    value: Buffer.from(`value-${i} `.repeat(20)),
    headers: [{ key: 'n', value: Buffer.from(String(i)) }],
  }));
}

function sampleInput(overrides: Partial<RecordBatchInput> = {}): RecordBatchInput {
  return {
    baseOffset: 100n,
    partitionLeaderEpoch: 7,
    producerId: 42n,
    producerEpoch: 3,
    baseSequence: 11,
    baseTimestamp: 1_700_000_000_000n,
    records: sampleRecords(5),
    ...overrides,
  } as RecordBatchInput;
}

/** Alters a batch, then rewrites its CRC so the alteration reaches the check under test. */
function reseal(batch: Buffer, alter: (b: Buffer) => void): Buffer {
  alter(batch);
  batch.writeUInt32BE(computeBatchCrc(batch), batchOffsets.crc);
  return batch;
}

describe('record batch', () => {
  for (const compression of Object.values(compressionTypes)) {
    it(`decodeRecords() returns the records encodeRecordBatch() wrote, with ${compressionName(compression)}`, async () => {
      await fc.assert(
        fc.asyncProperty(
          producerRecords,
          fc.bigInt({ min: 0n, max: 2n ** 40n }),
          async (records, baseTimestamp) => {
            const buf = await encodeRecordBatch({ compression, baseTimestamp, records });
            const validation = validateRecordBatch(buf);
            assert.ok(validation.ok, validation.ok ? '' : validation.error.message);
            const batch = decodeRecordBatch(buf);
            assert.equal(batch.compression, compression);
            assert.equal(batch.header.recordCount, records.length);
            assert.equal(batch.header.lastOffsetDelta, records.length - 1);
            let deltaMax = 0n;
            for (const r of records) if (r.timestampDelta > deltaMax) deltaMax = r.timestampDelta;
            assert.equal(batch.header.maxTimestamp, baseTimestamp + deltaMax);
            assert.deepEqual(await batch.decodeRecords(), records);
          },
        ),
        { numRuns: 25 },
      );
    });
  }

  it('encodeRecordBatch() writes every header field it is given and decodeRecordBatch() reads them back', async () => {
    const buf = await encodeRecordBatch(
      sampleInput({
        compression: compressionTypes.lz4,
        transactional: true,
        maxTimestamp: 1_700_000_009_999n,
      }),
    );
    const batch = decodeRecordBatch(buf);
    assert.deepEqual(
      { ...batch.header, crc: 0 },
      {
        baseOffset: 100n,
        batchLength: buf.length - 12,
        partitionLeaderEpoch: 7,
        magic: 2,
        crc: 0,
        attributes: compressionTypes.lz4 | 0x10,
        lastOffsetDelta: 4,
        baseTimestamp: 1_700_000_000_000n,
        maxTimestamp: 1_700_000_009_999n,
        producerId: 42n,
        producerEpoch: 3,
        baseSequence: 11,
        recordCount: 5,
      },
    );
    assert.equal(batch.transactional, true);
    assert.equal(batch.control, false);
    assert.equal(batch.timestampType, 'createTime');
    assert.equal(batch.lastOffset, 104n);
  });

  it('encodeRecordBatch() accepts raw attributes in place of named flags', async () => {
    const buf = await encodeRecordBatch(sampleInput({ attributes: 0x08 | 0x20 | compressionTypes.gzip }));
    const batch = decodeRecordBatch(buf);
    assert.equal(batch.timestampType, 'logAppendTime');
    assert.equal(batch.control, true);
    assert.equal(batch.compression, compressionTypes.gzip);
  });

  it('encodeRecordBatch() writes the Java producer defaults when producer fields are omitted', async () => {
    const batch = decodeRecordBatch(
      await encodeRecordBatch({ baseTimestamp: 5n, records: sampleRecords(1) }),
    );
    assert.equal(batch.header.producerId, -1n);
    assert.equal(batch.header.producerEpoch, -1);
    assert.equal(batch.header.baseSequence, -1);
    assert.equal(batch.header.partitionLeaderEpoch, -1);
  });

  it('recordsBytes exposes the still-compressed records section without decoding it', async () => {
    const uncompressed = decodeRecordBatch(await encodeRecordBatch(sampleInput()));
    const zstd = decodeRecordBatch(
      await encodeRecordBatch(sampleInput({ compression: compressionTypes.zstd })),
    );
    assert.equal(zstd.recordsBytes.readUInt32LE(0), 0xfd2fb528);
    assert.ok(zstd.recordsBytes.length < uncompressed.recordsBytes.length);
    assert.equal(zstd.bytes.length, 61 + zstd.recordsBytes.length);
  });

  it('decodeRecordBatch() reads a batch at an offset inside a larger buffer', async () => {
    const buf = await encodeRecordBatch(sampleInput());
    const framed = Buffer.concat([Buffer.from('junk'), buf, Buffer.from('more')]);
    const batch = decodeRecordBatch(framed, 4);
    assert.deepEqual(batch.bytes, buf);
    assert.equal((await batch.decodeRecords()).length, 5);
  });

  it('validateRecordBatch() detects a CRC mismatch and decodeRecordBatch() refuses the batch', async () => {
    const buf = await encodeRecordBatch(sampleInput());
    buf[buf.length - 3]! ^= 0x01;
    const validation = validateRecordBatch(buf);
    assert.equal(validation.ok, false);
    assert.equal(!validation.ok && validation.problem, 'crc');
    assert.throws(
      () => decodeRecordBatch(buf),
      (error) => isProtocolError(error) && /CRC 0x/.test(error.message),
    );
    assert.doesNotThrow(() => decodeRecordBatch(buf, 0, { verifyCrc: false }));
  });

  it('patchBatchOffset() leaves the CRC valid, as baseOffset and leader epoch lie outside it', async () => {
    const buf = await encodeRecordBatch(sampleInput());
    patchBatchOffset(buf, 9_000n, 12);
    assert.ok(isBatchCrcValid(buf));
    assert.equal(decodeRecordBatch(buf).header.baseOffset, 9_000n);
  });

  it('validateRecordBatch() names each structural problem of a produced batch', async () => {
    const cases: Array<[string, (b: Buffer) => Buffer]> = [
      ['magic', (b) => reseal(b, (x) => x.writeInt8(1, batchOffsets.magic))],
      ['batch_length', (b) => Buffer.concat([b, Buffer.alloc(3)])],
      ['truncated', (b) => b.subarray(0, 40)],
      ['record_count', (b) => reseal(b, (x) => x.writeInt32BE(0, batchOffsets.recordCount))],
      ['last_offset_delta', (b) => reseal(b, (x) => x.writeInt32BE(9, batchOffsets.lastOffsetDelta))],
      ['compression', (b) => reseal(b, (x) => x.writeInt16BE(5, batchOffsets.attributes))],
    ];
    for (const [problem, damage] of cases) {
      const validation = validateRecordBatch(damage(await encodeRecordBatch(sampleInput())));
      assert.equal(validation.ok ? 'ok' : validation.problem, problem);
      if (!validation.ok) assert.match(validation.error.message, /Invalid record batch at byte 0/);
    }
  });

  it('validateRecordBatch() reports an unknown codec as unsupported_compression naming the id', async () => {
    const buf = await encodeRecordBatch(sampleInput());
    const validation = validateRecordBatch(reseal(buf, (b) => b.writeInt16BE(6, batchOffsets.attributes)));
    assert.ok(!validation.ok);
    assert.equal(validation.error.code, 'unsupported_compression');
    assert.match(validation.error.message, /\b6\b/);
  });

  it('decodeRecords() refuses a batch whose recordCount claims fewer records than it holds', async () => {
    const buf = await encodeRecordBatch(sampleInput({ compression: compressionTypes.snappy }));
    await assert.rejects(
      decodeRecordBatch(reseal(buf, (b) => b.writeInt32BE(4, batchOffsets.recordCount))).decodeRecords(),
      (error) => isProtocolError(error) && /bytes follow its 4 records/.test(error.message),
    );
  });

  it('truncated and mutated batches yield only ProtocolError, for every codec', async () => {
    const originals = await Promise.all(
      Object.values(compressionTypes).map((compression) => encodeRecordBatch(sampleInput({ compression }))),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...originals),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        fc.option(fc.nat()),
        async (original, edits, cut) => {
          const buf = Buffer.from(original);
          for (const [at, byte] of edits) buf[at % buf.length] = byte;
          const damaged = cut === null ? buf : buf.subarray(0, cut % buf.length);
          validateRecordBatch(damaged);
          try {
            // Skipping the CRC check lets the damage reach the record and codec decoders.
            await decodeRecordBatch(damaged, 0, { verifyCrc: false }).decodeRecords();
          } catch (error) {
            assert.ok(isProtocolError(error), `expected ProtocolError, got ${String(error)}`);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
