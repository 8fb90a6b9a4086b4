import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ColumnRing } from './column-ring.ts';

const KINDS = { t: 'f64', v: 'f64', flag: 'u8' } as const;

test('ColumnRing keeps the newest capacityMax rows in time order, growing only as needed', () => {
  const ring = new ColumnRing(KINDS, 't', 40);
  assert.ok(ring.bytes < 40 * 17, `starts small, got ${ring.bytes} bytes`);
  for (let i = 0; i < 100; i++) assert.equal(ring.push({ t: i, v: i * 10, flag: i % 2 }), 'appended');
  assert.equal(ring.length, 40);
  assert.deepEqual(
    ring.column('t'),
    Array.from({ length: 40 }, (_, i) => 60 + i),
  );
  assert.deepEqual(ring.column('v').slice(0, 2), [600, 610]);
  assert.equal(ring.bytes, 40 * 17);
});

test('ColumnRing replaces a row at the newest time and refuses older rows', () => {
  const ring = new ColumnRing(KINDS, 't', 8);
  ring.push({ t: 1, v: 1, flag: 0 });
  ring.push({ t: 2, v: 2, flag: 0 });
  assert.equal(ring.push({ t: 2, v: 20, flag: 1 }), 'replaced');
  assert.equal(ring.push({ t: 1, v: 99, flag: 0 }), 'refused');
  assert.deepEqual(ring.column('v'), [1, 20]);
  assert.deepEqual(ring.column('flag'), [0, 1]);
});

test('ColumnRing.setAt() changes the row at a time still kept, and nothing otherwise', () => {
  const ring = new ColumnRing(KINDS, 't', 4);
  for (let i = 0; i < 6; i++) ring.push({ t: i, v: 0, flag: 0 });
  assert.equal(ring.setAt(3, 'flag', 1), true);
  assert.equal(ring.setAt(0, 'flag', 1), false, 'row 0 was dropped');
  assert.equal(ring.setAt(7, 'flag', 1), false);
  assert.deepEqual(ring.column('flag'), [0, 1, 0, 0]);
});

test('ColumnRing refuses a bound that is not a positive integer, naming it', () => {
  assert.throws(() => new ColumnRing(KINDS, 't', 0), /capacityMax must be a positive integer, got 0/);
});
