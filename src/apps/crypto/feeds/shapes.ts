// Declarative readers for the shapes most exchanges share, so an adapter states only its field
// names: the list a response wraps (a `{ code, data }` envelope or a bare list), an instrument
// list read into MarketInfo[], a trade record read into a Trade, and the paging cursor a page
// gives. Every read goes through parse.ts, so errors name the exchange, market, field and value.
import type { Trade, TradeSide } from '../records.ts';
import type { MarketInfo, TradePage } from './exchange-adapter.ts';
import {
  asId,
  asIsoTimeMs,
  asList,
  asPositive,
  asRecord,
  asText,
  asTimeMs,
  fail,
  field,
  marketName,
  type ParseContext,
} from './parse.ts';

/** Reads the records a response body holds (markets or trades); may throw on an error envelope. */
export type EntriesOf = (body: unknown, ctx: ParseContext) => Iterable<unknown>;

export interface EnvelopeFields {
  /** The status field and the value that means success (`code: "0"`, `retCode: 0`, `status: "ok"`). */
  readonly code: string;
  readonly ok: unknown;
  /** The field with the error text, quoted when the status is not `ok`. */
  readonly message: string;
  /** Where the list sits: `['data']`, `['result', 'list']`. */
  readonly data: readonly [string, ...string[]];
}

/** The list inside a `{ code, msg, data }`-style wrapper; any other code is the exchange's error. */
export function envelope(fields: EnvelopeFields): EntriesOf {
  return (body, ctx) => {
    let obj = asRecord(body, ctx, 'the response');
    const code = field(obj, fields.code, ctx, 'the response');
    if (code !== fields.ok) {
      fail(
        ctx,
        `the exchange answered ${fields.code} ${String(code)} (${String(obj[fields.message])})`,
        body,
      );
    }
    let parent = 'the response';
    const last = fields.data.length - 1;
    for (let i = 0; i < last; i++) {
      const path = fields.data.slice(0, i + 1).join('.');
      obj = asRecord(field(obj, fields.data[i] as string, ctx, parent), ctx, path);
      parent = path;
    }
    return asList(field(obj, fields.data[last] as string, ctx, parent), ctx, fields.data.join('.'));
  };
}

/** A body that is a bare list; an object in its place is the exchange's error envelope. */
export function bareList(what: string): EntriesOf {
  return (body, ctx) => {
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
      fail(ctx, 'the exchange answered with an error instead of a list', body);
    }
    return asList(body, ctx, what);
  };
}

/** `entry[key]` is absent or equals `value` (the usual "status: trading" test). */
export function absentOr(key: string, value: unknown): (entry: Record<string, unknown>) => boolean {
  return (entry) => entry[key] === undefined || entry[key] === value;
}

export interface MarketFields {
  /** What one entry is called in errors: `a symbol`, `an instrument`. */
  readonly entry: string;
  readonly base: string;
  readonly quote: string;
  /** The exchange's own id for the market. */
  readonly symbol: string;
  /** False for entries to skip (halted, delisted); without it every entry is listed. */
  readonly active?: (entry: Record<string, unknown>, ctx: ParseContext) => boolean;
}

/** parseMarkets for an instrument list with base, quote and symbol fields. */
export function marketListParser(
  exchange: string,
  entriesOf: EntriesOf,
  fields: MarketFields,
): (body: unknown) => MarketInfo[] {
  return (body) => {
    const ctx = { exchange, market: 'markets' };
    const markets: MarketInfo[] = [];
    for (const raw of entriesOf(body, ctx)) {
      const entry = asRecord(raw, ctx, fields.entry);
      if (fields.active !== undefined && !fields.active(entry, ctx)) continue;
      const base = asText(field(entry, fields.base, ctx, fields.entry), ctx, fields.base);
      const quote = asText(field(entry, fields.quote, ctx, fields.entry), ctx, fields.quote);
      markets.push({
        exchange,
        market: marketName(base, quote, ctx),
        symbol: asText(entry[fields.symbol], ctx, fields.symbol),
      });
    }
    return markets;
  };
}

/**
 * The taker side from a trade's side field: a table of the raw values (null: no taker, e.g. an
 * auction; the trade is skipped), or a function for anything a table cannot say.
 */
export type SideMapping =
  | Readonly<Record<string, TradeSide | null>>
  | ((raw: unknown, ctx: ParseContext) => TradeSide);

export interface TradeFields {
  /** What one record is called in errors; default `a trade`. */
  readonly entry?: string;
  readonly id: string;
  /** The id's name in errors, when not its field name. */
  readonly idLabel?: string;
  readonly price: string;
  /** Base-currency amount. */
  readonly amount: string;
  readonly time: string;
  readonly timeUnit: 's' | 'ms' | 'ns' | 'iso';
  readonly side: string;
  readonly sides: SideMapping;
}

function quoted(values: readonly string[]): string {
  const all = values.map((v) => `'${v}'`);
  return all.length < 2 ? all.join('') : `${all.slice(0, -1).join(', ')} or ${all[all.length - 1]}`;
}

function takerSide(raw: unknown, fields: TradeFields, ctx: ParseContext): TradeSide | null {
  const sides = fields.sides;
  if (typeof sides === 'function') return sides(raw, ctx);
  if (typeof raw === 'string' && Object.hasOwn(sides, raw)) return sides[raw] ?? null;
  return fail(ctx, `expected ${fields.side} ${quoted(Object.keys(sides))}`, raw);
}

/**
 * One trade record, read in the order id, side, price, amount, time. `trade` is null for a
 * record the side table skips; its id is still read (it still moves a cursor).
 */
export function readTrade(
  raw: unknown,
  exchange: string,
  market: MarketInfo,
  fields: TradeFields,
  ctx: ParseContext,
): { readonly id: string; readonly trade: Trade | null } {
  const entry = fields.entry ?? 'a trade';
  const t = asRecord(raw, ctx, entry);
  const id = asId(field(t, fields.id, ctx, entry), ctx, fields.idLabel ?? fields.id);
  const side = takerSide(field(t, fields.side, ctx, entry), fields, ctx);
  if (side === null) return { id, trade: null };
  const timeMs = (value: unknown): number =>
    fields.timeUnit === 'iso'
      ? asIsoTimeMs(value, ctx, fields.time)
      : asTimeMs(value, fields.timeUnit, ctx, fields.time);
  return {
    id,
    trade: {
      exchange,
      market: market.market,
      price: asPositive(field(t, fields.price, ctx, entry), ctx, fields.price),
      amount: asPositive(field(t, fields.amount, ctx, entry), ctx, fields.amount),
      side,
      tradeId: id,
      timestampMs: timeMs(field(t, fields.time, ctx, entry)),
    },
  };
}

/** The next page's cursor from the ids of every record on a page (skipped ones included). */
export type NextCursor = (ids: readonly string[]) => string | null;

/** Backward paging by id: the oldest id seen. */
export const oldestId: NextCursor = (ids) => {
  let oldest: number | null = null;
  for (const id of ids) oldest = oldest === null ? Number(id) : Math.min(oldest, Number(id));
  return oldest === null ? null : String(oldest);
};

/** Forward paging by id: the newest id seen, plus `step` (1 when the cursor is inclusive). */
export function newestId(step = 0): NextCursor {
  return (ids) => {
    let newest = -1;
    for (const id of ids) newest = Math.max(newest, Number(id));
    return newest >= 0 ? String(newest + step) : null;
  };
}

/** parseTrades for a list of trade records; without `next` the page gives no cursor. */
export function tradeListParser(
  exchange: string,
  entriesOf: EntriesOf,
  fields: TradeFields,
  next: NextCursor = () => null,
): (market: MarketInfo, body: unknown) => TradePage {
  return (market, body) => {
    const ctx = { exchange, market: market.market };
    const trades: Trade[] = [];
    const ids: string[] = [];
    for (const raw of entriesOf(body, ctx)) {
      const { id, trade } = readTrade(raw, exchange, market, fields, ctx);
      ids.push(id);
      if (trade !== null) trades.push(trade);
    }
    return { trades, next: next(ids) };
  };
}
