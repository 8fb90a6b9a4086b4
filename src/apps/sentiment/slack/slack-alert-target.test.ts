import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { alertToSlackMessage } from './alert-message.ts';
import { type FakeSlack, startFakeSlack } from './fake-slack-server.ts';
import { SlackPostError, slackAlertTarget } from './slack-alert-target.ts';

const message = alertToSlackMessage({
  id: 'a1',
  keyword: 'acme',
  kind: 'negative-message',
  windowStartMs: 0,
  windowEndMs: 60_000,
  meanScore: -0.9,
  messages: 1,
  samples: ['acme is terrible'],
  summary: 'acme: a very negative message',
});

async function postError(p: Promise<void>): Promise<SlackPostError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof SlackPostError, `expected a SlackPostError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the post to fail');
}

describe('Slack alert targets', () => {
  let slack: FakeSlack;
  before(async () => {
    slack = await startFakeSlack();
  });
  after(() => slack.close());

  it('posts text and blocks as JSON to an incoming webhook', async () => {
    slack.route('/services/T1/B1/secret', () => ({ body: 'ok' }));
    await slackAlertTarget({ kind: 'webhook', url: `${slack.url}services/T1/B1/secret` }).post(message);
    const req = slack.requests.at(-1);
    assert.equal(req?.headers['content-type'], 'application/json');
    assert.deepEqual(req?.body, { text: message.text, blocks: message.blocks });
  });

  it('reports a webhook 429 as retriable after Retry-After, and a 404 as final', async () => {
    slack.route('/services/T1/B1/limited', () => ({
      status: 429,
      headers: { 'retry-after': '7' },
      body: 'rate_limited',
    }));
    const limited = await postError(
      slackAlertTarget({ kind: 'webhook', url: `${slack.url}services/T1/B1/limited` }).post(message),
    );
    assert.equal(limited.retriable, true);
    assert.equal(limited.retryAfterMs, 7_000);
    slack.route('/services/T1/B1/gone', () => ({ status: 404, body: 'no_service' }));
    const gone = await postError(
      slackAlertTarget({ kind: 'webhook', url: `${slack.url}services/T1/B1/gone` }).post(message),
    );
    assert.equal(gone.retriable, false);
    assert.match(gone.message, /answered 404: no_service/);
  });

  it('calls chat.postMessage with the bot token, channel, text and blocks', async () => {
    slack.route('/chat.postMessage', () => ({
      body: { ok: true, channel: 'C0ALERTS', ts: '1700000000.000100' },
    }));
    await slackAlertTarget({
      kind: 'chat',
      token: 'xoxb-bot',
      channel: 'C0ALERTS',
      slackApiUrl: slack.url,
    }).post(message);
    const req = slack.requests.at(-1);
    assert.equal(req?.path, '/chat.postMessage');
    assert.equal(req?.headers.authorization, 'Bearer xoxb-bot');
    assert.equal(req?.body.channel, 'C0ALERTS');
    assert.equal(req?.body.text, message.text);
    // The web client sends structured arguments JSON-encoded inside the form body.
    assert.deepEqual(JSON.parse(String(req?.body.blocks)), message.blocks);
  });

  it('reports chat.postMessage rate limits with Retry-After, and channel_not_found as final', async () => {
    const target = slackAlertTarget({
      kind: 'chat',
      token: 'xoxb-bot',
      channel: 'C0ALERTS',
      slackApiUrl: slack.url,
    });
    slack.route('/chat.postMessage', () => ({
      status: 429,
      headers: { 'retry-after': '3' },
      body: { ok: false },
    }));
    const limited = await postError(target.post(message));
    assert.equal(limited.retriable, true);
    assert.equal(limited.retryAfterMs, 3_000);
    slack.route('/chat.postMessage', () => ({ body: { ok: false, error: 'channel_not_found' } }));
    const missing = await postError(target.post(message));
    assert.equal(missing.retriable, false);
    assert.match(missing.message, /channel_not_found/);
    slack.route('/chat.postMessage', () => ({ status: 503, body: 'unavailable' }));
    assert.equal((await postError(target.post(message))).retriable, true);
  });
});
