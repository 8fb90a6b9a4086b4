import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { SocialMessage } from '../records.ts';
import { type RunningSlackEventsReceiver, startSlackEventsReceiver } from './events-receiver.ts';
import { signSlackRequest } from './signature.ts';

const secret = '8f742231b10e8888abcd99yyyzzz85a5';

interface Post {
  body: string;
  timestampSec?: number;
  signature?: string;
  retryNum?: number;
}

async function post(url: string, p: Post): Promise<{ status: number; json: Record<string, unknown> }> {
  const timestampSec = p.timestampSec ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-slack-request-timestamp': String(timestampSec),
    'x-slack-signature': p.signature ?? signSlackRequest(secret, timestampSec, p.body),
  };
  if (p.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(p.retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  const res = await fetch(url, { method: 'POST', headers, body: p.body });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

function eventCallback(eventId: string, event: Record<string, unknown>): string {
  return JSON.stringify({
    token: 'XXYYZZ',
    team_id: 'T123ABC456',
    api_app_id: 'A123ABC456',
    type: 'event_callback',
    event_id: eventId,
    event_time: 1_700_000_000,
    event,
  });
}

const humanMessage = {
  type: 'message',
  channel: 'C123ABC456',
  user: 'U123ABC456',
  text: 'The new release is great',
  ts: '1700000000.000200',
  channel_type: 'channel',
};

describe('Slack events receiver', () => {
  let receiver: RunningSlackEventsReceiver;
  let received: SocialMessage[];
  let sinkFailures: number;
  let sinkDelayMs: number;

  before(async () => {
    receiver = await startSlackEventsReceiver({
      signingSecret: secret,
      ackMsMax: 300,
      sink: async (messages) => {
        if (sinkDelayMs > 0) await new Promise((r) => setTimeout(r, sinkDelayMs));
        if (sinkFailures > 0) {
          sinkFailures--;
          throw new Error('broker unavailable');
        }
        received.push(...messages);
      },
    });
  });
  after(() => receiver.close());
  beforeEach(() => {
    received = [];
    sinkFailures = 0;
    sinkDelayMs = 0;
  });

  it('answers a url_verification challenge signed with the secret', async () => {
    const body = JSON.stringify({
      token: 'x',
      challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
      type: 'url_verification',
    });
    const res = await post(receiver.url, { body });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
  });

  it('turns a signed message event into a SocialMessage with an id from channel and ts', async () => {
    const res = await post(receiver.url, { body: eventCallback('Ev1', humanMessage) });
    assert.equal(res.status, 200);
    assert.deepEqual(received, [
      {
        source: 'slack',
        channel: 'C123ABC456',
        user: 'U123ABC456',
        text: 'The new release is great',
        id: 'C123ABC456:1700000000.000200',
        timestampMs: 1_700_000_000_000,
      },
    ]);
  });

  it('rejects a body whose signature was made with another secret, or altered after signing', async () => {
    const body = eventCallback('Ev2', humanMessage);
    const now = Math.floor(Date.now() / 1000);
    const wrong = await post(receiver.url, { body, signature: signSlackRequest('other-secret', now, body) });
    assert.equal(wrong.status, 401);
    assert.match(String(wrong.json.error), /does not match/);
    const altered = await post(receiver.url, {
      body: body.replace('great', 'awful'),
      timestampSec: now,
      signature: signSlackRequest(secret, now, body),
    });
    assert.equal(altered.status, 401);
    assert.deepEqual(received, []);
  });

  it('rejects a correctly signed request older than five minutes', async () => {
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    const res = await post(receiver.url, { body: eventCallback('Ev3', humanMessage), timestampSec: stale });
    assert.equal(res.status, 401);
    assert.match(String(res.json.error), /at most 300 s/);
    assert.deepEqual(received, []);
  });

  it('rejects missing signature headers, non-JSON bodies, wrong methods and paths with 4xx', async () => {
    const noSig = await fetch(receiver.url, { method: 'POST', body: '{}' });
    assert.equal(noSig.status, 401);
    assert.equal((await post(receiver.url, { body: 'not json' })).status, 400);
    assert.equal((await fetch(receiver.url)).status, 405);
    assert.equal(
      (await fetch(receiver.url.replace('/slack/events', '/other'), { method: 'POST' })).status,
      404,
    );
  });

  it('refuses a body larger than the bound with 413', async () => {
    const small = await startSlackEventsReceiver({
      signingSecret: secret,
      bodyBytesMax: 100,
      sink: async () => {},
    });
    try {
      const res = await post(small.url, {
        body: eventCallback('Ev4', { ...humanMessage, text: 'x'.repeat(500) }),
      });
      assert.equal(res.status, 413);
    } finally {
      await small.close();
    }
  });

  it('acknowledges a retry of an event already stored without writing it again', async () => {
    const body = eventCallback('Ev5', { ...humanMessage, ts: '1700000001.000100' });
    assert.equal((await post(receiver.url, { body })).status, 200);
    const retry = await post(receiver.url, { body, retryNum: 1 });
    assert.equal(retry.status, 200);
    assert.equal(retry.json.duplicate, true);
    assert.equal(received.length, 1);
    assert.ok(receiver.stats().retries >= 1);
  });

  it('answers 500 when the sink fails, and stores the event when Slack retries it', async () => {
    sinkFailures = 1;
    const body = eventCallback('Ev6', { ...humanMessage, ts: '1700000002.000100' });
    const first = await post(receiver.url, { body });
    assert.equal(first.status, 500);
    assert.match(String(first.json.error), /broker unavailable/);
    assert.equal(received.length, 0);
    const retry = await post(receiver.url, { body, retryNum: 1 });
    assert.equal(retry.status, 200);
    assert.equal(received.length, 1);
  });

  it('answers before its deadline when the sink is slow, and a later retry finds the event stored', async () => {
    sinkDelayMs = 600;
    const body = eventCallback('Ev7', { ...humanMessage, ts: '1700000003.000100' });
    const started = Date.now();
    const first = await post(receiver.url, { body });
    assert.ok(Date.now() - started < 550, `answered after ${Date.now() - started} ms`);
    assert.equal(first.status, 500);
    await new Promise((r) => setTimeout(r, 700));
    const retry = await post(receiver.url, { body, retryNum: 1 });
    assert.equal(retry.status, 200);
    assert.equal(retry.json.duplicate, true);
    assert.equal(received.length, 1);
  });

  it('acknowledges but skips bot messages, edits, deletions and joins', async () => {
    const skipped = [
      { ...humanMessage, subtype: 'bot_message', bot_id: 'B123', username: 'alerts' },
      { ...humanMessage, bot_id: 'B123' },
      {
        type: 'message',
        subtype: 'message_changed',
        channel: 'C1',
        hidden: true,
        ts: '1700000004.1',
        message: {},
      },
      { type: 'message', subtype: 'message_deleted', channel: 'C1', hidden: true, ts: '1700000004.2' },
      { ...humanMessage, subtype: 'channel_join', text: '<@U123ABC456> has joined the channel' },
      { ...humanMessage, subtype: 'channel_leave', text: '<@U123ABC456> has left the channel' },
      { type: 'reaction_added', user: 'U1', reaction: 'thumbsup', event_ts: '1700000004.3' },
    ];
    for (const [i, event] of skipped.entries()) {
      const res = await post(receiver.url, { body: eventCallback(`EvSkip${i}`, event) });
      assert.equal(res.status, 200, `event ${i}`);
    }
    const kept = {
      ...humanMessage,
      subtype: 'thread_broadcast',
      ts: '1700000005.000100',
      thread_ts: '1700000000.000200',
    };
    assert.equal((await post(receiver.url, { body: eventCallback('EvKept', kept) })).status, 200);
    assert.deepEqual(
      received.map((m) => m.id),
      ['C123ABC456:1700000005.000100'],
    );
  });

  it('forgets the oldest event ids past its bound', async () => {
    const seen: string[] = [];
    const small = await startSlackEventsReceiver({
      signingSecret: secret,
      seenEventIdsMax: 2,
      sink: async (m) => {
        seen.push(...m.map((x) => x.id));
      },
    });
    try {
      for (const n of [1, 2, 3, 1]) {
        const res = await post(small.url, {
          body: eventCallback(`E${n}`, { ...humanMessage, ts: `1700000010.00000${n}` }),
        });
        assert.equal(res.status, 200);
      }
      // E1 was forgotten when E3 arrived, so its replay is written again: the bound is real.
      assert.equal(seen.length, 4);
      assert.equal(small.stats().duplicates, 0);
    } finally {
      await small.close();
    }
  });
});
