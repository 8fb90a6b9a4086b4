import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type CompressionType, compressionName, compressionTypes } from '../compression/codec.ts';
import { isProtocolError } from '../errors.ts';
import { encodeControlRecordKey, encodeEndTransactionMarker } from './control-record.ts';
import {
  downConvertBatch,
  fitLegacyEntries,
  legacyFetchMagic,
  upConvertLegacyMessageSet,
} from './legacy-conversion.ts';
import { decodeLegacyMessageSet, encodeLegacyMessageSet, type LegacyMagic } from './legacy-message-set.ts';
import { decodeRecordBatch, encodeRecordBatch, type RecordBatchInput } from './record-batch.ts';

const legacyCodecs: CompressionType[] = [
  compressionTypes.none,
  compressionTypes.gzip,
  compressionTypes.snappy,
  compressionTypes.lz4,
];

function storedBatch(overrides: Partial<RecordBatchInput> = {}): Promise<Buffer> {
  return encodeRecordBatch({
    baseOffset: 200n,
    baseTimestamp: 1_700_000_000_000n,
    records: [0, 1, 3].map((offsetDelta) => ({
      offsetDelta,
      timestampDelta: BigInt(offsetDelta * 7),
      key: offsetDelta === 1 ? null : Buffer.from(`k${offsetDelta}`),
      value: offsetDelta === 3 ? null : Buffer.from(`v${offsetDelta}`),
      headers: [{ key: 'h', value: Buffer.from('dropped') }],
    })),
    lastOffsetDelta: 3,
    ...overrides,
  } as RecordBatchInput);
}

describe('legacy conversion', () => {
  it('legacyFetchMagic() maps Fetch v0-1 to magic 0, v2-3 to magic 1, v4+ to record batches', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 17].map(legacyFetchMagic), [0, 0, 1, 1, undefined, undefined]);
  });

  for (const magic of [0, 1] as LegacyMagic[]) {
    for (const compression of legacyCodecs) {
      it(`upConvertLegacyMessageSet() keeps keys, values, order, codec and timestamps of magic ${magic} with ${compressionName(compression)}`, async () => {
        const records = Array.from({ length: 5 }, (_, i) => ({
          offset: BigInt(i * 10),
          timestamp: 1_700_000_000_000n + BigInt((i * 37) % 11),
          key: i === 2 ? null : Buffer.from(`key-${i}`),
          value: i === 4 ? null : Buffer.from(`value-${i}`),
        }));
        const set = Buffer.concat(await encodeLegacyMessageSet({ magic, compression, records }));
        const batch = decodeRecordBatch(await upConvertLegacyMessageSet(set));
        assert.equal(batch.header.baseOffset, 0n);
        assert.equal(batch.compression, compression);
        assert.equal(batch.header.producerId, -1n);
        const out = await batch.decodeRecords();
        assert.deepEqual(
          out.map((r) => [r.offsetDelta, batch.header.baseTimestamp + r.timestampDelta, r.key, r.value]),
          records.map((r, i) => [i, magic === 0 ? -1n : r.timestamp, r.key, r.value]),
        );
        if (magic === 0) assert.equal(batch.header.maxTimestamp, -1n);
      });
    }
  }

  it('upConvertLegacyMessageSet() refuses an empty set, a partial message and a magic-2 batch', async () => {
    await assert.rejects(upConvertLegacyMessageSet(Buffer.alloc(0)), /no message/);
    const set = Buffer.concat(
      await encodeLegacyMessageSet({
        magic: 1,
        compression: 0,
        records: [{ offset: 0n, timestamp: 1n, key: null, value: Buffer.from('x') }],
      }),
    );
    await assert.rejects(upConvertLegacyMessageSet(set.subarray(0, set.length - 1)), /partial/);
    await assert.rejects(upConvertLegacyMessageSet(await storedBatch()), isProtocolError);
  });

  for (const magic of [0, 1] as LegacyMagic[]) {
    for (const compression of legacyCodecs) {
      it(`downConvertBatch() keeps offsets (gaps included) and timestamps, magic ${magic} with ${compressionName(compression)}`, async () => {
        const entries = await downConvertBatch(await storedBatch({ compression }), magic);
        assert.equal(entries.length, compression === compressionTypes.none ? 3 : 1);
        const decoded = await decodeLegacyMessageSet(Buffer.concat(entries));
        assert.equal(decoded.compression, compression);
        assert.deepEqual(
          decoded.messages.map((m) => [
            m.offset,
            m.magic,
            m.timestamp,
            m.key?.toString(),
            m.value?.toString(),
          ]),
          [
            [200n, magic, magic === 0 ? -1n : 1_700_000_000_000n, 'k0', 'v0'],
            [201n, magic, magic === 0 ? -1n : 1_700_000_000_007n, undefined, 'v1'],
            [203n, magic, magic === 0 ? -1n : 1_700_000_000_021n, 'k3', undefined],
          ],
        );
      });
    }
  }

  it('downConvertBatch() stamps a LogAppendTime batch with its append time and type', async () => {
    const batch = await storedBatch({ timestampType: 'logAppendTime', maxTimestamp: 1_900_000_000_000n });
    const decoded = await decodeLegacyMessageSet(Buffer.concat(await downConvertBatch(batch, 1)));
    for (const m of decoded.messages) {
      assert.equal(m.timestampType, 'logAppendTime');
      assert.equal(m.timestamp, 1_900_000_000_000n);
    }
  });

  it('downConvertBatch() gives nothing for control batches and refuses zstd batches', async () => {
    const marker = await encodeRecordBatch({
      baseOffset: 9n,
      baseTimestamp: 0n,
      control: true,
      transactional: true,
      producerId: 5n,
      producerEpoch: 0,
      records: [
        {
          offsetDelta: 0,
          timestampDelta: 0n,
          key: encodeControlRecordKey(1),
          value: encodeEndTransactionMarker(0),
          headers: [],
        },
      ],
    });
    assert.deepEqual(await downConvertBatch(marker, 1), []);
    await assert.rejects(
      downConvertBatch(await storedBatch({ compression: compressionTypes.zstd }), 1),
      (e) => isProtocolError(e) && e.code === 'unsupported_compression',
    );
  });

  it('up then down conversion returns the produced messages at the offsets storage assigned', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<LegacyMagic>(0, 1),
        fc.constantFrom(...legacyCodecs),
        fc.array(fc.option(fc.string({ maxLength: 40 })), { minLength: 1, maxLength: 30 }),
        fc.bigInt({ min: 0n, max: 2n ** 40n }),
        async (magic, compression, values, baseOffset) => {
          const records = values.map((v, i) => ({
            offset: 0n,
            timestamp: 1_600_000_000_000n + BigInt(i),
            key: null,
            value: v === null ? null : Buffer.from(v),
          }));
          const set = Buffer.concat(await encodeLegacyMessageSet({ magic, compression, records }));
          const batch = await upConvertLegacyMessageSet(set);
          batch.writeBigInt64BE(baseOffset, 0);
          const back = await decodeLegacyMessageSet(Buffer.concat(await downConvertBatch(batch, magic)));
          assert.deepEqual(
            back.messages.map((m) => [m.offset, m.timestamp, m.value?.toString() ?? null]),
            values.map((v, i) => [
              baseOffset + BigInt(i),
              magic === 0 ? -1n : 1_600_000_000_000n + BigInt(i),
              v,
            ]),
          );
        },
      ),
      { numRuns: 100 },
    );
  });

  it('fitLegacyEntries() keeps whole entries within the limit, and an oversized first as told', () => {
    const e = (n: number) => Buffer.alloc(n, n);
    const entries = [e(10), e(20), e(30)];
    assert.deepEqual(
      fitLegacyEntries(entries, 35, 'drop').map((b) => b.length),
      [10, 20],
    );
    assert.deepEqual(
      fitLegacyEntries(entries, 60, 'drop').map((b) => b.length),
      [10, 20, 30],
    );
    assert.deepEqual(fitLegacyEntries(entries, 5, 'drop'), []);
    assert.deepEqual(
      fitLegacyEntries(entries, 5, 'whole').map((b) => b.length),
      [10],
    );
    assert.deepEqual(
      fitLegacyEntries(entries, 5, 'partial').map((b) => b.length),
      [5],
    );
    assert.deepEqual(fitLegacyEntries(entries, 0, 'partial'), []);
    assert.deepEqual(fitLegacyEntries([], 5, 'whole'), []);
  });
});
