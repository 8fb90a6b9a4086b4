import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EngineError } from '../engine-error.ts';
import { ManualClock } from '../time/clock.ts';
import { keyId } from './key-id.ts';
import { KeyedStateStore } from './keyed-state-store.ts';
import { StateBudget } from './state-budget.ts';
import { TimerHeap } from './timer-heap.ts';

function store(budgetBytes = 1_000_000, clock = new ManualClock(0)) {
  const budget = new StateBudget(budgetBytes);
  return { s: new KeyedStateStore('op', budget, clock), budget, clock };
}

test('value state is separate per current key', () => {
  const { s } = store();
  const count = s.value<number>('count', Number.POSITIVE_INFINITY);
  s.setCurrentKey(keyId('a'), 'a');
  count.set(1);
  s.setCurrentKey(keyId('b'), 'b');
  assert.equal(count.get(), undefined);
  count.set(7);
  s.setCurrentKey(keyId('a'), 'a');
  assert.equal(count.get(), 1);
});

test('list and map state keep their items and release their bytes when cleared', () => {
  const { s, budget } = store();
  const list = s.list<string>('l', Number.POSITIVE_INFINITY);
  const map = s.map<string, number>('m', Number.POSITIVE_INFINITY);
  s.setCurrentKey(keyId(1), 1);
  list.add('x');
  list.add('y');
  map.set('p', 1);
  map.set('p', 2);
  map.set('q', 3);
  assert.deepEqual(list.get(), ['x', 'y']);
  assert.deepEqual(
    [...map.entries()],
    [
      ['p', 2],
      ['q', 3],
    ],
  );
  assert.ok(budget.bytesUsed > 0);
  list.clear();
  map.clear();
  assert.equal(budget.bytesUsed, 0);
});

test('an entry expires ttlMs after its last write', () => {
  const { s, clock, budget } = store();
  const v = s.value<string>('v', 100);
  s.setCurrentKey(keyId('k'), 'k');
  v.set('hello');
  clock.advance(99);
  assert.equal(v.get(), 'hello');
  clock.advance(1);
  assert.equal(v.get(), undefined);
  assert.equal(budget.bytesUsed, 0);
});

test('sweepExpired() drops expired entries of keys nobody reads again', () => {
  const { s, clock } = store();
  const v = s.value<number>('v', 10);
  for (let k = 0; k < 5; k++) {
    s.setCurrentKey(keyId(k), k);
    v.set(k);
  }
  clock.advance(10);
  assert.equal(s.sweepExpired(3), 3);
  assert.equal(s.sweepExpired(100), 2);
});

test('a write beyond the byte budget fails with the state named and leaves the list unchanged', () => {
  const { s } = store(300);
  const list = s.list<string>('big', Number.POSITIVE_INFINITY);
  s.setCurrentKey(keyId('k'), 'k');
  list.add('a');
  assert.throws(
    () => list.add('x'.repeat(200)),
    (e: unknown) =>
      e instanceof EngineError && e.code === 'state_budget_exceeded' && /'op\.big'/.test(e.message),
  );
  assert.deepEqual(list.get(), ['a']);
});

test('a snapshot restores into a fresh store with the same values', () => {
  const { s } = store();
  const v = s.value<{ n: number }>('v', Number.POSITIVE_INFINITY);
  s.setCurrentKey(keyId('k'), 'k');
  v.set({ n: 3 });
  const saved = structuredClone(s.snapshot());
  const { s: fresh, budget } = store();
  const v2 = fresh.value<{ n: number }>('v', Number.POSITIVE_INFINITY);
  fresh.restore(saved);
  fresh.setCurrentKey(keyId('k'), 'k');
  assert.deepEqual(v2.get(), { n: 3 });
  assert.ok(budget.bytesUsed > 0);
});

test('timers pop in time order, then registration order, and duplicates are ignored', () => {
  const heap = new TimerHeap('op');
  assert.equal(heap.add(30, 'a', 'a'), true);
  heap.add(10, 'b', 'b');
  heap.add(10, 'c', 'c');
  assert.equal(heap.add(10, 'b', 'b'), false);
  heap.add(20, 'd', 'd');
  heap.delete(20, 'd');
  const fired: string[] = [];
  for (let t = heap.popDue(25); t !== undefined; t = heap.popDue(25)) fired.push(`${t.timeMs}${t.keyId}`);
  assert.deepEqual(fired, ['10b', '10c']);
  const restored = new TimerHeap('op');
  restored.restore(heap.snapshot());
  assert.equal(restored.popDue(100)?.keyId, 'a');
});
