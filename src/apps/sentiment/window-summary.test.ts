import assert from 'node:assert/strict';
import { test } from 'node:test';
import { trendAlert, worstMessageAlert } from './alerts.ts';
import type { ScoredMessage } from './records.ts';
import { addToSummary, mergeSummaries, sentimentPointOf, windowSummaryAggregator } from './window-summary.ts';

function scored(id: string, score: number, label: ScoredMessage['label']): ScoredMessage {
  return {
    source: 'slack',
    channel: 'c',
    user: 'u',
    text: `text ${id}`,
    id,
    timestampMs: 1_000,
    keyword: 'azure',
    score,
    label,
  };
}

const messages = [
  scored('a', 0.6, 'positive'),
  scored('b', -0.4, 'negative'),
  scored('c', 0, 'neutral'),
  scored('d', -0.8, 'negative'),
  scored('e', -0.4, 'negative'),
];

test('a window summary counts labels, sums scores and keeps the most negative samples', () => {
  const aggregator = windowSummaryAggregator();
  const summary = messages.reduce(
    (s, m) =>
      aggregator.add(s, m, {
        key: null,
        value: m,
        timestamp: 0,
        headers: [],
        topic: 't',
        partition: 0,
        offset: 0,
      }),
    aggregator.init(),
  );
  assert.deepEqual(
    { ...summary, samples: summary.samples.map((s) => s.text) },
    {
      messages: 5,
      positive: 1,
      negative: 3,
      neutral: 1,
      scoreSum: 0.6 - 0.4 + 0 - 0.8 - 0.4,
      samples: ['text d', 'text b', 'text e'],
    },
  );
  const point = sentimentPointOf({ keyword: 'azure', windowStartMs: 0, windowEndMs: 10, summary });
  assert.equal(point.meanScore, -0.2);
  assert.equal(point.messages, 5);
});

test('samples do not depend on arrival order, and merging equals adding', () => {
  const aggregator = windowSummaryAggregator();
  const forward = messages.reduce(addToSummary, aggregator.init());
  const backward = [...messages].reverse().reduce(addToSummary, aggregator.init());
  assert.deepEqual(backward.samples, forward.samples);
  const merged = mergeSummaries(
    messages.slice(0, 2).reduce(addToSummary, aggregator.init()),
    messages.slice(2).reduce(addToSummary, aggregator.init()),
  );
  assert.deepEqual(merged.samples, forward.samples);
  assert.equal(merged.messages, forward.messages);
});

test('alert ids come from their cause only', () => {
  const summary = messages.reduce(addToSummary, windowSummaryAggregator().init());
  const rule = { minMessages: 1, meanScoreMax: -0.1, recoverMeanScoreMin: 0 };
  const a = trendAlert({ keyword: 'azure', windowStartMs: 0, windowEndMs: 60_000, summary }, rule);
  assert.equal(a.id, 'negative-trend:azure:0-60000');
  assert.equal(a.kind, 'negative-trend');
  assert.deepEqual(a.samples, ['text d', 'text b', 'text e']);
  assert.match(a.summary, /Negative trend for 'azure': mean sentiment -0\.20 over 5 messages/);
  const window = { keyword: 'azure', windowStartMs: 0, windowEndMs: 60_000, summary };
  const worst = summary.samples[0];
  assert.ok(worst !== undefined);
  const m = worstMessageAlert(window, worst.score);
  assert.ok(m !== null);
  assert.equal(m.id, `negative-message:azure:${worst.ref}`);
  assert.deepEqual([m.messages, m.meanScore, m.samples], [1, worst.score, [worst.text]]);
  assert.equal(worstMessageAlert(window, worst.score - 0.01), null, 'nothing at or below the bound');
});
