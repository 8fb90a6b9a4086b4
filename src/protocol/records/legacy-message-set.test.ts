import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crc32 } from '@node-rs/crc32';
import fc from 'fast-check';
import { type CompressionType, compressionName, compressionTypes } from '../compression/codec.ts';
import { lz4Decompress } from '../compression/lz4.ts';
import { xxh32 } from '../compression/lz4-legacy-checksum.ts';
import { isProtocolError } from '../errors.ts';
import {
  decodeLegacyMessageSet,
  encodeLegacyMessageSet,
  type LegacyMagic,
  type LegacyRecordInput,
} from './legacy-message-set.ts';

const plain = { noNullPrototype: true } as const;
const bytes = (maxLength: number) => fc.uint8Array({ maxLength }).map((b) => Buffer.from(b));
const legacyCodecs: CompressionType[] = [
  compressionTypes.none,
  compressionTypes.gzip,
  compressionTypes.snappy,
  compressionTypes.lz4,
];

/** Records as a broker down-converts them: increasing offsets (gaps allowed), any timestamps. */
const legacyRecords = fc
  .array(
    fc.record(
      {
        gap: fc.integer({ min: 1, max: 3 }),
        timestamp: fc.bigInt({ min: -1n, max: 2n ** 45n }),
        key: fc.option(bytes(16)),
        value: fc.option(bytes(600)),
      },
      plain,
    ),
    { minLength: 1, maxLength: 20 },
  )
  .map((rs) => {
    let offset = 1000n;
    return rs.map(({ gap, ...r }): LegacyRecordInput => {
      offset += BigInt(gap);
      return { offset, ...r };
    });
  });

function sample(count: number): LegacyRecordInput[] {
  return Array.from({ length: count }, (_, i) => ({
    offset: 50n + BigInt(i),
    timestamp: 1_700_000_000_000n + BigInt(i),
    key: i % 2 === 0 ? Buffer.from(`k${i}`) : null,
    value: i % 3 === 0 ? null : Buffer.from(`value-${i} `.repeat(10)),
  }));
}

/** Message sets kafka-python 3.0.12's LegacyRecordBatchBuilder wrote for three records. */
const kafkaPython = {
  magic0: Buffer.from(
    '0000000000000000000000128697724c0000000000026b300000000276300000000000000001000000104c9f5bc20000ffffffff0000000276310000000000000002000000108b23e3da0000000000026b32ffffffff',
    'hex',
  ),
  magic1: Buffer.from(
    '00000000000000000000001a74aa514001000000018bcfe56800000000026b300000000276300000000000000001000000181b02acb901000000018bcfe56805ffffffff000000027631000000000000000200000018340bdee201000000018bcfe56803000000026b32ffffffff',
    'hex',
  ),
  magic1Gzip: Buffer.from(
    '000000000000000000000066aceed65501010000000000000000ffffffff000000501f8b0800a276086b02ff63608003a99255810e8c400663f7f9a7192011a66c03105966005501929490665ab313ae8af53f1080d51842d53081d49870df7b0457c30c36c908a41200a7e428406e000000',
    'hex',
  ),
  magic1Lz4: Buffer.from(
    '0000000000000000000000841647fd7e01030000000000000000ffffffff0000006e04224d1868406e00000000000000155700000016000100e01a74aa514001000000018bcfe568180080026b3000000002760600000200001d0050181b02acb909000126005105ffffffff240010312100000a008500000018340bdee22400b003000000026b32ffffffff00000000',
    'hex',
  ),
  magic0Snappy: Buffer.from(
    '000000000000000000000067c963a8e90002ffffffff0000005982534e4150505900000000010000000100000045560000190110128697724c050f1c026b300000000276010601013801000000104c9f5bc20000ffffffff051c00310119010a011c3c8b23e3da0000000000026b32ffffffff',
    'hex',
  ),
};

const shown = (b: Buffer | null) => (b === null ? null : b.toString());

describe('legacy message set', () => {
  for (const magic of [0, 1] as LegacyMagic[]) {
    for (const compression of legacyCodecs) {
      it(`decodeLegacyMessageSet() returns what encodeLegacyMessageSet() wrote, magic ${magic} with ${compressionName(compression)}`, async () => {
        await fc.assert(
          fc.asyncProperty(legacyRecords, async (records) => {
            const entries = await encodeLegacyMessageSet({ magic, compression, records });
            assert.equal(entries.length, compression === compressionTypes.none ? records.length : 1);
            const decoded = await decodeLegacyMessageSet(Buffer.concat(entries));
            assert.equal(decoded.partialBytes, 0);
            assert.equal(decoded.compression, compression);
            assert.deepEqual(
              decoded.messages.map((m) => [m.offset, m.magic, m.timestamp, m.timestampType, m.key, m.value]),
              records.map((r) => [
                r.offset,
                magic,
                magic === 0 ? -1n : r.timestamp,
                'createTime',
                r.key,
                r.value,
              ]),
            );
          }),
          { numRuns: 60 },
        );
      });
    }
  }

  it('decodeLegacyMessageSet() reads the message sets kafka-python writes, plain and compressed', async () => {
    const expected = [
      ['k0', 'v0'],
      [null, 'v1'],
      ['k2', null],
    ];
    for (const [name, set] of Object.entries(kafkaPython)) {
      const decoded = await decodeLegacyMessageSet(set);
      assert.deepEqual(
        decoded.messages.map((m) => [shown(m.key), shown(m.value)]),
        expected,
        name,
      );
      const magic1 = name.startsWith('magic1');
      assert.deepEqual(
        decoded.messages.map((m) => m.timestamp),
        magic1 ? [1_700_000_000_000n, 1_700_000_000_005n, 1_700_000_000_003n] : [-1n, -1n, -1n],
        name,
      );
    }
    // kafka-python leaves the wrapper at offset 0, so relative inner offsets resolve below it.
    const gzip = await decodeLegacyMessageSet(kafkaPython.magic1Gzip);
    assert.deepEqual(
      gzip.messages.map((m) => m.offset),
      [-2n, -1n, 0n],
    );
    const plainSet = await decodeLegacyMessageSet(kafkaPython.magic1);
    assert.deepEqual(
      plainSet.messages.map((m) => m.offset),
      [0n, 1n, 2n],
    );
  });

  it('encodeLegacyMessageSet() writes uncompressed sets byte for byte as kafka-python does', async () => {
    const records = [
      { offset: 0n, timestamp: 1_700_000_000_000n, key: Buffer.from('k0'), value: Buffer.from('v0') },
      { offset: 1n, timestamp: 1_700_000_000_005n, key: null, value: Buffer.from('v1') },
      { offset: 2n, timestamp: 1_700_000_000_003n, key: Buffer.from('k2'), value: null },
    ];
    for (const magic of [0, 1] as LegacyMagic[]) {
      const entries = await encodeLegacyMessageSet({ magic, compression: compressionTypes.none, records });
      assert.deepEqual(Buffer.concat(entries), magic === 0 ? kafkaPython.magic0 : kafkaPython.magic1);
    }
  });

  it('a compressed magic-1 wrapper carries the last offset and largest timestamp, inner offsets relative', async () => {
    const records = sample(4);
    const [wrapper] = await encodeLegacyMessageSet({ magic: 1, compression: compressionTypes.gzip, records });
    assert.ok(wrapper !== undefined);
    assert.equal(wrapper.readBigInt64BE(0), 53n);
    assert.equal(wrapper.readInt8(17), compressionTypes.gzip);
    assert.equal(wrapper.readBigInt64BE(18), 1_700_000_000_003n);
    assert.equal(wrapper.readInt32BE(26), -1, 'the wrapper has a null key');
    const decoded = await decodeLegacyMessageSet(wrapper);
    assert.deepEqual(
      decoded.messages.map((m) => m.offset),
      [50n, 51n, 52n, 53n],
    );
  });

  it('a LogAppendTime wrapper gives its timestamp and type to every inner message', async () => {
    const records = sample(3);
    const entries = await encodeLegacyMessageSet({
      magic: 1,
      compression: compressionTypes.snappy,
      timestampType: 'logAppendTime',
      records: records.map((r) => ({ ...r, timestamp: 1_800_000_000_000n })),
    });
    const decoded = await decodeLegacyMessageSet(Buffer.concat(entries));
    for (const m of decoded.messages) {
      assert.equal(m.timestampType, 'logAppendTime');
      assert.equal(m.timestamp, 1_800_000_000_000n);
    }
  });

  it('magic-0 lz4 wrappers carry the header checksum over magic and descriptor, as Kafka 0.8-0.9 wrote it', async () => {
    const [wrapper] = await encodeLegacyMessageSet({
      magic: 0,
      compression: compressionTypes.lz4,
      records: sample(3),
    });
    assert.ok(wrapper !== undefined);
    const frame = wrapper.subarray(12 + 4 + 2 + 4 + 4);
    // FLG, BD, HC: this frame has no content size or dictionary id.
    assert.equal(frame[6], (xxh32(frame.subarray(0, 6)) >>> 8) & 0xff);
    assert.throws(() => lz4Decompress(frame, 1 << 20), isProtocolError, 'a standard decoder refuses it');
    const decoded = await decodeLegacyMessageSet(wrapper);
    assert.equal(decoded.messages.length, 3);
  });

  it('decodeLegacyMessageSet() reports a trailing partial message instead of reading it', async () => {
    const set = Buffer.concat(await encodeLegacyMessageSet({ magic: 1, compression: 0, records: sample(3) }));
    for (const cut of [1, 11, 12, 30]) {
      const decoded = await decodeLegacyMessageSet(set.subarray(0, set.length - cut));
      assert.equal(decoded.messages.length, 2);
      assert.ok(decoded.partialBytes > 0);
    }
  });

  it('decodeLegacyMessageSet() refuses bad CRCs, nested wrappers, mixed magics and legacy zstd', async () => {
    const one = Buffer.concat(await encodeLegacyMessageSet({ magic: 1, compression: 0, records: sample(1) }));
    const badCrc = Buffer.from(one);
    badCrc[badCrc.length - 1]! ^= 0xff;
    await assert.rejects(decodeLegacyMessageSet(badCrc), /CRC/);

    const zstd = Buffer.from(one);
    zstd.writeInt8(compressionTypes.zstd, 17);
    zstd.writeUInt32BE(crc32(zstd.subarray(16)), 12);
    await assert.rejects(
      decodeLegacyMessageSet(zstd),
      (e) => isProtocolError(e) && e.code === 'unsupported_compression',
    );

    const inner = await encodeLegacyMessageSet({ magic: 1, compression: 1, records: sample(2) });
    const nested = await wrap(1, Buffer.concat(inner));
    await assert.rejects(decodeLegacyMessageSet(nested), /do not nest/);

    const magic0Inner = await encodeLegacyMessageSet({ magic: 0, compression: 0, records: sample(2) });
    await assert.rejects(decodeLegacyMessageSet(await wrap(1, Buffer.concat(magic0Inner))), /magic/);
    await assert.rejects(decodeLegacyMessageSet(await wrap(1, Buffer.alloc(0))), /no messages/);
  });

  it('encodeLegacyMessageSet() refuses zstd, which the legacy formats lack', async () => {
    await assert.rejects(
      encodeLegacyMessageSet({ magic: 1, compression: compressionTypes.zstd, records: sample(1) }),
      (e) => isProtocolError(e) && e.code === 'unsupported_compression',
    );
  });

  it('truncated and mutated message sets yield only ProtocolError, for every codec and magic', async () => {
    const originals: Buffer[] = [];
    for (const magic of [0, 1] as LegacyMagic[]) {
      for (const compression of legacyCodecs) {
        originals.push(
          Buffer.concat(await encodeLegacyMessageSet({ magic, compression, records: sample(5) })),
        );
      }
    }
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...originals),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        fc.option(fc.nat()),
        fc.boolean(),
        async (original, edits, cut, reseal) => {
          const buf = Buffer.from(original);
          for (const [at, byte] of edits) buf[at % buf.length] = byte;
          // Resealing the first message's CRC lets damage reach the decoders behind the check.
          if (reseal && buf.length >= 16)
            buf.writeUInt32BE(
              crc32(buf.subarray(16, Math.min(buf.length, 12 + Math.max(0, buf.readInt32BE(8))))),
              12,
            );
          const damaged = cut === null ? buf : buf.subarray(0, cut % buf.length);
          try {
            await decodeLegacyMessageSet(damaged);
          } catch (error) {
            assert.ok(isProtocolError(error), `expected ProtocolError, got ${String(error)}`);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});

/** A wrapper (gzip) around `innerSet`, which need not be valid. */
async function wrap(magic: LegacyMagic, innerSet: Buffer): Promise<Buffer> {
  const { gzipCompress } = await import('../compression/gzip.ts');
  const packed = await gzipCompress(innerSet);
  const message = Buffer.alloc(4 + 2 + (magic === 1 ? 8 : 0) + 4 + 4 + packed.length);
  let at = 4;
  at = message.writeInt8(magic, at);
  at = message.writeInt8(compressionTypes.gzip, at);
  if (magic === 1) at = message.writeBigInt64BE(0n, at);
  at = message.writeInt32BE(-1, at);
  at = message.writeInt32BE(packed.length, at);
  packed.copy(message, at);
  message.writeUInt32BE(crc32(message.subarray(4)), 0);
  const head = Buffer.alloc(12);
  head.writeBigInt64BE(9n, 0);
  head.writeInt32BE(message.length, 8);
  return Buffer.concat([head, message]);
}
