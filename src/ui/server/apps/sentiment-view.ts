// The sentiment app as the dashboard shows it: per keyword the last pointsPerKeyword timeline
// points (typed column rings: counts and mean score per window), the last alertsMax alerts and
// the last scoredMessagesMax scored messages. Fed by the followers of social.sentiment,
// social.alerts and social.scored; one keyword's points come from one partition, in order.
import type { ScoredMessage, SentimentAlert, SentimentPoint } from '../../../apps/sentiment/records.ts';
import { ColumnRing } from './column-ring.ts';
import { KeyedRing } from './keyed-ring.ts';
import { asScoredMessage, asSentimentAlert, asSentimentPoint } from './record-shapes.ts';

export interface SentimentViewLimits {
  readonly keywordsMax: number;
  readonly pointsPerKeywordMax: number;
  readonly alertsMax: number;
  readonly scoredMessagesMax: number;
}

const POINT_COLUMNS = {
  windowStartMs: 'f64',
  windowEndMs: 'f64',
  messages: 'i32',
  positive: 'i32',
  negative: 'i32',
  neutral: 'i32',
  meanScore: 'f64',
} as const;

type PointColumn = keyof typeof POINT_COLUMNS;

interface Keyword {
  readonly keyword: string;
  readonly points: ColumnRing<PointColumn>;
  alerts: number;
}

export interface KeywordSummary {
  readonly keyword: string;
  readonly points: number;
  /** Messages over the kept points. */
  readonly messages: number;
  readonly lastMeanScore: number;
  readonly lastWindowMs: number;
  readonly alerts: number;
}

/** One keyword's kept points as columns, oldest first: what the timeline plots. */
export interface KeywordTimeline {
  readonly keyword: string;
  readonly windowStartMs: number[];
  readonly windowEndMs: number[];
  readonly messages: number[];
  readonly positive: number[];
  readonly negative: number[];
  readonly neutral: number[];
  readonly meanScore: number[];
}

export interface SentimentViewStats {
  readonly keywords: number;
  readonly points: number;
  readonly alerts: number;
  readonly scoredMessages: number;
  readonly droppedKeywordPoints: number;
  readonly outOfOrderPoints: number;
  readonly malformed: number;
}

export interface SentimentViewEvents {
  point(summary: KeywordSummary, point: SentimentPoint): void;
  alert(alert: SentimentAlert): void;
  scored(message: ScoredMessage): void;
}

export class SentimentView {
  readonly limits: SentimentViewLimits;
  readonly #keywords = new Map<string, Keyword>();
  readonly #alerts: KeyedRing<SentimentAlert>;
  readonly #scored: KeyedRing<ScoredMessage>;
  readonly #listeners = new Set<Partial<SentimentViewEvents>>();
  #points = 0;
  #droppedKeywordPoints = 0;
  #outOfOrderPoints = 0;
  #malformed = 0;

  constructor(limits: SentimentViewLimits) {
    this.limits = limits;
    this.#alerts = new KeyedRing(limits.alertsMax, (a) => a.id);
    this.#scored = new KeyedRing(limits.scoredMessagesMax, (m) => `${m.source}:${m.id}:${m.keyword}`);
  }

  on(listener: Partial<SentimentViewEvents>): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get stats(): SentimentViewStats {
    return {
      keywords: this.#keywords.size,
      points: this.#points,
      alerts: this.#alerts.length,
      scoredMessages: this.#scored.length,
      droppedKeywordPoints: this.#droppedKeywordPoints,
      outOfOrderPoints: this.#outOfOrderPoints,
      malformed: this.#malformed,
    };
  }

  /** A value read from social.sentiment. */
  addPoint(value: unknown): void {
    const point = asSentimentPoint(value);
    if (point === null) {
      this.#malformed++;
      return;
    }
    const keyword = this.#keywordFor(point.keyword);
    if (keyword === undefined) {
      this.#droppedKeywordPoints++;
      return;
    }
    const outcome = keyword.points.push({
      windowStartMs: point.windowStartMs,
      windowEndMs: point.windowEndMs,
      messages: point.messages,
      positive: point.positive,
      negative: point.negative,
      neutral: point.neutral,
      meanScore: point.meanScore,
    });
    if (outcome === 'refused') {
      this.#outOfOrderPoints++;
      return;
    }
    if (outcome === 'appended') this.#points++;
    const summary = this.#summary(keyword);
    for (const l of this.#listeners) l.point?.(summary, point);
  }

  /** A value read from social.alerts. */
  addAlert(value: unknown): void {
    const alert = asSentimentAlert(value);
    if (alert === null) {
      this.#malformed++;
      return;
    }
    if (!this.#alerts.add(alert)) return;
    const keyword = this.#keywordFor(alert.keyword);
    if (keyword !== undefined) keyword.alerts++;
    for (const l of this.#listeners) l.alert?.(alert);
  }

  /** A value read from social.scored. */
  addScored(value: unknown): void {
    const message = asScoredMessage(value);
    if (message === null) {
      this.#malformed++;
      return;
    }
    if (!this.#scored.add(message)) return;
    for (const l of this.#listeners) l.scored?.(message);
  }

  /** Every keyword, by name. */
  keywords(): KeywordSummary[] {
    return [...this.#keywords.values()]
      .sort((a, b) => (a.keyword < b.keyword ? -1 : a.keyword > b.keyword ? 1 : 0))
      .map((k) => this.#summary(k));
  }

  timeline(keyword: string): KeywordTimeline | undefined {
    const k = this.#keywords.get(keyword);
    if (k === undefined) return undefined;
    const r = k.points;
    return {
      keyword,
      windowStartMs: r.column('windowStartMs'),
      windowEndMs: r.column('windowEndMs'),
      messages: r.column('messages'),
      positive: r.column('positive'),
      negative: r.column('negative'),
      neutral: r.column('neutral'),
      meanScore: r.column('meanScore'),
    };
  }

  /** The newest alerts first, of one keyword or all. */
  alerts(limit: number, keyword?: string): SentimentAlert[] {
    return this.#alerts.newest(limit, keyword === undefined ? undefined : (a) => a.keyword === keyword);
  }

  /** The newest scored messages first, of one keyword or all. */
  scored(limit: number, keyword?: string): ScoredMessage[] {
    return this.#scored.newest(limit, keyword === undefined ? undefined : (m) => m.keyword === keyword);
  }

  #keywordFor(name: string): Keyword | undefined {
    const known = this.#keywords.get(name);
    if (known !== undefined || this.#keywords.size >= this.limits.keywordsMax) return known;
    const created: Keyword = {
      keyword: name,
      points: new ColumnRing<PointColumn>(POINT_COLUMNS, 'windowStartMs', this.limits.pointsPerKeywordMax),
      alerts: 0,
    };
    this.#keywords.set(name, created);
    return created;
  }

  #summary(k: Keyword): KeywordSummary {
    const n = k.points.length;
    let messages = 0;
    for (let i = 0; i < n; i++) messages += k.points.at('messages', i);
    return {
      keyword: k.keyword,
      points: n,
      messages,
      lastMeanScore: n === 0 ? 0 : k.points.at('meanScore', n - 1),
      lastWindowMs: n === 0 ? 0 : k.points.at('windowStartMs', n - 1),
      alerts: k.alerts,
    };
  }
}
