// Checked reads of JSON bodies: each helper returns the typed value or throws a
// FeedResponseError naming the exchange, the market, the field and the value found there.
import { FeedResponseError, preview } from './errors.ts';

export interface ParseContext {
  readonly exchange: string;
  /** The market being read, or `markets` while listing them. */
  readonly market: string;
}

export function fail(ctx: ParseContext, what: string, value: unknown): never {
  throw new FeedResponseError(ctx.exchange, ctx.market, `${what}, got ${preview(value)}`);
}

export function asRecord(value: unknown, ctx: ParseContext, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(ctx, `expected ${what} to be an object`, value);
  }
  return value as Record<string, unknown>;
}

export function asList(value: unknown, ctx: ParseContext, what: string): readonly unknown[] {
  if (!Array.isArray(value)) fail(ctx, `expected ${what} to be an array`, value);
  return value;
}

/** A field of an object that must be present. */
export function field(obj: Record<string, unknown>, key: string, ctx: ParseContext, what: string): unknown {
  if (!(key in obj)) fail(ctx, `${what} has no field '${key}'`, obj);
  return obj[key];
}

export function asText(value: unknown, ctx: ParseContext, what: string): string {
  if (typeof value === 'string' && value.length > 0) return value;
  fail(ctx, `expected ${what} to be a non-empty string`, value);
}

/** An identifier the exchange sends as a string or as an integer; kept as a string. */
export function asId(value: unknown, ctx: ParseContext, what: string): string {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === 'string' && value.length > 0 && value.length <= 100) return value;
  fail(ctx, `expected ${what} to be an id (string or non-negative integer)`, value);
}

/** A decimal sent as a number or a numeric string; must be finite and > 0 (prices, amounts). */
export function asPositive(value: unknown, ctx: ParseContext, what: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n === 'number' && Number.isFinite(n) && n > 0) return n;
  fail(ctx, `expected ${what} to be a positive number`, value);
}

/** Any finite number, sent as a number or a numeric string. */
export function asFinite(value: unknown, ctx: ParseContext, what: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n === 'number' && Number.isFinite(n)) return n;
  fail(ctx, `expected ${what} to be a number`, value);
}

// Trades before 2009 or after 2100 are unit mix-ups (seconds read as ms, ns as ms), not trades.
const timeMsMin = Date.UTC(2009, 0, 1);
const timeMsMax = Date.UTC(2100, 0, 1);

/** A trade time in ms since the epoch, from a value in the given unit. */
export function asTimeMs(value: unknown, unit: 's' | 'ms' | 'ns', ctx: ParseContext, what: string): number {
  const n = asFinite(value, ctx, what);
  const ms = Math.floor(unit === 's' ? n * 1000 : unit === 'ns' ? n / 1e6 : n);
  if (ms < timeMsMin || ms > timeMsMax)
    fail(ctx, `expected ${what} to be a time in ${unit} since the epoch`, value);
  return ms;
}

export function asIsoTimeMs(value: unknown, ctx: ParseContext, what: string): number {
  const text = asText(value, ctx, what);
  const ms = Date.parse(text);
  if (!Number.isFinite(ms) || ms < timeMsMin || ms > timeMsMax) {
    fail(ctx, `expected ${what} to be an ISO 8601 time`, value);
  }
  return ms;
}

const assetPattern = /^[A-Z0-9]{1,20}$/;

/** BASE-QUOTE in upper case; each side checked so a malformed symbol never becomes a key. */
export function marketName(base: string, quote: string, ctx: ParseContext): string {
  const b = base.toUpperCase();
  const q = quote.toUpperCase();
  if (!assetPattern.test(b)) fail(ctx, 'expected a base asset of 1-20 letters or digits', base);
  if (!assetPattern.test(q)) fail(ctx, 'expected a quote asset of 1-20 letters or digits', quote);
  return `${b}-${q}`;
}
