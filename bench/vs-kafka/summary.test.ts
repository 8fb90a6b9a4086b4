import assert from 'node:assert/strict';
import { test } from 'node:test';
import { replaceMarkedSection, spread, summarize } from './summary.ts';

test('spread() gives min, median and max, ignoring failed (NaN) rounds', () => {
  assert.deepEqual(spread([3, 1, 2]), { min: 1, median: 2, max: 3 });
  assert.deepEqual(spread([4, 1, Number.NaN, 2, 3]), { min: 1, median: 2.5, max: 4 });
});

test('summarize() takes the Sluice/Kafka ratio within each round, not of the medians', () => {
  const spec = { name: 'x', kind: 'produce', unit: 'records/s', higherIsBetter: true, what: 'x' } as const;
  const [figure] = summarize(
    [spec],
    [
      { sluice: { x: 10 }, kafka: { x: 5 } },
      { sluice: { x: 1 }, kafka: { x: 1 } },
      { sluice: { x: 30 }, kafka: { x: 10 } },
    ],
  );
  assert.deepEqual(figure?.ratio, { min: 1, median: 2, max: 3 });
  assert.deepEqual(figure?.sluice, { min: 1, median: 10, max: 30 });
});

test('replaceMarkedSection() replaces between the markers, or appends them once', () => {
  const first = replaceMarkedSection('# B\n', 't', 'one');
  assert.equal(first, '# B\n\n<!-- t:begin -->\none\n<!-- t:end -->\n');
  assert.equal(replaceMarkedSection(first, 't', 'two'), '# B\n\n<!-- t:begin -->\ntwo\n<!-- t:end -->\n');
});
