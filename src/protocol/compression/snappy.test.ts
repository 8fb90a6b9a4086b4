import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import snappy from 'snappy';
import { isProtocolError } from '../errors.ts';
import { isXerialSnappy, snappyCompress, snappyDecompress } from './snappy.ts';

const limitBytes = 1024 * 1024;

/** A xerial stream built from the documented layout: magic, version, compat, then int32-length blocks. */
function xerialFrame(blocks: Buffer[]): Buffer {
  const header = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1]);
  const parts: Buffer[] = [header];
  for (const block of blocks) {
    const length = Buffer.alloc(4);
    length.writeInt32BE(block.length);
    parts.push(length, block);
  }
  return Buffer.concat(parts);
}

/** Raw snappy written by hand: varint length 5, one literal tag ((5 - 1) << 2), then the bytes. */
const rawHello = Buffer.from([0x05, 0x10, ...Buffer.from('hello')]);

function isTooLarge(error: unknown): boolean {
  assert.ok(isProtocolError(error));
  assert.equal(error.code, 'length_out_of_range');
  return true;
}

describe('snappy', () => {
  it('snappyDecompress() decodes raw snappy written by hand', () => {
    assert.equal(snappyDecompress(rawHello, limitBytes).toString(), 'hello');
  });

  it('snappyDecompress() decodes a xerial stream whose blocks are raw snappy', () => {
    const first = Buffer.alloc(40_000, 'a');
    const second = Buffer.from('the second block');
    const stream = xerialFrame([snappy.compressSync(first), rawHello, snappy.compressSync(second)]);
    assert.deepEqual(
      snappyDecompress(stream, limitBytes),
      Buffer.concat([first, Buffer.from('hello'), second]),
    );
  });

  it('snappyDecompress() decodes a xerial stream with no blocks to nothing', () => {
    assert.equal(snappyDecompress(xerialFrame([]), limitBytes).length, 0);
  });

  it('snappyCompress() writes the xerial framing the Java client writes, in 32 KiB blocks', () => {
    const input = Buffer.alloc(70_000, 'z');
    const stream = snappyCompress(input);
    assert.ok(isXerialSnappy(stream));
    assert.equal(stream.readInt32BE(8), 1);
    assert.equal(stream.readInt32BE(12), 1);
    const firstBlockBytes = stream.readInt32BE(16);
    const firstBlock = snappy.uncompressSync(stream.subarray(20, 20 + firstBlockBytes));
    assert.equal(firstBlock.length, 32 * 1024);
    assert.deepEqual(snappyDecompress(stream, limitBytes), input);
  });

  it('snappyDecompress() rejects a raw preamble declaring more than maxBytes before decoding', () => {
    // Preamble 0x7fffffff (2 GiB minus 1) followed by nothing: only the preamble check can reject it cheaply.
    const bomb = Buffer.from([0xff, 0xff, 0xff, 0xff, 0x07]);
    assert.throws(() => snappyDecompress(bomb, limitBytes), isTooLarge);
  });

  it('snappyDecompress() rejects xerial blocks whose sum exceeds maxBytes', () => {
    const block = snappy.compressSync(Buffer.alloc(30_000));
    assert.throws(() => snappyDecompress(xerialFrame([block, block, block]), 80_000), isTooLarge);
  });

  it('snappyDecompress() rejects a xerial block length that overruns the stream', () => {
    const stream = xerialFrame([rawHello]);
    stream.writeInt32BE(1000, 16);
    assert.throws(
      () => snappyDecompress(stream, limitBytes),
      (error) =>
        isProtocolError(error) && error.code === 'corrupt_record_batch' && /1000/.test(error.message),
    );
  });

  it('snappyDecompress() rejects a raw block whose preamble disagrees with its contents', () => {
    const lying = Buffer.from(rawHello);
    lying[0] = 0x06;
    assert.throws(() => snappyDecompress(lying, limitBytes), isProtocolError);
  });
});
