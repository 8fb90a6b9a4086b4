// A job module defined for a broker process (`sluice broker --job`, `sluice demo`) runs with its
// params against the log its run options name: here the embedded broker's own topics.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startBroker } from '../broker/broker.ts';
import { embeddedLog } from '../connectors/embedded/embedded-log.ts';
import { produceEvents, readCommitted } from '../connectors/testing/crash-and-restart.ts';
import { countEvents, type TopicWindowedCountsParams } from '../engine/test-jobs/topic-windowed-counts.ts';
import { JobRegistry } from './job-registry.ts';
import { moduleJob } from './module-job.ts';

const module = fileURLToPath(new URL('../engine/test-jobs/topic-windowed-counts.ts', import.meta.url));

test('a module job starts with its params and reads and writes the log its run options give', async () => {
  const broker = await startBroker();
  const log = embeddedLog(broker);
  const jobs = new JobRegistry();
  try {
    const events = countEvents(500);
    await produceEvents(log, 'clicks', events);
    await log.ensureTopic('click-counts', 2);
    const params: TopicWindowedCountsParams = { input: 'clicks', output: 'click-counts', bounded: true };
    jobs.define(
      moduleJob(module, {
        name: 'click-counts',
        description: 'per user and second, the clicks',
        params,
        runOptions: () => ({ log: broker, executors: 1 }),
      }),
    );
    const started = await jobs.start('click-counts');
    assert.equal(started.description, 'per user and second, the clicks');
    const ended = await jobs.ended('click-counts');
    assert.equal(ended.state, 'finished', ended.error ?? '');
    const counts = (await readCommitted(log, 'click-counts')).map((v) => JSON.parse(v) as { n: number });
    assert.equal(
      counts.reduce((sum, c) => sum + c.n, 0),
      events.length,
      'every click is counted once',
    );
  } finally {
    await jobs.close();
    await log.close();
    await broker.close();
  }
});

test('a module job is named after its file unless given a name', () => {
  assert.equal(moduleJob('/jobs/clicks.ts').name, 'clicks');
  assert.equal(moduleJob('/jobs/clicks.ts').description, '/jobs/clicks.ts');
});
