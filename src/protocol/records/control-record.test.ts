import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isProtocolError } from '../errors.ts';
import {
  decodeControlRecordKey,
  decodeEndTransactionMarker,
  encodeControlRecordKey,
  encodeEndTransactionBatch,
  encodeEndTransactionMarker,
  readEndTransactionMarker,
} from './control-record.ts';
import { decodeRecordBatch, validateRecordBatch } from './record-batch.ts';

describe('control records', () => {
  it('encodeControlRecordKey() writes version 0 then the type as two int16s', () => {
    assert.deepEqual([...encodeControlRecordKey(1)], [0, 0, 0, 1]);
    assert.deepEqual(decodeControlRecordKey(Buffer.from([0, 0, 0, 0])), { version: 0, type: 0 });
  });

  it('encodeEndTransactionMarker() writes version 0 then the coordinator epoch as an int32', () => {
    assert.deepEqual([...encodeEndTransactionMarker(258)], [0, 0, 0, 0, 1, 2]);
    assert.deepEqual(decodeEndTransactionMarker(Buffer.from([0, 0, 0, 0, 1, 2])), {
      version: 0,
      coordinatorEpoch: 258,
    });
  });

  it('encodeEndTransactionBatch() writes a transactional control batch with one commit marker', async () => {
    const buf = await encodeEndTransactionBatch({
      type: 'commit',
      producerId: 77n,
      producerEpoch: 4,
      coordinatorEpoch: 9,
      timestamp: 1_700_000_000_000n,
      baseOffset: 500n,
    });
    assert.ok(validateRecordBatch(buf).ok);
    const batch = decodeRecordBatch(buf);
    assert.equal(batch.control, true);
    assert.equal(batch.transactional, true);
    assert.equal(batch.header.producerId, 77n);
    assert.equal(batch.header.producerEpoch, 4);
    assert.equal(batch.header.baseSequence, -1);
    const [record, ...rest] = await batch.decodeRecords();
    assert.equal(rest.length, 0);
    assert.ok(record);
    assert.deepEqual(readEndTransactionMarker(record), { type: 'commit', version: 0, coordinatorEpoch: 9 });
  });

  it('readEndTransactionMarker() reads an abort marker as abort', async () => {
    const buf = await encodeEndTransactionBatch({
      type: 'abort',
      producerId: 1n,
      producerEpoch: 0,
      coordinatorEpoch: 0,
      timestamp: 0n,
    });
    const [record] = await decodeRecordBatch(buf).decodeRecords();
    assert.equal(record && readEndTransactionMarker(record).type, 'abort');
  });

  it('decodeControlRecordKey() rejects a null or short key, saying which', () => {
    assert.throws(
      () => decodeControlRecordKey(null),
      (error) => isProtocolError(error) && /null/.test(error.message),
    );
    assert.throws(
      () => decodeControlRecordKey(Buffer.from([0, 0, 1])),
      (error) => isProtocolError(error) && /3 bytes/.test(error.message),
    );
  });

  it('decodeEndTransactionMarker() rejects a short value and a negative version', () => {
    assert.throws(() => decodeEndTransactionMarker(Buffer.alloc(5)), isProtocolError);
    assert.throws(
      () => decodeEndTransactionMarker(Buffer.from([0xff, 0xff, 0, 0, 0, 0])),
      (error) => isProtocolError(error) && /version -1/.test(error.message),
    );
  });

  it('readEndTransactionMarker() refuses a control type other than abort or commit, naming it', () => {
    const record = { key: encodeControlRecordKey(3), value: Buffer.alloc(6) };
    assert.throws(
      () => readEndTransactionMarker(record),
      (error) => isProtocolError(error) && /type 3/.test(error.message),
    );
  });
});
