// The demo runner with a small app of its own (per user and second, the clicks): it starts a
// broker, creates the topics, runs the job against the broker's log, starts the feed, reports
// where the dashboard is, and closes everything on an interrupt; a failing job ends the demo
// with the job's error.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { resolveBrokerConfig } from '../../broker/config.ts';
import { createLogger } from '../../broker/logger.ts';
import { Consumer } from '../../client/consumer.ts';
import { Producer } from '../../client/producer.ts';
import { countEvents, type TopicWindowedCountsParams } from '../../engine/test-jobs/topic-windowed-counts.ts';
import { CliError } from '../command.ts';
import { type DemoApp, type DemoFeed, runDemo } from './demo-runner.ts';

const module = fileURLToPath(new URL('../../engine/test-jobs/topic-windowed-counts.ts', import.meta.url));

function clicksApp(params: TopicWindowedCountsParams, fed: { bootstrap: string | null }): DemoApp {
  return {
    name: 'clicks',
    page: '#/jobs',
    topics: [
      { topic: params.input, partitions: 2 },
      { topic: params.output, partitions: 2 },
    ],
    jobs: [{ name: 'click-counts', description: 'clicks per user and second', module, params }],
    async startFeeds(bootstrap: string, _logger: Logger): Promise<DemoFeed[]> {
      fed.bootstrap = bootstrap;
      const producer = new Producer({ bootstrap });
      let sent = 0;
      for (const e of countEvents(300)) {
        await producer.send({
          topic: params.input,
          key: e.key,
          value: JSON.stringify(e.value),
          timestamp: e.at,
        });
        sent++;
      }
      return [{ name: 'clicks', progress: () => `${sent} sent`, close: () => producer.close() }];
    },
  };
}

function demoOptions(dataDir: string, signal: AbortSignal) {
  const stdout = new PassThrough();
  const out: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  return {
    out: () => Buffer.concat(out).toString(),
    options: {
      brokerConfig: resolveBrokerConfig({
        'data.dir': join(dataDir, 'data'),
        listen: '127.0.0.1:0',
        'http.listen': '127.0.0.1:0',
      }),
      bootstrap: null,
      executors: 1,
      checkpointDir: join(dataDir, 'checkpoints'),
      logger: createLogger({ level: 'silent' }),
      io: { stdout, stderr: new PassThrough(), stdin: Readable.from([]) },
      signal,
      statusEveryMs: 200,
    },
  };
}

test('a demo runs its job on the broker it starts, feeds it, and stops on an interrupt', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-demo-runner-'));
  try {
    const controller = new AbortController();
    const fed: { bootstrap: string | null } = { bootstrap: null };
    const { options, out } = demoOptions(dir, controller.signal);
    const demo = runDemo(clicksApp({ input: 'clicks', output: 'click-counts' }, fed), options);
    // Wait for the job's output (windows close as event time passes), then interrupt.
    for (let waited = 0; fed.bootstrap === null; waited += 50) {
      assert.ok(waited < 20_000, 'the feed did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
    const consumer = new Consumer({
      bootstrap: fed.bootstrap,
      isolationLevel: 'read_committed',
      autoOffsetReset: 'earliest',
    });
    consumer.assign([
      { topic: 'click-counts', partition: 0 },
      { topic: 'click-counts', partition: 1 },
    ]);
    let counted = 0;
    while (counted === 0) {
      const batch = await consumer.nextBatch(20_000);
      assert.ok(batch !== null, 'no committed window counts within 20 s');
      counted += batch.records.length;
    }
    await consumer.close();
    controller.abort();
    assert.equal(await demo, 0);
    assert.match(
      out(),
      /^Sluice demo 'clicks': broker at 127\.0\.0\.1:\d+; dashboard http:\/\/127\.0\.0\.1:\d+\/#\/jobs\./,
    );
    assert.deepEqual(
      readdirSync(join(dir, 'checkpoints')),
      ['click-counts'],
      'the job checkpoints in its folder',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a demo whose job fails ends with the job error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-demo-runner-'));
  try {
    const { options } = demoOptions(dir, new AbortController().signal);
    const params = { input: 'clicks', output: 'click-counts', failAtOffset: 3 };
    await assert.rejects(
      runDemo(clicksApp(params, { bootstrap: null }), options),
      (error: unknown) =>
        error instanceof CliError &&
        /job 'click-counts' failed: .*failing at offset 3 as asked/.test(error.message),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
