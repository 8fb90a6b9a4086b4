import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import lz4 from 'lz4-napi';
import { isProtocolError } from '../errors.ts';
import { lz4Decompress, lz4FrameBound } from './lz4.ts';

const limitBytes = 1024 * 1024;
const blockBytes = 64 * 1024;

/** The 7-byte header, one compressed block, and the end mark of a native frame of one full block. */
function frameParts(): { header: Buffer; block: Buffer; endMark: Buffer } {
  const frame = lz4.compressFrameSync(Buffer.alloc(blockBytes, 'q'));
  // Our native encoder writes FLG 0x60 (independent blocks, no checksums, no content size).
  assert.equal(frame[4], 0x60);
  const header = frame.subarray(0, 7);
  const size = frame.readUInt32LE(7);
  const block = frame.subarray(7, 11 + size);
  assert.equal(frame.length, 7 + block.length + 4);
  return { header, block, endMark: frame.subarray(frame.length - 4) };
}

function isCorrupt(error: unknown): boolean {
  return isProtocolError(error) && error.code === 'corrupt_record_batch';
}

describe('lz4', () => {
  it('lz4FrameBound() bounds a frame by its blocks and the native decoder agrees', () => {
    const { header, block, endMark } = frameParts();
    const frame = Buffer.concat([header, block, block, block, endMark]);
    assert.equal(lz4FrameBound(frame).outputBytesMax, 3 * blockBytes);
    assert.deepEqual(lz4Decompress(frame, limitBytes), Buffer.alloc(3 * blockBytes, 'q'));
  });

  it('lz4Decompress() rejects a frame of many highly compressed blocks before inflating it', () => {
    const { header, block, endMark } = frameParts();
    const bomb = Buffer.concat([header, ...Array.from({ length: 2000 }, () => block), endMark]);
    assert.throws(
      () => lz4Decompress(bomb, limitBytes),
      (error) => isProtocolError(error) && error.code === 'length_out_of_range',
    );
  });

  it('lz4Decompress() rejects a frame without its end mark, which the native decoder would accept', () => {
    const { header, block } = frameParts();
    assert.throws(() => lz4Decompress(Buffer.concat([header, block]), limitBytes), isCorrupt);
  });

  it('lz4Decompress() rejects bytes after the last frame', () => {
    const { header, block, endMark } = frameParts();
    assert.throws(
      () => lz4Decompress(Buffer.concat([header, block, endMark, Buffer.from([1, 2])]), limitBytes),
      isCorrupt,
    );
  });

  it('lz4Decompress() rejects a block larger than the frame block maximum, naming its size', () => {
    const { header, endMark } = frameParts();
    const size = Buffer.alloc(4);
    size.writeUInt32LE(blockBytes + 1);
    const frame = Buffer.concat([header, size, Buffer.alloc(blockBytes + 1), endMark]);
    assert.throws(
      () => lz4Decompress(frame, limitBytes),
      (error) => isCorrupt(error) && /65537/.test(String(error)),
    );
  });

  it('lz4Decompress() rejects a second frame, which the native decoder would silently drop', () => {
    const { header, block, endMark } = frameParts();
    const frames = Buffer.concat([header, block, endMark, header, block, endMark]);
    assert.throws(
      () => lz4Decompress(frames, limitBytes),
      (error) => isCorrupt(error) && /follow the frame/.test(String(error)),
    );
  });
});
