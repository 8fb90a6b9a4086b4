// Both applications on a real Apache Kafka (the demo's --bootstrap mode): the same jobs, feeds
// and Slack poster run unchanged against Kafka's own broker, transaction and group coordinators.
// Skipped, with the install command, when Apache Kafka is not installed.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { KafkaProcess } from '../../../bench/kafka/kafka-process.ts';
import { startFakeSlack } from '../../apps/sentiment/slack/fake-slack-server.ts';
import { createLogger } from '../../broker/logger.ts';
import { Consumer } from '../../client/consumer.ts';
import { apacheKafkaSkip, startApacheKafka } from '../../connectors/kafka/testing/apache-kafka.ts';
import { cryptoDemo, cryptoDemoDefaults } from './crypto-demo.ts';
import { type DemoApp, runDemo } from './demo-runner.ts';
import { sentimentDemo, sentimentDemoDefaults } from './sentiment-demo.ts';
import { startSocialFeeds } from './social-feeds.ts';

describe('the demos on Apache Kafka', { skip: apacheKafkaSkip() }, () => {
  let kafka: KafkaProcess;
  let dir: string;
  before(async () => {
    kafka = await startApacheKafka();
    dir = mkdtempSync(join(tmpdir(), 'sluice-demo-kafka-'));
  });
  after(async () => {
    await kafka?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function start(app: DemoApp, name: string, signal: AbortSignal): Promise<number> {
    return runDemo(app, {
      brokerConfig: null,
      bootstrap: kafka.bootstrap,
      executors: 1,
      checkpointDir: join(dir, name),
      logger: createLogger({ level: 'silent' }),
      io: { stdout: new PassThrough(), stderr: new PassThrough(), stdin: Readable.from([]) },
      signal,
      statusEveryMs: 1_000,
    });
  }

  it('crypto: committed bars reach crypto.bars', async () => {
    const controller = new AbortController();
    const demo = start(
      cryptoDemo({ ...cryptoDemoDefaults, markets: 30, tradesPerSecond: 300, partitions: 1 }),
      'crypto',
      controller.signal,
    );
    const consumer = new Consumer({
      bootstrap: kafka.bootstrap,
      isolationLevel: 'read_committed',
      autoOffsetReset: 'earliest',
    });
    try {
      let bars = 0;
      const deadline = Date.now() + 60_000;
      for (let assigned = false; bars === 0 && Date.now() < deadline; ) {
        if (!assigned) {
          // The job creates crypto.bars when it starts; assign once the demo has made it.
          await new Promise((r) => setTimeout(r, 1_000));
          consumer.assign([{ topic: 'crypto.bars', partition: 0 }]);
          assigned = true;
        }
        const batch = await consumer.nextBatch(5_000);
        bars += batch?.records.length ?? 0;
      }
      assert.ok(bars > 0, 'committed bars within 60 s');
    } finally {
      await consumer.close();
      controller.abort();
    }
    assert.equal(await demo, 0);
  });

  it('sentiment: the bad-news trend is posted to Slack once', async () => {
    const slack = await startFakeSlack();
    slack.route('/webhook', () => ({ body: 'ok' }));
    const controller = new AbortController();
    const keywords = ['azure', 'aws'];
    const demo = start(
      sentimentDemo({
        ...sentimentDemoDefaults,
        keywords,
        ratePerSecond: 200,
        windowMs: 2_000,
        episodeStartMs: 1_000,
        extraFeeds: (bootstrap, logger) =>
          startSocialFeeds(
            {
              keywords,
              stateDir: join(dir, 'connectors'),
              alerts: { kind: 'webhook', url: `${slack.url}webhook` },
            },
            bootstrap,
            logger,
          ),
      }),
      'sentiment',
      controller.signal,
    );
    try {
      const trend = () =>
        slack.requests.filter(
          (r) => r.path === '/webhook' && JSON.stringify(r.body).includes('negative-trend'),
        );
      for (let waited = 0; trend().length === 0; waited += 200) {
        assert.ok(waited < 90_000, 'no negative-trend alert posted within 90 s');
        await new Promise((r) => setTimeout(r, 200));
      }
      const bodies = slack.requests.filter((r) => r.path === '/webhook').map((r) => JSON.stringify(r.body));
      assert.equal(new Set(bodies).size, bodies.length, 'no alert is posted twice');
    } finally {
      controller.abort();
      await slack.close();
    }
    assert.equal(await demo, 0);
  });
});
