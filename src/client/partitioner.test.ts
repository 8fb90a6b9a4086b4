import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Partitioner } from './partitioner.ts';

describe('Partitioner', () => {
  it('sends a keyed record where murmur2 of its key says, in either mode', () => {
    for (const mode of ['sticky', 'roundRobin'] as const) {
      const p = new Partitioner(mode, 100);
      // murmur2('21') & 0x7fffffff is 1173551340, and 1173551340 % 6 is 0.
      assert.equal(p.partition('t', Buffer.from('21'), 6, 10), 1173551340 % 6);
      assert.equal(p.partition('t', Buffer.from('21'), 6, 10), p.partition('u', Buffer.from('21'), 6, 10));
    }
  });

  it('sticks to one partition for null keys until the batch size is used, then moves to another', () => {
    let r = 0;
    const randoms = [0.1, 0.1, 0.7];
    const p = new Partitioner('sticky', 100, () => randoms[r++] ?? 0);
    const first = Array.from({ length: 5 }, () => p.partition('t', null, 4, 20));
    assert.deepEqual(first, [0, 0, 0, 0, 0]);
    // The same random pick as before is moved on by one rather than repeated.
    assert.equal(p.partition('t', null, 4, 20), 1);
  });

  it('cycles through the partitions one record at a time in round-robin mode', () => {
    const p = new Partitioner('roundRobin', 100, () => 0.5);
    const got = Array.from({ length: 6 }, () => p.partition('t', null, 3, 1));
    assert.deepEqual(got, [1, 2, 0, 1, 2, 0]);
  });

  it('refuses a topic without partitions, naming it', () => {
    assert.throws(() => new Partitioner('sticky', 1).partition('empty', null, 0, 1), /'empty': it has 0/);
  });
});
