// The job as the CLI runs it: the module path on worker threads, over a broker reached by TCP,
// with the default params and the default demo feed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startBroker } from '../../broker/broker.ts';
import { kafkaLog } from '../../connectors/kafka/kafka-log.ts';
import { readCommitted } from '../../connectors/testing/crash-and-restart.ts';
import { runJob } from '../../engine/run-job.ts';
import {
  defaultFeedGenerator,
  defaultSentimentJobParams,
  sentimentJobModule,
  startMessageFeed,
} from './index.ts';
import type { SentimentAlert } from './records.ts';

test('the job module with default params on two worker threads alerts once for the default outage', async () => {
  const broker = await startBroker();
  const log = kafkaLog({ bootstrap: broker.bootstrap });
  try {
    // 3000 messages 100 ms apart: 300 s of event time, the outage at 60..150 s.
    const feed = startMessageFeed({
      bootstrap: broker.bootstrap,
      partitions: 2,
      generator: { ...defaultFeedGenerator, startMs: 0 },
      messages: 3_000,
    });
    await feed.done;
    const result = await runJob(
      { module: sentimentJobModule, params: { ...defaultSentimentJobParams, bounded: true } },
      { log: { bootstrap: broker.bootstrap }, executors: 2 },
    );
    assert.equal(result.state, 'finished');
    const alerts = (await readCommitted(log, 'social.alerts')).map((v) => JSON.parse(v) as SentimentAlert);
    const trend = alerts.filter((a) => a.kind === 'negative-trend');
    assert.deepEqual(
      trend.map((a) => a.id),
      ['negative-trend:azure:60000-120000'],
    );
    assert.ok(alerts.some((a) => a.kind === 'negative-message' && a.keyword === 'azure'));
  } finally {
    await log.close();
    await broker.close();
  }
});
