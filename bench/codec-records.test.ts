import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { benchRecordBatches } from './codec-records.ts';

describe('benchRecordBatches', () => {
  it('benchRecordBatches() returns a positive MB/s figure and kafkajs peer for every measurement', async () => {
    const rows = await benchRecordBatches(5);
    assert.equal(rows.length, 5);
    for (const row of rows) {
      assert.equal(row.unit, 'MB/s');
      assert.ok(row.value > 0, `${row.name}: ${row.value}`);
      assert.ok(row.peer !== undefined && row.peer.value > 0, `${row.name} has no peer figure`);
    }
  });
});
