// A SentimentAlert as a Slack message: Block Kit blocks (a header, the figures as fields, the
// window, the sample messages quoted) and a plain `text` that Slack shows in notifications and
// where blocks cannot be drawn. Text from users is escaped (&, <, >) as Slack's formatting rules
// ask, so a sample cannot ping @channel or forge a link, and cut to Block Kit's length bounds.
import type { IncomingWebhookSendArguments } from '@slack/webhook';
import type { SentimentAlert } from '../records.ts';
import { slackLimits } from './limits.ts';

export type SlackBlock = NonNullable<IncomingWebhookSendArguments['blocks']>[number];

export interface SlackAlertMessage {
  text: string;
  blocks: SlackBlock[];
}

/** Block Kit's bounds: header text 150 characters, section text 3000, field text 2000. */
const headerCharsMax = 150;
const sectionCharsMax = 3000;

export function escapeSlackText(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function cut(text: string, charsMax: number): string {
  return text.length <= charsMax ? text : `${text.slice(0, charsMax - 1)}…`;
}

const kindLabels: Record<SentimentAlert['kind'], string> = {
  'negative-trend': 'Negative trend',
  'negative-message': 'Negative message',
};

export function alertToSlackMessage(alert: SentimentAlert): SlackAlertMessage {
  const kind = kindLabels[alert.kind] ?? alert.kind;
  const keyword = escapeSlackText(alert.keyword);
  const score = alert.meanScore.toFixed(2);
  const from = new Date(alert.windowStartMs).toISOString();
  const to = new Date(alert.windowEndMs).toISOString();
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: cut(`${kind}: ${alert.keyword}`, headerCharsMax) } },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Keyword*\n${cut(keyword, 200)}` },
        { type: 'mrkdwn', text: `*Kind*\n${kind}` },
        { type: 'mrkdwn', text: `*Mean score*\n${score}` },
        { type: 'mrkdwn', text: `*Messages*\n${alert.messages}` },
      ],
    },
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `Window ${from} – ${to} · alert ${escapeSlackText(alert.id)}` }],
    },
  ];
  const samples = alert.samples.slice(0, slackLimits.alertSamplesMax);
  if (samples.length > 0) {
    const quoted = samples
      .map((s) => `> ${escapeSlackText(cut(s.replaceAll('\n', ' '), slackLimits.alertSampleCharsMax))}`)
      .join('\n');
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: cut(`*Samples*\n${quoted}`, sectionCharsMax) },
    });
  }
  const summary =
    alert.summary.length > 0 ? alert.summary : `${kind} for ${alert.keyword}: mean score ${score}`;
  return { text: cut(escapeSlackText(summary), sectionCharsMax), blocks };
}
