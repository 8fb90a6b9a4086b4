import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SentimentAlert } from '../records.ts';
import { alertToSlackMessage } from './alert-message.ts';
import { slackLimits } from './limits.ts';

const alert: SentimentAlert = {
  id: 'negative-trend:acme:1700000000000',
  keyword: 'acme',
  kind: 'negative-trend',
  windowStartMs: 1_700_000_000_000,
  windowEndMs: 1_700_000_060_000,
  meanScore: -0.4567,
  messages: 42,
  samples: ['acme support is <!channel> awful & slow', 'I hate the new acme app'],
  summary: 'acme: mean sentiment -0.46 over 42 messages',
};

describe('alertToSlackMessage', () => {
  it('shows keyword, kind, mean score, message count, window and samples in Block Kit', () => {
    const { text, blocks } = alertToSlackMessage(alert);
    assert.equal(text, 'acme: mean sentiment -0.46 over 42 messages');
    assert.deepEqual(blocks[0], {
      type: 'header',
      text: { type: 'plain_text', text: 'Negative trend: acme' },
    });
    assert.deepEqual(blocks[1], {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: '*Keyword*\nacme' },
        { type: 'mrkdwn', text: '*Kind*\nNegative trend' },
        { type: 'mrkdwn', text: '*Mean score*\n-0.46' },
        { type: 'mrkdwn', text: '*Messages*\n42' },
      ],
    });
    const json = JSON.stringify(blocks);
    assert.match(json, /2023-11-14T22:13:20.000Z – 2023-11-14T22:14:20.000Z/);
    assert.deepEqual(blocks[3], {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: '*Samples*\n> acme support is &lt;!channel&gt; awful &amp; slow\n> I hate the new acme app',
      },
    });
  });

  it('bounds the number and length of samples and leaves the samples block out when there are none', () => {
    const many = alertToSlackMessage({
      ...alert,
      samples: Array.from({ length: 20 }, () => 'x'.repeat(5000)),
    });
    const samples = JSON.stringify(many.blocks[3]);
    assert.equal(samples.split('> ').length - 1, slackLimits.alertSamplesMax);
    assert.ok(samples.length < 3000 + 100);
    assert.equal(alertToSlackMessage({ ...alert, samples: [] }).blocks.length, 3);
  });
});
