import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CollectSink } from '../connector/collect-sink.ts';
import { PushSource } from '../connector/push-source.ts';
import { Job } from '../dsl/job.ts';
import type { Windowed } from '../operators/windowed.ts';
import { ManualClock } from '../time/clock.ts';
import { tumbling } from '../time/windows.ts';
import { LocalRuntime } from './local-runtime.ts';

interface Click {
  user: string;
  at: number;
}

function clicksJob(partitions: number, idleTimeoutMs: number) {
  const job = new Job('clicks');
  const source = new PushSource<null, Click>('clicks', partitions, 10_000);
  const sink = new CollectSink<string, Windowed<string, number>>('out', 10_000);
  job
    .source(source, { timestamp: (c) => c.at, watermark: { outOfOrdernessMs: 0, idleTimeoutMs } })
    .keyBy((c) => c.user)
    .window(tumbling(10))
    .count()
    .to(sink);
  return { job, source, sink };
}

const click = (user: string, at: number) => ({ key: null, value: { user, at }, timestamp: at });
const rows = (sink: CollectSink<string, Windowed<string, number>>) =>
  sink.values().map((w) => `${w.key}@${w.windowStartMs}=${w.result}`);

test('a keyed tumbling count over a bounded push source closes every window at the end', async () => {
  const { job, source, sink } = clicksJob(2, 1000);
  source.push(0, [click('a', 1), click('b', 2), click('a', 12)]);
  source.push(1, [click('a', 3), click('b', 25)]);
  source.end();
  await new LocalRuntime(job, { parallelism: 3 }).run();
  assert.deepEqual(rows(sink).sort(), ['a@0=2', 'a@10=1', 'b@0=1', 'b@20=1']);
});

test('windows fire only once the slowest partition has passed them, unless it turns idle', async () => {
  const clock = new ManualClock(0);
  const { job, source, sink } = clicksJob(2, 100);
  const runtime = new LocalRuntime(job, { clock });
  source.push(0, [click('a', 1), click('a', 30)]);
  await runtime.pumpUntilQuiet();
  assert.deepEqual(rows(sink), [], 'partition 1 has no watermark yet, so nothing may fire');
  clock.advance(100);
  await runtime.pumpUntilQuiet();
  assert.deepEqual(rows(sink), ['a@0=1'], 'idle partition 1 no longer holds the watermark back');
  source.push(1, [click('b', 35)]);
  source.end();
  await runtime.run();
  assert.deepEqual(rows(sink), ['a@0=1', 'a@30=1', 'b@30=1']);
});
