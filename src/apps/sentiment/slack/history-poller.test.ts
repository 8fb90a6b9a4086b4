import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { SocialMessage } from '../records.ts';
import { type FakeRequest, type FakeSlack, startFakeSlack } from './fake-slack-server.ts';
import { startSlackHistoryPoller } from './history-poller.ts';
import { slackLimits } from './limits.ts';

interface StoredMessage {
  type: 'message';
  user?: string;
  text: string;
  ts: string;
  subtype?: string;
  bot_id?: string;
}

/** conversations.history over an in-memory channel: newest first, `oldest` exclusive, offset cursors. */
function historyRoute(channels: Map<string, StoredMessage[]>) {
  return (req: FakeRequest) => {
    const channel = String(req.body.channel);
    const all = channels.get(channel);
    if (all === undefined) return { body: { ok: false, error: 'channel_not_found' } };
    const oldest = Number(req.body.oldest ?? '0');
    const limit = Number(req.body.limit ?? '100');
    const start =
      req.body.cursor === undefined ? 0 : Number(Buffer.from(String(req.body.cursor), 'base64').toString());
    const newer = all.filter((m) => Number(m.ts) > oldest).sort((a, b) => Number(b.ts) - Number(a.ts));
    const page = newer.slice(start, start + limit);
    const hasMore = start + limit < newer.length;
    return {
      body: {
        ok: true,
        messages: page,
        has_more: hasMore,
        pin_count: 0,
        response_metadata: {
          next_cursor: hasMore ? Buffer.from(String(start + limit)).toString('base64') : '',
        },
      },
    };
  };
}

function human(n: number): StoredMessage {
  return { type: 'message', user: 'U1', text: `message ${n}`, ts: `${1_700_000_000 + n}.000100` };
}

const fastRetries = { retries: 3, factor: 1, minTimeout: 10, maxTimeout: 10 };

describe('Slack history poller', () => {
  let slack: FakeSlack;
  const channels = new Map<string, StoredMessage[]>();

  before(async () => {
    slack = await startFakeSlack();
    slack.route('/conversations.history', historyRoute(channels));
    slack.route('/conversations.list', (req) => {
      const all = [
        { id: 'C0GENERAL', name: 'general', is_channel: true },
        { id: 'C0RANDOM', name: 'random', is_channel: true },
        { id: 'C0PRODUCT', name: 'product', is_channel: true },
      ];
      // Two pages, so resolving names must follow next_cursor.
      const second = req.body.cursor === 'page2';
      return {
        body: {
          ok: true,
          channels: second ? all.slice(2) : all.slice(0, 2),
          response_metadata: { next_cursor: second ? '' : 'page2' },
        },
      };
    });
  });
  after(() => slack.close());

  it('resolves channel names over conversations.list pages and sends the token', async () => {
    channels.set('C0PRODUCT', []);
    channels.set('C0GENERAL', []);
    const poller = await startSlackHistoryPoller({
      token: 'xoxb-test-token',
      channels: ['#product', 'general'],
      sink: async () => {},
      slackApiUrl: slack.url,
      retryConfig: fastRetries,
    });
    await poller.close();
    assert.deepEqual(poller.channelIds, ['C0PRODUCT', 'C0GENERAL']);
    const list = slack.requests.filter((r) => r.path === '/conversations.list');
    assert.equal(list.length, 2);
    assert.equal(list[0]?.headers.authorization, 'Bearer xoxb-test-token');
  });

  it('refuses a channel name no conversation has', async () => {
    await assert.rejects(
      startSlackHistoryPoller({
        token: 'xoxb-test-token',
        channels: ['nope'],
        sink: async () => {},
        slackApiUrl: slack.url,
        retryConfig: fastRetries,
      }),
      /channel 'nope'/,
    );
  });

  it('reads every page, then only messages after its cursor, skipping bots but moving past them', async () => {
    channels.set('C0HIST', [human(1), human(2), human(3), human(4), human(5)]);
    const got: SocialMessage[] = [];
    const poller = await startSlackHistoryPoller({
      token: 'xoxb-test-token',
      channels: ['C0HIST'],
      since: 0,
      pageSize: 2,
      sink: async (m) => {
        got.push(...m);
      },
      slackApiUrl: slack.url,
      retryConfig: fastRetries,
    });
    try {
      await poller.pollOnce();
      assert.deepEqual(got.map((m) => m.text).sort(), [
        'message 1',
        'message 2',
        'message 3',
        'message 4',
        'message 5',
      ]);
      const first = [...got].sort((a, b) => a.timestampMs - b.timestampMs)[0];
      assert.deepEqual(first, {
        source: 'slack',
        channel: 'C0HIST',
        user: 'U1',
        text: 'message 1',
        id: 'C0HIST:1700000001.000100',
        timestampMs: 1_700_000_001_000,
      });
      assert.deepEqual(poller.cursors().C0HIST, { oldest: human(5).ts });

      channels.get('C0HIST')?.push(human(6), { ...human(7), subtype: 'bot_message', bot_id: 'B1' });
      got.length = 0;
      await poller.pollOnce();
      assert.deepEqual(
        got.map((m) => m.text),
        ['message 6'],
      );
      assert.deepEqual(poller.cursors().C0HIST, { oldest: human(7).ts });
      const last = slack.requests.filter((r) => r.path === '/conversations.history').at(-1);
      assert.equal(last?.body.oldest, human(5).ts);
    } finally {
      await poller.close();
    }
  });

  it('continues after a restart from the cursors in its state file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slack-poller-'));
    const stateFile = join(dir, 'cursors.json');
    channels.set('C0RESTART', [human(1), human(2)]);
    const got: string[] = [];
    const options = {
      token: 'xoxb-test-token',
      channels: ['C0RESTART'],
      since: 0,
      stateFile,
      sink: async (m: readonly SocialMessage[]) => {
        got.push(...m.map((x) => x.text));
      },
      slackApiUrl: slack.url,
      retryConfig: fastRetries,
    };
    try {
      const first = await startSlackHistoryPoller(options);
      await first.pollOnce();
      await first.close();
      channels.get('C0RESTART')?.push(human(3));
      const second = await startSlackHistoryPoller(options);
      await second.pollOnce();
      await second.close();
      assert.deepEqual(got, ['message 1', 'message 2', 'message 3']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads a backlog larger than one poll over several polls without a gap or a repeat', async () => {
    const backlog = slackLimits.historyPagesPerPollMax + 5;
    channels.set(
      'C0BIG',
      Array.from({ length: backlog }, (_, i) => human(100 + i)),
    );
    const got: string[] = [];
    const poller = await startSlackHistoryPoller({
      token: 'xoxb-test-token',
      channels: ['C0BIG'],
      since: 0,
      pageSize: 1,
      sink: async (m) => {
        got.push(...m.map((x) => x.text));
      },
      slackApiUrl: slack.url,
      retryConfig: fastRetries,
    });
    try {
      await poller.pollOnce(); // the first round started by start() has finished too
      assert.ok(poller.cursors().C0BIG?.pageCursor === undefined);
      assert.equal(got.length, backlog);
      assert.equal(new Set(got).size, backlog);
    } finally {
      await poller.close();
    }
  });

  it('reads a page again when the sink failed to store it', async () => {
    channels.set('C0FAIL', [human(1), human(2)]);
    const got: string[] = [];
    let failures = 1;
    const errors: Error[] = [];
    const poller = await startSlackHistoryPoller({
      token: 'xoxb-test-token',
      channels: ['C0FAIL'],
      since: 0,
      sink: async (m) => {
        if (failures-- > 0) throw new Error('broker unavailable');
        got.push(...m.map((x) => x.text));
      },
      onError: (e) => errors.push(e),
      slackApiUrl: slack.url,
      retryConfig: fastRetries,
    });
    try {
      await poller.pollOnce();
      assert.equal(errors.length, 1);
      assert.match(errors[0]?.message ?? '', /C0FAIL failed: broker unavailable/);
      assert.deepEqual(got, ['message 1', 'message 2']);
    } finally {
      await poller.close();
    }
  });

  it('waits out a 429 with Retry-After and then reads the channel', async () => {
    channels.set('C0LIMIT', [human(1)]);
    let limited = 1;
    const route = historyRoute(channels);
    slack.route('/conversations.history', (req) => {
      if (limited-- > 0)
        return { status: 429, headers: { 'retry-after': '1' }, body: { ok: false, error: 'ratelimited' } };
      return route(req);
    });
    const got: string[] = [];
    const started = Date.now();
    const poller = await startSlackHistoryPoller({
      token: 'xoxb-test-token',
      channels: ['C0LIMIT'],
      since: 0,
      sink: async (m) => {
        got.push(...m.map((x) => x.text));
      },
      slackApiUrl: slack.url,
      retryConfig: fastRetries,
    });
    try {
      await poller.pollOnce();
      assert.deepEqual(got, ['message 1']);
      assert.ok(
        Date.now() - started >= 1_000,
        `retried after ${Date.now() - started} ms, before Retry-After`,
      );
    } finally {
      await poller.close();
      slack.route('/conversations.history', route);
    }
  });

  it('refuses a poll interval below its bound', async () => {
    await assert.rejects(
      startSlackHistoryPoller({
        token: 't',
        channels: ['C0HIST'],
        pollIntervalMs: 10,
        sink: async () => {},
        slackApiUrl: slack.url,
      }),
      /every 10 ms/,
    );
  });
});
