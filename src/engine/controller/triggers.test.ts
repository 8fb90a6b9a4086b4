// Micro-batch triggers on an injected clock, and the output modes they emit, in-thread.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CompletedCheckpoint } from '../checkpoint/checkpoint.ts';
import { CollectSink } from '../connector/collect-sink.ts';
import { PushSource } from '../connector/push-source.ts';
import { Job } from '../dsl/job.ts';
import type { OutputMode } from '../operators/operator.ts';
import { type RunJobOptions, startJob } from '../run-job.ts';
import { ManualClock } from '../time/clock.ts';
import { tumbling } from '../time/windows.ts';

interface Click {
  user: string;
  at: number;
}

function countsJob(windowed: boolean) {
  const job = new Job('counts');
  const source = new PushSource<null, Click>('clicks', 1, 1000);
  const sink = new CollectSink<unknown, string>('out', 1000);
  const keyed = job
    .source(source, { timestamp: (c) => c.at, watermark: { outOfOrdernessMs: 0, idleTimeoutMs: 1e9 } })
    .keyBy((c) => c.user);
  if (windowed)
    keyed
      .window(tumbling(10))
      .count()
      .map((w) => `${w.key}@${w.windowStartMs}=${w.result}`)
      .to(sink);
  else
    keyed
      .count()
      .map((n, r) => `${String(r.key)}=${n}`)
      .to(sink);
  return { job, source, sink };
}

const clicks = (...list: Array<[string, number]>) =>
  list.map(([user, at]) => ({ key: null, value: { user, at }, timestamp: at }));

/** Starts a job and returns a function that waits for its n-th stored checkpoint. */
async function start(job: Job, options: RunJobOptions) {
  const seen: CompletedCheckpoint[] = [];
  const waiters: Array<() => void> = [];
  const running = await startJob(job, {
    ...options,
    onCheckpoint: (c) => {
      seen.push(c);
      for (const w of waiters.splice(0)) w();
    },
  });
  const checkpoint = async (n: number) => {
    while (seen.length < n) await new Promise<void>((resolve) => waiters.push(resolve));
    return seen[n - 1]!;
  };
  return { running, seen, checkpoint };
}

async function batchesOf(mode: OutputMode) {
  const clock = new ManualClock(0);
  const { job, source, sink } = countsJob(false);
  source.push(0, clicks(['a', 1], ['b', 2], ['a', 3]));
  const { running, seen, checkpoint } = await start(job, {
    clock,
    outputMode: mode,
    trigger: { processingTime: '1 second' },
  });
  await checkpoint(1);
  const first = sink.values().splice(0);
  sink.records.length = 0;
  source.push(0, clicks(['a', 4]));
  clock.advance(999);
  await new Promise((resolve) => setTimeout(resolve, 100)); // room for a wrong early trigger
  assert.equal(seen.length, 1, 'no batch before the interval has passed');
  clock.advance(1);
  await checkpoint(2);
  const second = sink.values();
  running.stop();
  assert.equal((await running.done).state, 'stopped');
  assert.deepEqual(
    seen.map((c) => c.takenAtMs),
    [0, 1000],
    'batches ran at 0 and at the 1 s boundary',
  );
  return { first, second };
}

test('update mode emits each changed key once per micro-batch, on the processing-time schedule', async () => {
  const { first, second } = await batchesOf('update');
  assert.deepEqual(first.sort(), ['a=2', 'b=1']);
  assert.deepEqual(second, ['a=3']);
});

test('complete mode emits the whole result table at every micro-batch', async () => {
  const { first, second } = await batchesOf('complete');
  assert.deepEqual(first.sort(), ['a=2', 'b=1']);
  assert.deepEqual(second.sort(), ['a=3', 'b=1']);
});

test('append mode emits each window once, when the watermark passes its end', async () => {
  const clock = new ManualClock(0);
  const { job, source, sink } = countsJob(true);
  source.push(0, clicks(['a', 1], ['a', 5], ['a', 12]));
  const { running, checkpoint } = await start(job, {
    clock,
    outputMode: 'append',
    trigger: { processingTime: '1 second' },
  });
  await checkpoint(1);
  assert.deepEqual(sink.values(), ['a@0=2'], 'window [0,10) closed at watermark 11; [10,20) is open');
  source.push(0, clicks(['a', 15], ['a', 31]));
  source.end();
  clock.advance(1000);
  assert.equal((await running.done).state, 'finished');
  assert.deepEqual(sink.values(), ['a@0=2', 'a@10=2', 'a@30=1']);
});

test('once runs one micro-batch of what is available and stops', async () => {
  const { job, source, sink } = countsJob(false);
  source.push(0, clicks(['a', 1], ['b', 2], ['a', 3]));
  const { running, seen } = await start(job, { outputMode: 'update', trigger: { once: true } });
  const result = await running.done;
  assert.equal(result.state, 'stopped');
  assert.equal(seen.length, 1);
  assert.deepEqual(sink.values().sort(), ['a=2', 'b=1']);
});

test('availableNow reads everything in batches of the given size, then stops', async () => {
  const { job, source, sink } = countsJob(false);
  source.push(0, clicks(['a', 1], ['b', 2], ['a', 3], ['a', 4], ['b', 5]));
  const { running, seen } = await start(job, {
    outputMode: 'update',
    trigger: { availableNow: true, recordsPerBatch: 2 },
  });
  assert.equal((await running.done).state, 'stopped');
  // Batches of 2, 2 and 1 records, then one that finds nothing new; update mode emits a key
  // once per batch, so batch 2 (a, a) gives a=3 alone.
  assert.equal(seen.length, 4);
  assert.deepEqual(sink.values(), ['a=1', 'b=1', 'a=3', 'b=2']);
});

test('continuous mode checkpoints while records flow and finishes bounded input', async () => {
  const { job, source, sink } = countsJob(true);
  source.push(0, clicks(['a', 1], ['a', 12]));
  source.end();
  const { running, seen } = await start(job, { trigger: { continuous: '20 ms' } });
  const result = await running.done;
  assert.equal(result.state, 'finished');
  assert.equal(seen.at(-1)?.finished, true, 'the last checkpoint marks the job finished');
  assert.deepEqual(sink.values(), ['a@0=1', 'a@10=1']);
});
