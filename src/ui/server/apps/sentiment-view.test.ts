import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureAlert, fixturePoint, fixtureScored } from '../../testing/apps-fixture.ts';
import { SentimentView } from './sentiment-view.ts';

const limits = { keywordsMax: 2, pointsPerKeywordMax: 4, alertsMax: 2, scoredMessagesMax: 3 };

test('SentimentView keeps at most pointsPerKeywordMax points of at most keywordsMax keywords', () => {
  const view = new SentimentView(limits);
  for (let i = 0; i < 6; i++)
    for (const k of ['kafka', 'sluice', 'bitcoin']) view.addPoint(fixturePoint(k, i));
  assert.deepEqual(
    view.keywords().map((k) => [k.keyword, k.points]),
    [
      ['kafka', 4],
      ['sluice', 4],
    ],
  );
  assert.equal(view.stats.droppedKeywordPoints, 6);
  const timeline = view.timeline('kafka');
  assert.deepEqual(
    timeline?.windowStartMs,
    [2, 3, 4, 5].map((i) => fixturePoint('kafka', i).windowStartMs),
  );
  assert.equal(view.timeline('bitcoin'), undefined);
});

test('SentimentView replaces a revised window, refuses an older one and sums messages', () => {
  const view = new SentimentView(limits);
  view.addPoint(fixturePoint('kafka', 0));
  view.addPoint(fixturePoint('kafka', 1));
  view.addPoint({ ...fixturePoint('kafka', 1), messages: 50, meanScore: -0.25 });
  view.addPoint(fixturePoint('kafka', 0));
  const [summary] = view.keywords();
  assert.equal(summary?.points, 2);
  assert.equal(summary?.messages, fixturePoint('kafka', 0).messages + 50);
  assert.equal(summary?.lastMeanScore, -0.25);
  assert.equal(view.stats.outOfOrderPoints, 1);
});

test('SentimentView keeps alerts and scored messages once each, newest first, bounded', () => {
  const view = new SentimentView(limits);
  const seen: string[] = [];
  view.on({ alert: (a) => seen.push(a.id) });
  view.addAlert(fixtureAlert('kafka', 1));
  view.addAlert(fixtureAlert('kafka', 1));
  view.addAlert(fixtureAlert('kafka', 2));
  view.addAlert(fixtureAlert('sluice', 3));
  assert.equal(seen.length, 3);
  assert.deepEqual(
    view.alerts(10).map((a) => a.id),
    [fixtureAlert('sluice', 3).id, fixtureAlert('kafka', 2).id],
  );
  assert.equal(view.alerts(10, 'kafka').length, 1);
  for (let i = 0; i < 5; i++) view.addScored(fixtureScored('kafka', i));
  view.addScored(fixtureScored('kafka', 4));
  assert.deepEqual(
    view.scored(10).map((m) => m.id),
    ['kafka-4', 'kafka-3', 'kafka-2'],
  );
});

test('SentimentView skips records without the contract shape, counting them', () => {
  const view = new SentimentView(limits);
  view.addPoint({ keyword: 'kafka' });
  view.addAlert({ ...fixtureAlert('kafka', 0), kind: 'meh' });
  view.addAlert({ ...fixtureAlert('kafka', 0), samples: [1] });
  view.addScored({ ...fixtureScored('kafka', 0), label: 'angry' });
  assert.equal(view.stats.malformed, 4);
  assert.deepEqual(view.keywords(), []);
});
