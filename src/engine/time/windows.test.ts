import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hopping, lastWindowStart, session, tumbling, windowStepMs } from './windows.ts';

test('a tumbling window starts at the multiple of its size at or below the timestamp', () => {
  assert.equal(lastWindowStart(tumbling(10_000), 19_999), 10_000);
  assert.equal(lastWindowStart(tumbling(10_000), 20_000), 20_000);
  assert.equal(lastWindowStart(tumbling(10_000), -1), -10_000);
});

test('a hopping window steps by its slide', () => {
  const spec = hopping(10_000, 2_000);
  assert.equal(lastWindowStart(spec, 13_500), 12_000);
  assert.equal(windowStepMs(spec), 2_000);
});

test('window definitions reject sizes that are not positive integers and slides above the size', () => {
  assert.throws(() => tumbling(0), /sizeMs must be a positive integer of ms, got 0/);
  assert.throws(() => hopping(1000, 2000), /slideMs 2000 exceeds sizeMs 1000/);
  assert.throws(() => session(1.5), /gapMs .* got 1.5/);
});
