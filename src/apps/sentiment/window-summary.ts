// What a timeline window of one keyword holds: label counts, the score sum and the most
// negative few messages (the samples an alert shows). The accumulator is plain data, so it
// snapshots with the window's state; the samples are bounded by alertSamplesMax.
import type { Aggregator } from '../../engine/operators/aggregator.ts';
import { sentimentLimits } from './limits.ts';
import type { ScoredMessage, SentimentPoint } from './records.ts';

export interface WindowSample {
  readonly score: number;
  readonly text: string;
  /** The message's `${source}:${id}`, which breaks ties so samples do not depend on arrival order. */
  readonly ref: string;
}

export interface WindowSummary {
  readonly messages: number;
  readonly positive: number;
  readonly negative: number;
  readonly neutral: number;
  readonly scoreSum: number;
  /** Most negative first, at most alertSamplesMax. */
  readonly samples: readonly WindowSample[];
}

const emptySummary: WindowSummary = {
  messages: 0,
  positive: 0,
  negative: 0,
  neutral: 0,
  scoreSum: 0,
  samples: [],
};

function moreNegativeFirst(a: WindowSample, b: WindowSample): number {
  if (a.score !== b.score) return a.score - b.score;
  return a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0;
}

function keepSamples(samples: readonly WindowSample[]): WindowSample[] {
  return [...samples].sort(moreNegativeFirst).slice(0, sentimentLimits.alertSamplesMax);
}

export function addToSummary(summary: WindowSummary, m: ScoredMessage): WindowSummary {
  const text = m.text.slice(0, sentimentLimits.alertSampleCharsMax);
  return {
    messages: summary.messages + 1,
    positive: summary.positive + (m.label === 'positive' ? 1 : 0),
    negative: summary.negative + (m.label === 'negative' ? 1 : 0),
    neutral: summary.neutral + (m.label === 'neutral' ? 1 : 0),
    scoreSum: summary.scoreSum + m.score,
    samples: keepSamples([...summary.samples, { score: m.score, text, ref: `${m.source}:${m.id}` }]),
  };
}

export function mergeSummaries(a: WindowSummary, b: WindowSummary): WindowSummary {
  return {
    messages: a.messages + b.messages,
    positive: a.positive + b.positive,
    negative: a.negative + b.negative,
    neutral: a.neutral + b.neutral,
    scoreSum: a.scoreSum + b.scoreSum,
    samples: keepSamples([...a.samples, ...b.samples]),
  };
}

/** Mean score rounded to 4 decimals (0 for an empty window). */
export function meanScoreOf(summary: WindowSummary): number {
  if (summary.messages === 0) return 0;
  return Math.round((summary.scoreSum / summary.messages) * 10_000) / 10_000 + 0;
}

export function windowSummaryAggregator(): Aggregator<ScoredMessage, WindowSummary, WindowSummary> {
  return {
    init: () => emptySummary,
    add: (summary, m) => addToSummary(summary, m),
    result: (summary) => summary,
    merge: mergeSummaries,
  };
}

export interface KeywordWindow {
  readonly keyword: string;
  readonly windowStartMs: number;
  readonly windowEndMs: number;
  readonly summary: WindowSummary;
}

export function sentimentPointOf(w: KeywordWindow): SentimentPoint {
  const s = w.summary;
  return {
    keyword: w.keyword,
    windowStartMs: w.windowStartMs,
    windowEndMs: w.windowEndMs,
    messages: s.messages,
    positive: s.positive,
    negative: s.negative,
    neutral: s.neutral,
    meanScore: meanScoreOf(s),
  };
}
