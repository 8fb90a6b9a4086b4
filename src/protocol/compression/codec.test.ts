import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isProtocolError } from '../errors.ts';
import { compress, compressionName, compressionTypes, decompress } from './codec.ts';

const codecs = Object.values(compressionTypes);
const limitBytes = 1024 * 1024;

describe('codec', () => {
  for (const type of codecs) {
    const name = compressionName(type);

    it(`decompress() returns exactly what compress() was given, for ${name}`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 70_000 }), async (bytes) => {
          const input = Buffer.from(bytes);
          const packed = await compress(type, input);
          assert.deepEqual(await decompress(type, packed, limitBytes), input);
        }),
        { numRuns: 40 },
      );
    });

    it(`decompress() rejects ${name} output larger than maxBytes with a ProtocolError`, async () => {
      const input = Buffer.alloc(200_000, 7);
      const packed = await compress(type, input);
      await assert.rejects(decompress(type, packed, 100_000), (error) => {
        assert.ok(isProtocolError(error));
        assert.equal(error.code, 'length_out_of_range');
        assert.match(error.message, /100000/);
        return true;
      });
    });

    it(`decompress() turns truncated or mutated ${name} input into a ProtocolError or valid bytes, never another error`, async () => {
      const input = Buffer.from('sluice '.repeat(3000));
      const packed = await compress(type, input);
      await fc.assert(
        fc.asyncProperty(
          fc.nat({ max: packed.length }),
          fc.array(fc.tuple(fc.nat({ max: packed.length - 1 }), fc.integer({ min: 0, max: 255 })), {
            maxLength: 4,
          }),
          async (cut, edits) => {
            const damaged = Buffer.from(packed.subarray(0, cut === 0 ? packed.length : cut));
            for (const [at, byte] of edits) if (at < damaged.length) damaged[at] = byte;
            try {
              const out = await decompress(type, damaged, limitBytes);
              assert.ok(out.length <= limitBytes);
            } catch (error) {
              assert.ok(isProtocolError(error), `expected ProtocolError, got ${String(error)}`);
            }
          },
        ),
        { numRuns: 150 },
      );
    });
  }

  it('compress() rejects an unknown codec id with unsupported_compression naming the id', async () => {
    await assert.rejects(compress(5, Buffer.alloc(1)), (error) => {
      assert.ok(isProtocolError(error));
      assert.equal(error.code, 'unsupported_compression');
      assert.match(error.message, /\b5\b/);
      return true;
    });
  });

  it('decompress() rejects an unknown codec id with unsupported_compression naming the id', async () => {
    await assert.rejects(decompress(7, Buffer.alloc(1), limitBytes), (error) => {
      assert.ok(isProtocolError(error));
      assert.equal(error.code, 'unsupported_compression');
      assert.match(error.message, /\b7\b/);
      return true;
    });
  });
});
