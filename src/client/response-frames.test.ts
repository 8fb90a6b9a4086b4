import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ResponseFrames } from './response-frames.ts';

function framed(body: string): Buffer {
  const b = Buffer.from(body);
  const size = Buffer.alloc(4);
  size.writeInt32BE(b.length);
  return Buffer.concat([size, b]);
}

describe('ResponseFrames', () => {
  it('returns frames split across chunks at every byte boundary', () => {
    const all = Buffer.concat([framed('hello'), framed(''), framed('world!')]);
    for (let cut = 0; cut <= all.length; cut++) {
      const frames = new ResponseFrames();
      frames.push(all.subarray(0, cut));
      frames.push(all.subarray(cut));
      const got: string[] = [];
      for (let f = frames.next(); f !== null; f = frames.next()) got.push(f.toString());
      assert.deepEqual(got, ['hello', '', 'world!'], `cut at ${cut}`);
    }
  });

  it('waits for the rest of a frame before returning it', () => {
    const frames = new ResponseFrames();
    const one = framed('abcdef');
    frames.push(one.subarray(0, 7));
    assert.equal(frames.next(), null);
    frames.push(one.subarray(7));
    assert.equal(frames.next()?.toString(), 'abcdef');
  });

  it('refuses a size above the bound before buffering the frame, naming the size', () => {
    const frames = new ResponseFrames(100);
    const size = Buffer.alloc(4);
    size.writeInt32BE(101);
    frames.push(size);
    assert.throws(() => frames.next(), /size 101 is outside 0-100 bytes/);
  });
});
