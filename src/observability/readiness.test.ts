import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Readiness } from './readiness.ts';

test('a readiness with no checks reports not ready', () => {
  assert.equal(new Readiness().report().ready, false);
});

test('readiness is reached only when every expected check is set ready', () => {
  const readiness = new Readiness();
  readiness.expect('storage', 'recovering');
  readiness.expect('listener', 'not listening');
  readiness.set('storage', true, 'recovered 0 partitions');
  assert.equal(readiness.report().ready, false);
  readiness.set('listener', true, 'serving 127.0.0.1:9092');
  const report = readiness.report();
  assert.equal(report.ready, true);
  assert.deepEqual(report.checks.listener, { ready: true, detail: 'serving 127.0.0.1:9092' });
});

test('a check set back to not ready makes the whole report not ready', () => {
  const readiness = new Readiness();
  readiness.set('listener', true, 'serving');
  readiness.set('listener', false, 'closing');
  assert.equal(readiness.report().ready, false);
});
