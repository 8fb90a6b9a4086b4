import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeEndTransactionBatch } from '../protocol/records/control-record.ts';
import { encodeRecordBatch } from '../protocol/records/record-batch.ts';
import { decodeFetchedRecords } from './fetched-records.ts';

async function batch(
  baseOffset: bigint,
  values: string[],
  producerId = -1n,
  transactional = false,
): Promise<Buffer> {
  return encodeRecordBatch({
    baseOffset,
    transactional,
    producerId,
    producerEpoch: producerId < 0n ? -1 : 0,
    baseSequence: producerId < 0n ? -1 : 0,
    baseTimestamp: 1000n,
    records: values.map((v, i) => ({
      offsetDelta: i,
      timestampDelta: BigInt(i),
      key: null,
      value: Buffer.from(v),
      headers: [],
    })),
  });
}

const values = (r: { records: { value: Buffer | null }[] }) => r.records.map((x) => x.value?.toString());

describe('decodeFetchedRecords()', () => {
  it('drops records before the fetch offset and continues after the last batch', async () => {
    const data = Buffer.concat([await batch(10n, ['a', 'b', 'c']), await batch(13n, ['d'])]);
    const got = await decodeFetchedRecords('t', 0, data, 11n, 'read_uncommitted', null);
    assert.deepEqual(values(got), ['b', 'c', 'd']);
    assert.deepEqual(
      got.records.map((r) => r.offset),
      [11n, 12n, 13n],
    );
    assert.equal(got.nextOffset, 14n);
    assert.equal(got.records[0]?.timestamp, 1001n);
  });

  it('ignores a partial batch at the end and leaves the next offset before it', async () => {
    const whole = await batch(0n, ['a']);
    const next = await batch(1n, ['b']);
    const got = await decodeFetchedRecords(
      't',
      0,
      Buffer.concat([whole, next.subarray(0, 20)]),
      0n,
      'read_uncommitted',
      null,
    );
    assert.deepEqual(values(got), ['a']);
    assert.equal(got.nextOffset, 1n);
  });

  it('skips aborted transactional batches and all control batches under read_committed', async () => {
    const data = Buffer.concat([
      await batch(0n, ['committed-1'], 7n, true),
      await encodeEndTransactionBatch({
        type: 'commit',
        producerId: 7n,
        producerEpoch: 0,
        coordinatorEpoch: 0,
        timestamp: 0n,
        baseOffset: 1n,
      }),
      await batch(2n, ['aborted-1', 'aborted-2'], 8n, true),
      await batch(4n, ['plain'], -1n, false),
      await encodeEndTransactionBatch({
        type: 'abort',
        producerId: 8n,
        producerEpoch: 0,
        coordinatorEpoch: 0,
        timestamp: 0n,
        baseOffset: 5n,
      }),
      await batch(6n, ['after-abort'], 8n, true),
    ]);
    const aborted = [{ producerId: 8n, firstOffset: 2n }];
    const committed = await decodeFetchedRecords('t', 0, data, 0n, 'read_committed', aborted);
    // Producer 8's batch at 6 belongs to a later transaction, not the aborted one.
    assert.deepEqual(values(committed), ['committed-1', 'plain', 'after-abort']);
    assert.equal(committed.nextOffset, 7n);
    const all = await decodeFetchedRecords('t', 0, data, 0n, 'read_uncommitted', aborted);
    assert.deepEqual(values(all), ['committed-1', 'aborted-1', 'aborted-2', 'plain', 'after-abort']);
  });
});
