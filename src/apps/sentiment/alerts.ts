// The alerts the job emits. Ids come from the cause alone (kind, keyword, window or message), so
// a replayed job, or a window re-emitted, yields the same id and the poster can post it once.
import type { SentimentAlert } from './records.ts';
import type { TrendRule } from './trend-rule.ts';
import { type KeywordWindow, meanScoreOf } from './window-summary.ts';

export function trendAlertId(keyword: string, windowStartMs: number, windowEndMs: number): string {
  return `negative-trend:${keyword}:${windowStartMs}-${windowEndMs}`;
}

export function messageAlertId(keyword: string, ref: string): string {
  return `negative-message:${keyword}:${ref}`;
}

export function trendAlert(w: KeywordWindow, rule: TrendRule): SentimentAlert {
  const meanScore = meanScoreOf(w.summary);
  const s = w.summary;
  return {
    id: trendAlertId(w.keyword, w.windowStartMs, w.windowEndMs),
    keyword: w.keyword,
    kind: 'negative-trend',
    windowStartMs: w.windowStartMs,
    windowEndMs: w.windowEndMs,
    meanScore,
    messages: s.messages,
    samples: s.samples.map((x) => x.text),
    summary: `Negative trend for '${w.keyword}': mean sentiment ${meanScore.toFixed(2)} over ${s.messages} messages (${s.negative} negative, ${s.positive} positive) from ${new Date(w.windowStartMs).toISOString()} to ${new Date(w.windowEndMs).toISOString()} (alert at <= ${rule.meanScoreMax})`,
  };
}

/**
 * The most negative message of a keyword's window, when it is at or below `scoreMax`: at most one
 * such alert per keyword and window, so a burst of angry messages is one Slack post, not dozens.
 */
export function worstMessageAlert(w: KeywordWindow, scoreMax: number): SentimentAlert | null {
  const worst = w.summary.samples[0];
  if (worst === undefined || worst.score > scoreMax) return null;
  const alsoBad = w.summary.samples.filter((x) => x.score <= scoreMax).length;
  return {
    id: messageAlertId(w.keyword, worst.ref),
    keyword: w.keyword,
    kind: 'negative-message',
    windowStartMs: w.windowStartMs,
    windowEndMs: w.windowEndMs,
    meanScore: worst.score,
    messages: 1,
    samples: [worst.text],
    // One line for Slack and the dashboard: the window and the message itself are fields of their own.
    summary: `Very negative message about '${w.keyword}' (score ${worst.score.toFixed(2)})${alsoBad > 1 ? `, one of ${alsoBad}+ at or below ${scoreMax} in its window` : ''}`,
  };
}
