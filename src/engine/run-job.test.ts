import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readCommittedJsonl } from '../connectors/file/jsonl-transactional-sink.ts';
import { EngineError } from './engine-error.ts';
import { runJob, startJob } from './run-job.ts';
import { countEvents, type WindowedCountsParams } from './test-jobs/windowed-counts.ts';

const dir = mkdtempSync(join(tmpdir(), 'sluice-run-job-'));
const input = join(dir, 'events.jsonl');
const eventCount = 20_000;
writeFileSync(input, countEvents(eventCount));
const module = new URL('./test-jobs/windowed-counts.ts', import.meta.url).href;
const ref = (params: WindowedCountsParams) => ({ module, params });

let expected: string[] | null = null;
async function expectedOutput(): Promise<string[]> {
  if (expected !== null) return expected;
  const output = join(dir, 'in-thread');
  const result = await runJob(ref({ input, output }), { executors: 1, parallelism: 2 });
  assert.equal(result.state, 'finished');
  expected = (await readCommittedJsonl(output)).sort();
  return expected;
}

test('a job on 2 worker threads gives the same results as in-thread', async () => {
  const output = join(dir, 'workers');
  const running = await startJob(ref({ input, output }), { executors: 2, parallelism: 2 });
  assert.equal(running.executors, 2);
  const result = await running.done;
  assert.equal(result.state, 'finished');
  const rows = (await readCommittedJsonl(output)).sort();
  assert.equal(rows.length, 13 * (eventCount / 100));
  assert.deepEqual(rows, await expectedOutput());
  const windows = result.metrics.operators.filter((o) => o.name.startsWith('window'));
  assert.deepEqual(
    windows.map((o) => o.executor).sort(),
    [0, 1],
    'the two window tasks ran on different executors',
  );
  assert.equal(
    windows.reduce((n, o) => n + o.recordsIn, 0),
    eventCount,
    'every event crossed the shuffle once',
  );
});

test('a task that throws fails the job naming the operator and the record position', async () => {
  await assert.rejects(
    runJob(ref({ input, output: join(dir, 'failing'), failOnUser: 'u5' }), { executors: 2, parallelism: 2 }),
    (e: unknown) =>
      e instanceof EngineError &&
      e.code === 'task_failed' &&
      /Operator 'map#1'/.test(e.message) &&
      /events\.jsonl partition 0 offset \d+/.test(e.message) &&
      /user u5 is not allowed/.test(e.message),
  );
});

test('killing a worker after a checkpoint and restarting gives every result exactly once', async () => {
  const output = join(dir, 'killed');
  const checkpointDir = join(dir, 'killed-checkpoints');
  const options = {
    executors: 2,
    parallelism: 2,
    checkpointDir,
    // Micro-batches of 2000 events: checkpoint 2 covers exactly the first 4000.
    trigger: { availableNow: true as const, recordsPerBatch: 2000 },
  };
  let killedAfter = 0;
  const first = await startJob(ref({ input, output }), {
    ...options,
    // Stored but not yet committed: the kill lands between the two phases of the commit.
    onCheckpoint: async (checkpoint) => {
      if (checkpoint.id !== 2) return;
      killedAfter = checkpoint.id;
      await first.terminateExecutor(1);
    },
  });
  await assert.rejects(first.done, (e: unknown) => e instanceof EngineError && e.code === 'executor_failed');
  assert.equal(killedAfter, 2);
  const partial = await readCommittedJsonl(output);
  assert.ok(partial.length < (await expectedOutput()).length, 'the first run did not finish');

  const second = await runJob(ref({ input, output }), options);
  assert.equal(second.state, 'finished');
  assert.deepEqual((await readCommittedJsonl(output)).sort(), await expectedOutput());
});
