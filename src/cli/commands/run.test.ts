// `sluice run` end to end: a topic-to-topic job module on an embedded broker through main(), and
// a `sluice run` child process killed with SIGKILL mid-way and run again with the same checkpoint
// directory, whose output topic (read_committed) must equal an uninterrupted run's.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startBroker } from '../../broker/broker.ts';
import { embeddedLog } from '../../connectors/embedded/embedded-log.ts';
import { produceEvents, readCommitted } from '../../connectors/testing/crash-and-restart.ts';
import { runJob } from '../../engine/run-job.ts';
import {
  countEvents,
  type TopicWindowedCountsParams,
  type WindowCount,
} from '../../engine/test-jobs/topic-windowed-counts.ts';
import { runCli } from '../testing/run-cli.ts';

const jobPath = fileURLToPath(new URL('../../engine/test-jobs/topic-windowed-counts.ts', import.meta.url));
const sluiceBin = fileURLToPath(new URL('../../../bin/sluice.js', import.meta.url));

/** The job's results computed directly: per user and 1 s window, the number of events. */
function countsOf(events: ReturnType<typeof countEvents>): string[] {
  const counts = new Map<string, WindowCount>();
  for (const e of events) {
    const start = Math.floor(e.at / 1000) * 1000;
    const id = `${e.value.user}@${start}`;
    const n = counts.get(id)?.n ?? 0;
    counts.set(id, { user: e.value.user, start, n: n + 1 });
  }
  return [...counts.values()].map((c) => JSON.stringify(c)).sort();
}

test('sluice run --embedded runs a job module from an input topic to an output topic on the broker it starts', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sluice-run-embedded-'));
  const events = countEvents(2000);
  try {
    const before = await startBroker({ dataDir });
    const beforeLog = embeddedLog(before);
    await produceEvents(beforeLog, 'events', events);
    await beforeLog.ensureTopic('counts', 2);
    await beforeLog.close();
    await before.close();

    const params: TopicWindowedCountsParams = { input: 'events', output: 'counts', bounded: true };
    const run = await runCli([
      'run',
      jobPath,
      '--embedded',
      '--data-dir',
      dataDir,
      '--parallelism',
      '2',
      '--params',
      JSON.stringify(params),
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /embedded broker at .* \(data in /);
    assert.match(run.stderr, /running on 2 executor\(s\)/);
    assert.match(run.stderr, /^finished in /m);

    const after = await startBroker({ dataDir });
    const afterLog = embeddedLog(after);
    try {
      assert.deepEqual(await readCommitted(afterLog, 'counts'), countsOf(events));
    } finally {
      await afterLog.close();
      await after.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

interface ChildRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

/**
 * Runs `sluice run` in a child process. With `killAfterCheckpoint`, sends SIGKILL as soon as the
 * checkpoint directory holds that checkpoint (polled every 5 ms, bounded: about 30 s).
 */
async function sluiceRun(
  args: string[],
  checkpointDir: string,
  killAfterCheckpoint?: number,
): Promise<ChildRun> {
  const child = spawn(process.execPath, [sluiceBin, 'run', ...args, '--checkpoint-dir', checkpointDir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<ChildRun>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal, stderr }));
  });
  if (killAfterCheckpoint !== undefined) {
    let running = true;
    void exited.then(() => {
      running = false;
    });
    const wanted = `chk-${String(killAfterCheckpoint).padStart(16, '0')}.bin`;
    for (let poll = 0; running && poll < 6000; poll++) {
      if (listCheckpoints(checkpointDir).includes(wanted)) {
        child.kill('SIGKILL');
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  const result = await exited;
  return { ...result, stderr };
}

function listCheckpoints(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

test('a sluice run process killed with SIGKILL and run again on its checkpoint directory commits the output of an uninterrupted run', async () => {
  const broker = await startBroker();
  const log = embeddedLog(broker);
  const checkpointDir = mkdtempSync(join(tmpdir(), 'sluice-run-kill-'));
  const events = countEvents(4000);
  try {
    await produceEvents(log, 'events', events);
    for (const t of ['expected', 'actual']) await log.ensureTopic(t, 2);
    const trigger = { availableNow: true as const, recordsPerBatch: 100 };

    const uninterrupted: TopicWindowedCountsParams = {
      input: 'events',
      output: 'expected',
      groupId: 'expected',
      bounded: true,
    };
    const reference = await runJob(
      { module: jobPath, params: uninterrupted },
      { log: broker, executors: 1, trigger },
    );
    assert.equal(reference.state, 'finished');
    const expected = await readCommitted(log, 'expected');
    assert.deepEqual(expected, countsOf(events));

    const params: TopicWindowedCountsParams = {
      input: 'events',
      output: 'actual',
      groupId: 'actual',
      bounded: true,
    };
    const args = [
      jobPath,
      '--bootstrap',
      broker.bootstrap,
      '--executors',
      '1',
      '--parallelism',
      '2',
      '--trigger',
      'available-now:100',
      '--params',
      JSON.stringify(params),
    ];
    const killed = await sluiceRun(args, checkpointDir, 3);
    assert.equal(killed.signal, 'SIGKILL', `the first run was killed, not ended (${killed.stderr})`);
    const partial = await readCommitted(log, 'actual', false);
    assert.ok(partial.length < expected.length, `the first run stopped early (${partial.length} results)`);

    const resumed = await sluiceRun(args, checkpointDir);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, /^finished in /m);
    assert.deepEqual(await readCommitted(log, 'actual'), expected);
  } finally {
    await log.close();
    await broker.close();
    rmSync(checkpointDir, { recursive: true, force: true });
  }
});
