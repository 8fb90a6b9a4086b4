// The sentiment demo end to end: generated messages with a bad-news episode go through the
// broker and the sentiment job, and the negative trend it raises is posted to (a local stand-in
// for) a Slack incoming webhook, once.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { test } from 'node:test';
import { startFakeSlack } from '../../apps/sentiment/slack/fake-slack-server.ts';
import { resolveBrokerConfig } from '../../broker/config.ts';
import { createLogger } from '../../broker/logger.ts';
import { runDemo } from './demo-runner.ts';
import { sentimentDemo, sentimentDemoDefaults } from './sentiment-demo.ts';
import { startSocialFeeds } from './social-feeds.ts';

test('the sentiment demo posts the negative trend of a bad-news episode to Slack', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-sentiment-demo-'));
  const slack = await startFakeSlack();
  slack.route('/webhook', () => ({ body: 'ok' }));
  const controller = new AbortController();
  try {
    const app = sentimentDemo({
      ...sentimentDemoDefaults,
      keywords: ['azure', 'aws'],
      ratePerSecond: 200,
      windowMs: 2_000,
      episodeStartMs: 1_000,
      extraFeeds: (bootstrap, logger) =>
        startSocialFeeds(
          {
            keywords: ['azure', 'aws'],
            stateDir: join(dir, 'connectors'),
            alerts: { kind: 'webhook', url: `${slack.url}webhook` },
          },
          bootstrap,
          logger,
        ),
    });
    const demo = runDemo(app, {
      brokerConfig: resolveBrokerConfig({
        'data.dir': join(dir, 'data'),
        listen: '127.0.0.1:0',
        'http.listen': 'off',
      }),
      bootstrap: null,
      executors: 1,
      checkpointDir: join(dir, 'checkpoints'),
      logger: createLogger({ level: 'silent' }),
      io: { stdout: new PassThrough(), stderr: new PassThrough(), stdin: Readable.from([]) },
      signal: controller.signal,
      statusEveryMs: 1_000,
    });
    const posts = () => slack.requests.filter((r) => r.path === '/webhook');
    const trend = () => posts().filter((r) => JSON.stringify(r.body).includes('negative-trend'));
    for (let waited = 0; trend().length === 0; waited += 100) {
      assert.ok(waited < 45_000, `no negative-trend alert posted within 45 s (${posts().length} posts)`);
      await new Promise((r) => setTimeout(r, 100));
    }
    controller.abort();
    assert.equal(await demo, 0);
    const text = JSON.stringify(trend()[0]?.body);
    assert.match(text, /azure/, 'the episode is about the first keyword');
    const ids = posts().map((r) => JSON.stringify(r.body));
    assert.equal(new Set(ids).size, ids.length, 'no alert is posted twice');
  } finally {
    controller.abort();
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
