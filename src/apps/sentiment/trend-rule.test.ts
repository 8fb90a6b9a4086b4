import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkTrendRule, nextTrendState, type TrendRule, type TrendState } from './trend-rule.ts';

const rule: TrendRule = { minMessages: 10, meanScoreMax: -0.2, recoverMeanScoreMin: 0 };

/** Runs the rule over windows of [messages, meanScore] from armed; the indexes of the alerts. */
function alertsOver(windows: readonly [number, number][]): number[] {
  let state: TrendState = 'armed';
  const alerts: number[] = [];
  windows.forEach(([messages, meanScore], i) => {
    const decision = nextTrendState(state, { messages, meanScore }, rule);
    if (decision.alert) alerts.push(i);
    state = decision.state;
  });
  return alerts;
}

test('an armed keyword fires on a busy window at or below the threshold', () => {
  assert.deepEqual(nextTrendState('armed', { messages: 10, meanScore: -0.2 }, rule), {
    state: 'fired',
    alert: true,
  });
  assert.deepEqual(nextTrendState('armed', { messages: 10, meanScore: -0.19 }, rule), {
    state: 'armed',
    alert: false,
  });
});

test('a window with fewer than minMessages changes nothing', () => {
  assert.deepEqual(nextTrendState('armed', { messages: 9, meanScore: -1 }, rule), {
    state: 'armed',
    alert: false,
  });
  assert.deepEqual(nextTrendState('fired', { messages: 9, meanScore: 1 }, rule), {
    state: 'fired',
    alert: false,
  });
});

test('one episode of negative windows alerts once; it re-arms only after a recovered window', () => {
  assert.deepEqual(
    alertsOver([
      [20, 0.3],
      [20, -0.5],
      [20, -0.6],
      [30, -0.4],
      [20, 0.2],
    ]),
    [1],
  );
  // Between the thresholds (hysteresis): still the same episode.
  assert.deepEqual(
    alertsOver([
      [20, -0.5],
      [20, -0.1],
      [20, -0.5],
    ]),
    [0],
  );
  // Recovered (>= recoverMeanScoreMin), then a second episode: a second alert.
  assert.deepEqual(
    alertsOver([
      [20, -0.5],
      [20, 0],
      [20, -0.3],
    ]),
    [0, 2],
  );
  // A quiet recovery window with few messages does not re-arm.
  assert.deepEqual(
    alertsOver([
      [20, -0.5],
      [3, 0.9],
      [20, -0.3],
    ]),
    [0],
  );
});

test('checkTrendRule() refuses rules that cannot work', () => {
  assert.equal(checkTrendRule(rule), rule);
  assert.throws(
    () => checkTrendRule({ ...rule, minMessages: 0 }),
    /minMessages must be an integer >= 1, got 0/,
  );
  assert.throws(
    () => checkTrendRule({ ...rule, meanScoreMax: -2 }),
    /meanScoreMax must be within -1..1, got -2/,
  );
  assert.throws(
    () => checkTrendRule({ ...rule, recoverMeanScoreMin: -0.5 }),
    /must be above meanScoreMax -0.2/,
  );
});
