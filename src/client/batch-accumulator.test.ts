import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type AccumulatedRecord, BatchAccumulator, estimateRecordBytes } from './batch-accumulator.ts';

function record(bytes: number): AccumulatedRecord {
  return { key: null, value: Buffer.alloc(0), headers: [], timestamp: 0n, bytes };
}

const always = () => true;

describe('BatchAccumulator', () => {
  it('holds an open batch until it lingers long enough, then drains it', () => {
    const acc = new BatchAccumulator({ batchBytes: 1000, lingerMs: 10, bufferBytesMax: 10_000 });
    acc.append('t', 0, record(10), 100);
    assert.deepEqual(acc.drain(105, false, always), []);
    assert.equal(acc.nextLingerDueMs(105), 5);
    const [batch, ...rest] = acc.drain(110, false, always);
    assert.equal(rest.length, 0);
    assert.equal(batch?.records.length, 1);
  });

  it('reports a full batch and starts a new one for the next record', () => {
    const acc = new BatchAccumulator({ batchBytes: 100, lingerMs: 1000, bufferBytesMax: 10_000 });
    assert.equal(acc.append('t', 0, record(60), 0), false);
    assert.equal(acc.append('t', 0, record(50), 0), false);
    assert.equal(acc.batchCount, 2);
    // The first batch is followed by another, so it is ready though its linger has not passed.
    const ready = acc.drain(0, false, always);
    assert.deepEqual(
      ready.map((b) => b.bytes),
      [60],
    );
  });

  it('drains at most one batch per partition per call, and only where canSend allows', () => {
    const acc = new BatchAccumulator({ batchBytes: 10, lingerMs: 0, bufferBytesMax: 10_000 });
    acc.append('t', 0, record(10), 0);
    acc.append('t', 0, record(10), 0);
    acc.append('t', 1, record(10), 0);
    const first = acc.drain(0, false, (_t, p) => p === 0);
    assert.deepEqual(
      first.map((b) => b.partition),
      [0],
    );
    assert.deepEqual(
      acc.drain(0, false, always).map((b) => b.partition),
      [0, 1],
    );
  });

  it('puts a retried batch back before newer batches of its partition', () => {
    const acc = new BatchAccumulator({ batchBytes: 10, lingerMs: 0, bufferBytesMax: 10_000 });
    acc.append('t', 0, record(10), 0);
    const [sent] = acc.drain(0, false, always);
    assert.ok(sent);
    acc.append('t', 0, { ...record(10), timestamp: 2n }, 0);
    sent.attempts = 1;
    acc.requeue(sent);
    const [again] = acc.drain(0, false, always);
    assert.equal(again, sent);
  });

  it('counts buffered bytes until a batch is released, and wakes a waiter then', async () => {
    const acc = new BatchAccumulator({ batchBytes: 100, lingerMs: 0, bufferBytesMax: 30 });
    acc.append('t', 0, record(20), 0);
    assert.equal(acc.hasRoomFor(20), false);
    assert.equal(acc.hasRoomFor(10), true);
    const freed = acc.roomFreed();
    const [batch] = acc.drain(0, true, always);
    assert.ok(batch);
    acc.release(batch);
    await freed;
    assert.equal(acc.bufferedBytes, 0);
    assert.equal(acc.hasRoomFor(20), true);
  });

  it('lets a record larger than the whole buffer in when the buffer is empty', () => {
    const acc = new BatchAccumulator({ batchBytes: 10, lingerMs: 0, bufferBytesMax: 30 });
    assert.equal(acc.hasRoomFor(1000), true);
  });

  it('estimates a record at its byte fields plus a fixed overhead', () => {
    const bytes = estimateRecordBytes({
      key: Buffer.alloc(3),
      value: Buffer.alloc(10),
      headers: [{ key: 'ab', value: Buffer.alloc(5) }],
      timestamp: 0n,
    });
    assert.equal(bytes, 24 + 3 + 10 + 4 + 2 + 5);
  });
});
