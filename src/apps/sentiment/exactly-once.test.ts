// The sentiment job killed between storing a checkpoint and committing it, then restarted from
// that checkpoint: its committed alerts, timeline and scored messages equal an uninterrupted
// run's, so the restored trend state neither repeats nor loses an alert.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startBroker } from '../../broker/broker.ts';
import { kafkaLog } from '../../connectors/kafka/kafka-log.ts';
import { readCommitted } from '../../connectors/testing/crash-and-restart.ts';
import { MemoryCheckpointStorage } from '../../engine/checkpoint/memory-checkpoint-storage.ts';
import { EngineError } from '../../engine/engine-error.ts';
import type { Log } from '../../engine/log/log.ts';
import { runJob, startJob } from '../../engine/run-job.ts';
import { startMessageFeed } from './message-feed.ts';
import { defaultSentimentJobParams, type SentimentJobParams, sentimentJobModule } from './sentiment-job.ts';

function params(name: string): SentimentJobParams {
  return {
    ...defaultSentimentJobParams,
    windowMs: 10_000,
    bounded: true,
    jobName: name,
    topics: {
      scored: `${name}.scored`,
      timeline: `${name}.sentiment`,
      alerts: `${name}.alerts`,
      late: `${name}.late`,
      rejected: `${name}.rejected`,
    },
  };
}

async function outputs(log: Log, name: string): Promise<string[][]> {
  return [
    await readCommitted(log, `${name}.alerts`),
    await readCommitted(log, `${name}.sentiment`),
    await readCommitted(log, `${name}.scored`),
  ];
}

test('a crash between a stored checkpoint and its commit, then a restore, gives the uninterrupted output', async () => {
  const broker = await startBroker();
  const log = kafkaLog({ bootstrap: broker.bootstrap });
  try {
    await startMessageFeed({
      bootstrap: broker.bootstrap,
      partitions: 2,
      generator: {
        seed: 4,
        keywords: ['azure', 'aws', 'gcp'],
        startMs: 0,
        intervalMs: 50,
        episodes: [{ keyword: 'azure', mood: 'negative', startOffsetMs: 40_000, durationMs: 30_000 }],
      },
      messages: 3_000,
    }).done;
    const options = {
      log: broker,
      executors: 1,
      trigger: { availableNow: true as const, recordsPerBatch: 400 },
    };
    const uninterrupted = await runJob({ module: sentimentJobModule, params: params('expected') }, options);
    assert.equal(uninterrupted.state, 'finished');
    const expected = await outputs(log, 'expected');
    assert.ok(
      expected[0]?.some((a) => a.includes('"negative-trend"')),
      'the episode raised a trend alert',
    );

    const checkpointStorage = new MemoryCheckpointStorage();
    let killed = false;
    const first = await startJob(
      { module: sentimentJobModule, params: params('actual') },
      {
        ...options,
        checkpointStorage,
        onCheckpoint: async (checkpoint) => {
          if (checkpoint.id !== 3) return;
          killed = true;
          await first.terminateExecutor(0);
        },
      },
    );
    await assert.rejects(
      first.done,
      (e: unknown) => e instanceof EngineError && e.code === 'executor_failed',
    );
    assert.ok(killed);
    const partial = await readCommitted(log, 'actual.sentiment', false);
    assert.ok(
      partial.length < (expected[1]?.length ?? 0),
      `the first run stopped early (${partial.length} points)`,
    );

    const second = await runJob(
      { module: sentimentJobModule, params: params('actual') },
      { ...options, checkpointStorage },
    );
    assert.equal(second.state, 'finished');
    assert.deepEqual(await outputs(log, 'actual'), expected);
  } finally {
    await log.close();
    await broker.close();
  }
});
