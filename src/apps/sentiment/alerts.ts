// The alerts the job emits. Ids come from the cause alone (kind, keyword, window or message), so
// a replayed job, or a window re-emitted, yields the same id and the poster can post it once.
import { sentimentLimits } from './limits.ts';
import type { ScoredMessage, SentimentAlert } from './records.ts';
import type { TrendRule } from './trend-rule.ts';
import { type KeywordWindow, meanScoreOf } from './window-summary.ts';

export function trendAlertId(keyword: string, windowStartMs: number, windowEndMs: number): string {
  return `negative-trend:${keyword}:${windowStartMs}-${windowEndMs}`;
}

export function messageAlertId(m: Pick<ScoredMessage, 'keyword' | 'source' | 'id'>): string {
  return `negative-message:${m.keyword}:${m.source}:${m.id}`;
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

export function messageAlert(m: ScoredMessage): SentimentAlert {
  const sample = m.text.slice(0, sentimentLimits.alertSampleCharsMax);
  return {
    id: messageAlertId(m),
    keyword: m.keyword,
    kind: 'negative-message',
    windowStartMs: m.timestampMs,
    windowEndMs: m.timestampMs + 1,
    meanScore: m.score,
    messages: 1,
    samples: [sample],
    summary: `Very negative message about '${m.keyword}' (score ${m.score.toFixed(2)}) from ${m.user} in ${m.source}:${m.channel}`,
  };
}
