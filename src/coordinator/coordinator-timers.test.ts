import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CoordinatorTimers, ManualCoordinatorClock } from './coordinator-timers.ts';

test('runDue() fires due timers earliest first and leaves later ones pending', () => {
  const clock = new ManualCoordinatorClock(1000);
  const timers = new CoordinatorTimers(clock, { autoRun: false });
  const fired: string[] = [];
  timers.set('b', 1200, () => fired.push('b'));
  timers.set('a', 1100, () => fired.push('a'));
  timers.set('c', 1300, () => fired.push('c'));
  clock.advance(200);
  assert.equal(timers.runDue(), 2);
  assert.deepEqual(fired, ['a', 'b']);
  assert.equal(timers.size, 1);
  assert.equal(timers.dueMs('c'), 1300);
});

test('set() on an existing key replaces its deadline and the old callback never fires', () => {
  const clock = new ManualCoordinatorClock(0);
  const timers = new CoordinatorTimers(clock, { autoRun: false });
  const fired: string[] = [];
  timers.set('session', 100, () => fired.push('old'));
  timers.set('session', 500, () => fired.push('new'));
  clock.advance(200);
  timers.runDue();
  assert.deepEqual(fired, []);
  clock.advance(300);
  timers.runDue();
  assert.deepEqual(fired, ['new']);
});

test('cancel() and cancelPrefix() remove timers before they fire', () => {
  const clock = new ManualCoordinatorClock(0);
  const timers = new CoordinatorTimers(clock, { autoRun: false });
  const fired: string[] = [];
  timers.set('g1/a', 10, () => fired.push('g1/a'));
  timers.set('g1/b', 10, () => fired.push('g1/b'));
  timers.set('g2/a', 10, () => fired.push('g2/a'));
  timers.cancelPrefix('g1/');
  timers.cancel('missing');
  clock.advance(10);
  timers.runDue();
  assert.deepEqual(fired, ['g2/a']);
});

test('many replacements keep the heap small and the order correct', () => {
  const clock = new ManualCoordinatorClock(0);
  const timers = new CoordinatorTimers(clock, { autoRun: false });
  const fired: number[] = [];
  for (let round = 0; round < 100; round++) {
    for (let k = 0; k < 10; k++) timers.set(`k${k}`, 1000 + round * 10 + k, () => fired.push(k));
  }
  assert.equal(timers.size, 10);
  clock.advance(10_000);
  timers.runDue();
  assert.deepEqual(fired, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('with autoRun a timer fires on its own and close() stops everything', async (t) => {
  // The coordinator's timer is unref'd (it must not keep a process alive), so this test holds
  // the event loop open itself while it waits.
  const keepAlive = setInterval(() => {}, 1000);
  t.after(() => clearInterval(keepAlive));
  const timers = new CoordinatorTimers({ nowMs: () => Date.now() }, { autoRun: true });
  const fired = await new Promise<string>((resolve) => timers.set('x', Date.now() + 5, () => resolve('x')));
  assert.equal(fired, 'x');
  timers.set('y', Date.now() + 5, () => assert.fail('a closed coordinator fired a timer'));
  timers.close();
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.throws(() => timers.set('z', 0, () => {}), /closed/);
});
