import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KeyedRing } from './keyed-ring.ts';

test('KeyedRing keeps the last items once each, newest first, and forgets dropped keys', () => {
  const ring = new KeyedRing<{ id: string; n: number }>(3, (x) => x.id);
  assert.equal(ring.add({ id: 'a', n: 1 }), true);
  assert.equal(ring.add({ id: 'a', n: 2 }), false, 'a repeat is not kept twice');
  for (const id of ['b', 'c', 'd']) ring.add({ id, n: 0 });
  assert.deepEqual(
    ring.newest(10).map((x) => x.id),
    ['d', 'c', 'b'],
  );
  assert.equal(ring.add({ id: 'a', n: 3 }), true, 'a was dropped, so it is new again');
  assert.deepEqual(
    ring.newest(2, (x) => x.id !== 'd').map((x) => x.id),
    ['a', 'c'],
  );
});
