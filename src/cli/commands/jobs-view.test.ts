import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDuration, type JobView, recordsThrough, watermarkLagMs } from './jobs-view.ts';

function job(overrides: Partial<JobView>): JobView {
  return {
    name: 'j',
    description: 'test',
    state: 'running',
    plan: null,
    executors: 1,
    startedAtMs: 0,
    endedAtMs: null,
    error: null,
    stateBytes: 0,
    counters: {},
    operators: [],
    tasks: [],
    checkpoints: [],
    ...overrides,
  };
}

const task = (key: string, watermarkMs: number | null, idle = false, ended = false) => ({
  key,
  executor: 0,
  watermarkMs,
  idle,
  ended,
  backpressureMs: 0,
});

const operator = (name: string, recordsIn: number, recordsOut: number) => ({
  name,
  task: 0,
  executor: 0,
  recordsIn,
  recordsOut,
  batches: 1,
  batchMsAvg: 0,
  batchMsMax: 0,
  recordsInPerSec: 0,
  recordsOutPerSec: 0,
});

describe('jobs view', () => {
  it('formatDuration() picks the two largest units and never shows a negative time', () => {
    assert.deepEqual(
      [-5, 0, 999, 1000, 59_999, 60_000, 185_000, 3_600_000, 7_380_000, 86_400_000 + 7_200_000].map(
        formatDuration,
      ),
      ['0ms', '0ms', '999ms', '1s', '59s', '1m00s', '3m05s', '1h00m', '2h03m', '1d02h'],
    );
  });

  it('watermarkLagMs() measures from the lowest watermark of tasks that hold event time back', () => {
    const tasks = [
      task('0/0', 9_000),
      task('0/1', 2_000, true),
      task('1/0', 7_000),
      task('1/1', 1_000, false, true),
    ];
    assert.equal(watermarkLagMs(job({ tasks }), 10_000), 3_000);
    assert.equal(
      watermarkLagMs(job({ tasks: [task('0/0', 12_000)] }), 10_000),
      0,
      'a watermark ahead of the clock',
    );
    assert.equal(watermarkLagMs(job({ tasks: [task('0/0', null)] }), 10_000), null, 'no watermark yet');
    assert.equal(watermarkLagMs(job({ state: 'stopped', tasks }), 10_000), null, 'a run that ended');
  });

  it('recordsThrough() counts what sources emitted and what sinks received', () => {
    const operators = [
      operator('source:a', 0, 10),
      operator('source:b', 0, 5),
      operator('map#2', 15, 15),
      operator('sink#3', 15, 0),
      operator('sinkhole#4', 99, 99),
    ];
    assert.deepEqual(recordsThrough(job({ operators })), { in: 15, out: 15 });
  });
});
