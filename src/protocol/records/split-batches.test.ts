import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isProtocolError } from '../errors.ts';
import { batchOffsets } from './batch-header.ts';
import { decodeRecordBatch, encodeRecordBatch } from './record-batch.ts';
import { splitBatches } from './split-batches.ts';

async function batchAt(baseOffset: bigint, values: string[]): Promise<Buffer> {
  return encodeRecordBatch({
    baseOffset,
    baseTimestamp: 1n,
    records: values.map((v, offsetDelta) => ({
      offsetDelta,
      timestampDelta: 0n,
      key: null,
      value: Buffer.from(v),
      headers: [],
    })),
  });
}

describe('splitBatches', () => {
  it('splitBatches() returns each batch of a concatenation as a view, in order', async () => {
    const parts = [
      await batchAt(0n, ['a', 'b']),
      await batchAt(2n, ['c']),
      await batchAt(3n, ['d', 'e', 'f']),
    ];
    const { batches, partialBytes, partialBatchBytes } = splitBatches(Buffer.concat(parts));
    assert.deepEqual(batches, parts);
    assert.deepEqual(
      batches.map((b) => decodeRecordBatch(b).header.baseOffset),
      [0n, 2n, 3n],
    );
    assert.equal(partialBytes, 0);
    assert.equal(partialBatchBytes, null);
  });

  it('splitBatches() reports a trailing partial batch with its full size, as a Fetch response may end', async () => {
    const whole = await batchAt(0n, ['a']);
    const cutShort = await batchAt(1n, ['a much longer value that did not fit']);
    const { batches, partialBytes, partialBatchBytes } = splitBatches(
      Buffer.concat([whole, cutShort.subarray(0, 30)]),
    );
    assert.deepEqual(batches, [whole]);
    assert.equal(partialBytes, 30);
    assert.equal(partialBatchBytes, cutShort.length);
  });

  it('splitBatches() reports a tail too short to hold a batch length as partial of unknown size', async () => {
    const whole = await batchAt(0n, ['a']);
    const { batches, partialBytes, partialBatchBytes } = splitBatches(
      Buffer.concat([whole, Buffer.alloc(7)]),
    );
    assert.equal(batches.length, 1);
    assert.equal(partialBytes, 7);
    assert.equal(partialBatchBytes, null);
  });

  it('splitBatches() returns nothing for an empty records field', () => {
    assert.deepEqual(splitBatches(Buffer.alloc(0)), {
      batches: [],
      partialBytes: 0,
      partialBatchBytes: null,
    });
  });

  it('splitBatches() rejects a batchLength too small for a header, naming it and its position', async () => {
    const first = await batchAt(0n, ['a']);
    const second = await batchAt(1n, ['b']);
    second.writeInt32BE(20, batchOffsets.batchLength);
    assert.throws(
      () => splitBatches(Buffer.concat([first, second])),
      (error) => isProtocolError(error) && /batchLength 20 at byte \d+/.test(error.message),
    );
  });
});
