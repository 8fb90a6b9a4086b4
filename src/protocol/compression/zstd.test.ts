import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isProtocolError } from '../errors.ts';
import { zstdDecompress, zstdFrameBound } from './zstd.ts';

const limitBytes = 1024 * 1024;
const magic = [0x28, 0xb5, 0x2f, 0xfd];
/** Frame header descriptor 0 (no content size, not single segment), window descriptor 0x58 (2 MiB). */
const frameHeader = Buffer.from([...magic, 0x00, 0x58]);

function blockHeader(last: boolean, type: number, size: number): Buffer {
  const header = Buffer.alloc(3);
  header.writeUIntLE((size << 3) | (type << 1) | (last ? 1 : 0), 0, 3);
  return header;
}

/** A frame of `count` RLE blocks, each regenerating 128 KiB of 'a' from one byte. */
function rleFrame(count: number): Buffer {
  const blocks = Array.from({ length: count }, (_, i) =>
    Buffer.concat([blockHeader(i === count - 1, 1, 128 * 1024), Buffer.from('a')]),
  );
  return Buffer.concat([frameHeader, ...blocks]);
}

describe('zstd', () => {
  it('zstdDecompress() decodes a frame of one raw block written by hand', async () => {
    const frame = Buffer.concat([frameHeader, blockHeader(true, 0, 5), Buffer.from('hello')]);
    assert.equal((await zstdDecompress(frame, limitBytes)).toString(), 'hello');
  });

  it('zstdFrameBound() counts RLE blocks by their regenerated size and the native decoder agrees', async () => {
    const frame = rleFrame(3);
    assert.equal(zstdFrameBound(frame).outputBytesMax, 3 * 128 * 1024);
    assert.deepEqual(await zstdDecompress(frame, limitBytes), Buffer.alloc(3 * 128 * 1024, 'a'));
  });

  it('zstdDecompress() rejects a frame of many RLE blocks before inflating it', async () => {
    await assert.rejects(
      zstdDecompress(rleFrame(600), limitBytes),
      (error) => isProtocolError(error) && error.code === 'length_out_of_range',
    );
  });

  it('zstdDecompress() rejects a frame that ends before its last block', async () => {
    const frame = Buffer.concat([frameHeader, blockHeader(false, 0, 5), Buffer.from('hello')]);
    await assert.rejects(
      zstdDecompress(frame, limitBytes),
      (error) => isProtocolError(error) && error.code === 'corrupt_record_batch',
    );
  });

  it('zstdDecompress() rejects the reserved block type', async () => {
    const frame = Buffer.concat([frameHeader, blockHeader(true, 3, 0)]);
    await assert.rejects(
      zstdDecompress(frame, limitBytes),
      (error) => isProtocolError(error) && /reserved/.test(String(error)),
    );
  });
});
