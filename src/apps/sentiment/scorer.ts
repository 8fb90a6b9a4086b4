// The sentiment of one message, with wink-sentiment (AFINN-165 words and two-word phrases,
// emoji, emoticons and sentiment hashtags, with negation: "not good" scores as bad).
//
// Score: wink's normalized score (the mean of the sentiment-bearing tokens, damped for texts
// longer than 15 words, within -5..5) divided by 5, so -1 is as negative as AFINN goes and 1 as
// positive; rounded to 4 decimals so a score survives a JSON round trip unchanged.
// Label (documented thresholds, `sentimentThresholds`):
//   positive  score >=  0.1  (one mildly positive word, AFINN +1 over 2 tokens, is not enough)
//   negative  score <= -0.1
//   neutral   otherwise, and for text with no sentiment-bearing token (also empty text).
// Input is bounded: only the first `scoredTextCharsMax` characters are read, cut at a character
// boundary, so a pasted log costs no more than a long message.
import winkSentiment from 'wink-sentiment';
import { sentimentLimits } from './limits.ts';
import type { SentimentLabel } from './records.ts';

export interface SentimentScore {
  /** -1 (most negative) .. 1 (most positive). */
  readonly score: number;
  readonly label: SentimentLabel;
}

export interface SentimentThresholds {
  /** Scores at or above this are positive. */
  readonly positiveMin: number;
  /** Scores at or below this are negative. */
  readonly negativeMax: number;
}

export const sentimentThresholds: SentimentThresholds = { positiveMin: 0.1, negativeMax: -0.1 };

/** wink-sentiment's normalized scores stay within ±5 (AFINN's range). */
const winkScoreMax = 5;

/** The first `charsMax` characters of `text`, never splitting a surrogate pair (an emoji). */
export function boundedText(text: string, charsMax: number = sentimentLimits.scoredTextCharsMax): string {
  if (text.length <= charsMax) return text;
  const last = text.charCodeAt(charsMax - 1);
  const cut = last >= 0xd800 && last <= 0xdbff ? charsMax - 1 : charsMax;
  return text.slice(0, cut);
}

export function labelOf(
  score: number,
  thresholds: SentimentThresholds = sentimentThresholds,
): SentimentLabel {
  if (score >= thresholds.positiveMin) return 'positive';
  if (score <= thresholds.negativeMax) return 'negative';
  return 'neutral';
}

export function scoreText(
  text: string,
  thresholds: SentimentThresholds = sentimentThresholds,
): SentimentScore {
  const bounded = boundedText(text);
  if (bounded.trim().length === 0) return { score: 0, label: 'neutral' };
  const normalized = winkSentiment(bounded).normalizedScore;
  if (!Number.isFinite(normalized))
    throw new Error(`wink-sentiment returned a non-finite score ${normalized} for '${bounded.slice(0, 80)}'`);
  const clamped = Math.max(-1, Math.min(1, normalized / winkScoreMax));
  // + 0 turns -0 into 0, so a neutral score prints and compares as 0.
  const score = Math.round(clamped * 10_000) / 10_000 + 0;
  return { score, label: labelOf(score, thresholds) };
}
