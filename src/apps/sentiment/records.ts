// The sentiment app's records and topics: the contract between the message sources (Slack, X,
// the generator), the sentiment job, the Slack alert poster and the dashboard. Values are JSON;
// record timestamps are event time (when the message was posted).

export const sentimentTopics = {
  /** Every message from every source, keyed by `${source}:${channel}`. */
  messages: 'social.messages',
  /** Messages that mention a watched keyword, with their sentiment, keyed by keyword. */
  scored: 'social.scored',
  /** Per keyword and window: counts and mean sentiment, keyed by keyword (the timeline). */
  timeline: 'social.sentiment',
  /** Alerts to post to Slack and show on the dashboard, keyed by keyword. */
  alerts: 'social.alerts',
} as const;

export type MessageSource = 'slack' | 'x' | 'generator';

export interface SocialMessage {
  readonly source: MessageSource;
  /** Slack channel id or name, X query/rule tag, or the generator's channel. */
  readonly channel: string;
  readonly user: string;
  readonly text: string;
  /** Unique per source (Slack `ts` with channel, tweet id, generator sequence). */
  readonly id: string;
  readonly timestampMs: number;
}

export type SentimentLabel = 'positive' | 'negative' | 'neutral';

export interface ScoredMessage extends SocialMessage {
  /** The watched keyword the message mentions (one record per keyword mentioned). */
  readonly keyword: string;
  /** Normalized sentiment, -1 (most negative) .. 1 (most positive). */
  readonly score: number;
  readonly label: SentimentLabel;
}

export interface SentimentPoint {
  readonly keyword: string;
  readonly windowStartMs: number;
  readonly windowEndMs: number;
  readonly messages: number;
  readonly positive: number;
  readonly negative: number;
  readonly neutral: number;
  /** Mean score of the window's messages, -1..1. */
  readonly meanScore: number;
}

export type SentimentAlertKind = 'negative-trend' | 'negative-message';

export interface SentimentAlert {
  /** Deterministic from its cause, so a replayed alert is recognised and posted once. */
  readonly id: string;
  readonly keyword: string;
  readonly kind: SentimentAlertKind;
  readonly windowStartMs: number;
  readonly windowEndMs: number;
  readonly meanScore: number;
  readonly messages: number;
  /** Up to a few message texts that caused the alert (most negative first). */
  readonly samples: readonly string[];
  /** One line for humans, e.g. what Slack shows. */
  readonly summary: string;
}
