import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CollectSink } from '../connector/collect-sink.ts';
import { PushSource } from '../connector/push-source.ts';
import { Job } from '../dsl/job.ts';
import { EngineError } from '../engine-error.ts';
import { tumbling } from '../time/windows.ts';
import { describePlan, planPhysical } from './physical-plan.ts';

test('a plan splits stages at shuffles and gives source stages one task per partition', () => {
  const job = new Job('plan');
  const a = job.source(new PushSource<null, number>('a', 4, 10));
  const b = job.source(new PushSource<null, number>('b', 2, 10));
  a.union(b)
    .map((n) => n + 1)
    .keyBy((n) => n % 3)
    .window(tumbling(10))
    .count()
    .to(new CollectSink('out', 10));
  const sourcePartitions = new Map([
    [0, 4],
    [1, 2],
  ]);
  const plan = planPhysical(job.graph, { sourcePartitions, parallelism: null });
  assert.equal(
    describePlan(plan),
    [
      'stage 0 ×4: source:a',
      'stage 1 ×2: source:b',
      'stage 2 ×4: union#2 → map#3 → keyBy#4 ← rebalance from stage 0, rebalance from stage 1',
      'stage 3 ×4: window(tumbling)#5 → sink#6 ← shuffle from stage 2',
    ].join('\n'),
  );
  assert.equal(planPhysical(job.graph, { sourcePartitions, parallelism: 2 }).stages[3]!.parallelism, 2);
});

test('a job without a sink is rejected before it runs', () => {
  const job = new Job('no-sink');
  job.source(new PushSource<null, number>('a', 1, 10)).map((n) => n);
  assert.throws(
    () => planPhysical(job.graph, { sourcePartitions: new Map([[0, 1]]), parallelism: null }),
    (e: unknown) => e instanceof EngineError && /needs at least one sink/.test(e.message),
  );
});
