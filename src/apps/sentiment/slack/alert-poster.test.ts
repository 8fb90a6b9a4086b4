// The alert poster against an embedded broker and a fake Slack: alerts produced to
// social.alerts (some in an aborted transaction) are posted once each, across restarts, through
// 429s, and offsets move only after Slack accepted the post.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type RunningBroker, startBroker } from '../../../broker/broker.ts';
import { Admin, Producer } from '../../../client/index.ts';
import type { SentimentAlert } from '../records.ts';
import { type AlertPosterOptions, startAlertPoster } from './alert-poster.ts';
import { type FakeRequest, type FakeSlack, startFakeSlack } from './fake-slack-server.ts';

function alert(n: number, keyword = 'acme'): SentimentAlert {
  return {
    id: `negative-trend:${keyword}:${n}`,
    keyword,
    kind: 'negative-trend',
    windowStartMs: 1_700_000_000_000 + n * 60_000,
    windowEndMs: 1_700_000_060_000 + n * 60_000,
    meanScore: -0.5,
    messages: 10 + n,
    samples: [`${keyword} is broken again (${n})`],
    summary: `${keyword}: alert ${n}`,
  };
}

async function until(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The summaries Slack received on one webhook path, in order. */
function postedSummaries(slack: FakeSlack, path: string): string[] {
  return slack.requests
    .filter((r) => r.path === path && r.body.text !== undefined)
    .map((r) => String(r.body.text));
}

describe('Slack alert poster against an embedded broker', () => {
  let broker: RunningBroker;
  let slack: FakeSlack;
  let admin: Admin;
  let producer: Producer;
  let dir: string;

  const send = (topic: string, alerts: readonly SentimentAlert[]) =>
    producer.sendBatch(alerts.map((a) => ({ topic, key: a.keyword, value: JSON.stringify(a) })));

  const options = (
    topic: string,
    path: string,
    extra: Partial<AlertPosterOptions> = {},
  ): AlertPosterOptions => ({
    bootstrap: broker.bootstrap,
    topic,
    groupId: `poster-${topic}`,
    stateFile: join(dir, `${topic}.json`),
    destination: { kind: 'webhook', url: `${slack.url.slice(0, -1)}${path}` },
    backoffMsInitial: 20,
    consumer: { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 300 },
    ...extra,
  });

  before(async () => {
    broker = await startBroker({ config: { 'group.initial.rebalance.delay.ms': '0' } });
    slack = await startFakeSlack();
    admin = new Admin({ bootstrap: broker.bootstrap });
    producer = new Producer({ bootstrap: broker.bootstrap });
    dir = await mkdtemp(join(tmpdir(), 'alert-poster-'));
  });
  after(async () => {
    await producer?.close();
    admin?.close();
    await slack?.close();
    await broker?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('posts committed alerts once each, never aborted ones, and posts nothing twice across restarts', async () => {
    const topic = 'social.alerts';
    await admin.createTopics([{ topic, partitions: 2 }]);
    slack.route('/hooks/e2e', () => ({ body: 'ok' }));
    await send(topic, [alert(1), alert(2, 'globex'), alert(3)]);
    const txn = new Producer({ bootstrap: broker.bootstrap, transactionalId: 'alerts-job' });
    await txn.initTransactions();
    txn.beginTransaction();
    await txn.send({ topic, key: 'acme', value: JSON.stringify(alert(99)) });
    await txn.abortTransaction();
    await txn.close();

    const first = await startAlertPoster(options(topic, '/hooks/e2e'));
    await until('three alerts are posted', () => first.stats().posted === 3);
    await first.close();

    await send(topic, [alert(4), alert(5, 'globex')]);
    const second = await startAlertPoster(options(topic, '/hooks/e2e'));
    await until('five alerts are posted', () => postedSummaries(slack, '/hooks/e2e').length === 5);
    await new Promise((r) => setTimeout(r, 300));
    await second.close();
    assert.deepEqual(postedSummaries(slack, '/hooks/e2e').sort(), [
      'acme: alert 1',
      'acme: alert 3',
      'acme: alert 4',
      'globex: alert 2',
      'globex: alert 5',
    ]);
    // The committed offsets cover everything read, the aborted record and its marker included.
    const committed = await admin.listConsumerGroupOffsets(`poster-${topic}`);
    const ends = await admin.listOffsets(
      [0, 1].map((partition) => ({ topic, partition, spec: 'latest' as const })),
    );
    assert.deepEqual(
      committed.map((c) => [c.partition, c.offset]).sort(),
      ends.map((e) => [e.partition, e.offset]).sort(),
    );

    // A poster of another group reads everything from the start; the state file stops reposts.
    const fresh = await startAlertPoster(options(topic, '/hooks/e2e', { groupId: 'poster-from-scratch' }));
    await until('the fresh group has read all five alerts', () => fresh.stats().skippedAlreadyPosted === 5);
    await fresh.close();
    assert.equal(postedSummaries(slack, '/hooks/e2e').length, 5);
  });

  it('waits out a 429 with Retry-After, then posts the alert once', async () => {
    const topic = 'alerts-429';
    await admin.createTopics([{ topic, partitions: 1 }]);
    let limited = 1;
    slack.route('/hooks/limited', () =>
      limited-- > 0 ? { status: 429, headers: { 'retry-after': '1' }, body: 'rate_limited' } : { body: 'ok' },
    );
    await send(topic, [alert(1)]);
    const errors: Error[] = [];
    const poster = await startAlertPoster(
      options(topic, '/hooks/limited', { onError: (e) => errors.push(e) }),
    );
    try {
      await until('the alert is posted', () => poster.stats().posted === 1);
      const attempts = slack.requests.filter((r) => r.path === '/hooks/limited');
      assert.equal(attempts.length, 2);
      assert.equal(poster.stats().retries, 1);
      assert.match(errors[0]?.message ?? '', /429/);
    } finally {
      await poster.close();
    }
  });

  it('does not commit an alert Slack has not accepted, and posts it after a restart', async () => {
    const topic = 'alerts-down';
    await admin.createTopics([{ topic, partitions: 1 }]);
    let up = false;
    slack.route('/hooks/down', () => (up ? { body: 'ok' } : { status: 503, body: 'unavailable' }));
    await send(topic, [alert(1)]);
    const down = await startAlertPoster(options(topic, '/hooks/down'));
    await until('Slack was tried a few times', () => down.stats().retries >= 3);
    await down.close();
    assert.equal(down.stats().posted, 0);
    const committed = await admin.listConsumerGroupOffsets(`poster-${topic}`);
    assert.deepEqual(
      committed.filter((c) => c.offset >= 0n),
      [],
    );

    up = true;
    const again = await startAlertPoster(options(topic, '/hooks/down'));
    try {
      await until('the alert is posted', () => again.stats().posted === 1);
    } finally {
      await again.close();
    }
  });

  it('posts with chat.postMessage and stops, uncommitted, on an error retrying cannot fix', async () => {
    const topic = 'alerts-chat';
    await admin.createTopics([{ topic, partitions: 1 }]);
    let channelExists = true;
    const chats: FakeRequest[] = [];
    slack.route('/chat.postMessage', (req) => {
      chats.push(req);
      return channelExists
        ? { body: { ok: true, ts: '1.2' } }
        : { body: { ok: false, error: 'channel_not_found' } };
    });
    await send(topic, [alert(1)]);
    const chatOptions = options(topic, '/unused', {
      destination: { kind: 'chat', token: 'xoxb-bot', channel: 'C0ALERTS', slackApiUrl: slack.url },
    });
    const poster = await startAlertPoster(chatOptions);
    await until('the alert is posted', () => poster.stats().posted === 1);
    assert.equal(chats[0]?.body.channel, 'C0ALERTS');
    assert.equal(chats[0]?.body.text, 'acme: alert 1');

    channelExists = false;
    await send(topic, [alert(2)]);
    await assert.rejects(poster.done, /Cannot post alert negative-trend:acme:2 .*channel_not_found/);
    const committed = await admin.listConsumerGroupOffsets(`poster-${topic}`);
    assert.deepEqual(
      committed.map((c) => c.offset),
      [1n],
    );
  });
});
