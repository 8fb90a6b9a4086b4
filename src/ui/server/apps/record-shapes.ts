// Checks that a JSON value read from an app topic has the contract's shape
// (src/apps/*/records.ts) before a view keeps it: a malformed record is skipped and counted,
// never shown half-filled or allowed to poison a typed-array column with NaN.
import type { ScoredBar, Spike } from '../../../apps/crypto/records.ts';
import type {
  ScoredMessage,
  SentimentAlert,
  SentimentLabel,
  SentimentPoint,
} from '../../../apps/sentiment/records.ts';

type Fields = Record<string, unknown>;

function objectOf(value: unknown): Fields | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : null;
}

function numbers(o: Fields, names: readonly string[]): boolean {
  return names.every((n) => typeof o[n] === 'number' && Number.isFinite(o[n]));
}

function strings(o: Fields, names: readonly string[]): boolean {
  return names.every((n) => typeof o[n] === 'string');
}

const BAR_NUMBERS = [
  'windowStartMs',
  'windowEndMs',
  'open',
  'high',
  'low',
  'close',
  'volume',
  'trades',
  'vwap',
  'returnPct',
  'zScore',
  'volumeRatio',
  'probability',
] as const;

export function asScoredBar(value: unknown): ScoredBar | null {
  const o = objectOf(value);
  if (o === null || !strings(o, ['exchange', 'market']) || !numbers(o, BAR_NUMBERS)) return null;
  return typeof o.spike === 'boolean' ? (o as unknown as ScoredBar) : null;
}

export function asSpike(value: unknown): Spike | null {
  const bar = asScoredBar(value);
  if (bar === null) return null;
  const direction = (value as Fields).direction;
  return direction === 'up' || direction === 'down' ? (bar as Spike) : null;
}

const LABELS: readonly SentimentLabel[] = ['positive', 'negative', 'neutral'];

export function asScoredMessage(value: unknown): ScoredMessage | null {
  const o = objectOf(value);
  if (
    o === null ||
    !strings(o, ['source', 'channel', 'user', 'text', 'id', 'keyword']) ||
    !numbers(o, ['timestampMs', 'score'])
  )
    return null;
  return LABELS.includes(o.label as SentimentLabel) ? (o as unknown as ScoredMessage) : null;
}

export function asSentimentPoint(value: unknown): SentimentPoint | null {
  const o = objectOf(value);
  if (
    o === null ||
    !strings(o, ['keyword']) ||
    !numbers(o, ['windowStartMs', 'windowEndMs', 'messages', 'positive', 'negative', 'neutral', 'meanScore'])
  )
    return null;
  return o as unknown as SentimentPoint;
}

export function asSentimentAlert(value: unknown): SentimentAlert | null {
  const o = objectOf(value);
  if (
    o === null ||
    !strings(o, ['id', 'keyword', 'kind', 'summary']) ||
    !numbers(o, ['windowStartMs', 'windowEndMs', 'meanScore', 'messages'])
  )
    return null;
  if (o.kind !== 'negative-trend' && o.kind !== 'negative-message') return null;
  const samples = o.samples;
  if (!Array.isArray(samples) || samples.some((s) => typeof s !== 'string')) return null;
  return o as unknown as SentimentAlert;
}
