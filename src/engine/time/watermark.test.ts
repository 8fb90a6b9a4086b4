import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WatermarkGenerator } from './watermark-generator.ts';
import { WatermarkMerger } from './watermark-merger.ts';

test('a generator trails the newest event time by the bound plus one millisecond', () => {
  const g = new WatermarkGenerator({ outOfOrdernessMs: 5000, idleTimeoutMs: 1000 }, 0);
  assert.equal(g.current(), Number.NEGATIVE_INFINITY);
  g.observe(12_000, 0);
  assert.equal(g.current(), 6999);
  g.observe(8_000, 0);
  assert.equal(g.current(), 6999, 'an older record does not move the watermark back');
});

test('a generator turns idle after the timeout without records and active again on a record', () => {
  const g = new WatermarkGenerator({ outOfOrdernessMs: 0, idleTimeoutMs: 100 }, 0);
  assert.equal(g.isIdle(99), false);
  assert.equal(g.isIdle(100), true);
  g.observe(5, 150);
  assert.equal(g.isIdle(200), false);
  assert.equal(g.idleAtMs(), 250);
});

test('the merged watermark is the minimum of the inputs that are not idle', () => {
  const m = new WatermarkMerger(2);
  assert.equal(m.update(0, 100), Number.NEGATIVE_INFINITY, 'input 1 has no watermark yet');
  assert.equal(m.update(1, 50), 50);
  assert.equal(m.setIdle(1, true), 100, 'an idle input no longer holds back the watermark');
  assert.equal(m.update(1, 70), 100, 'a returning input does not move the watermark back');
  assert.equal(m.update(0, 200), 100);
  assert.equal(m.update(1, 300), 200);
});

test('ended inputs count as +Infinity and an all-idle merger reports idleness', () => {
  const m = new WatermarkMerger(2);
  m.update(0, Number.POSITIVE_INFINITY);
  assert.equal(m.update(1, 10), 10);
  m.setIdle(1, true);
  assert.equal(m.allIdle(), true);
  assert.equal(m.update(1, Number.POSITIVE_INFINITY), Number.POSITIVE_INFINITY);
  assert.equal(m.allIdle(), false);
});
