// Kraken spot. Markets: GET /0/public/AssetPairs → { error: [], result: { XXBTZUSD: { altname:
// "XBTUSD", wsname: "XBT/USD", base, quote, status } } }. Trades: GET /0/public/Trades?pair&since
// &count (count max 1000) → { error: [], result: { <pair>: [[price, volume, time (s, fractional),
// "b"|"s" (taker side), "m"|"l", misc, trade_id]], last: "<cursor>" } }; `last` is the `since`
// of the next call. Errors: a non-empty `error` array. Public limit ~1 request/s.
// Docs: https://docs.kraken.com/api/docs/rest-api/get-recent-trades/ and
// https://docs.kraken.com/api/docs/rest-api/get-tradable-asset-pairs
import type { Trade } from '../../records.ts';
import type { ExchangeAdapter, MarketInfo, TradePage } from '../exchange-adapter.ts';
import {
  asId,
  asList,
  asPositive,
  asRecord,
  asText,
  asTimeMs,
  fail,
  field,
  marketName,
  type ParseContext,
} from '../parse.ts';

const exchange = 'kraken';

// Kraken's legacy asset codes in wsname; everyone else says BTC and DOGE.
const assetAliases: Readonly<Record<string, string>> = { XBT: 'BTC', XDG: 'DOGE' };

function checkErrors(body: unknown, ctx: ParseContext): Record<string, unknown> {
  const obj = asRecord(body, ctx, 'the response');
  const errors = asList(field(obj, 'error', ctx, 'the response'), ctx, 'error');
  if (errors.length > 0) fail(ctx, 'the exchange answered with errors', errors);
  return asRecord(field(obj, 'result', ctx, 'the response'), ctx, 'result');
}

export const krakenAdapter: ExchangeAdapter = {
  id: exchange,
  baseUrl: 'https://api.kraken.com',
  docsUrl: 'https://docs.kraken.com/api/docs/rest-api/get-recent-trades/',
  paging: 'forward',
  pageSize: 1000,
  requestsPerSecond: 1,
  marketsRequest: () => ({ path: '/0/public/AssetPairs', query: {} }),
  parseMarkets(body) {
    const ctx = { exchange, market: 'markets' };
    const markets: MarketInfo[] = [];
    for (const [key, raw] of Object.entries(checkErrors(body, ctx))) {
      const p = asRecord(raw, ctx, `pair ${key}`);
      if (p.status !== undefined && p.status !== 'online') continue;
      // Pairs without a wsname (dark pools, '.d') are not tradable on the public book.
      if (typeof p.wsname !== 'string') continue;
      const [base, quote, extra] = p.wsname.split('/');
      if (base === undefined || quote === undefined || extra !== undefined)
        fail(ctx, `pair ${key} has a wsname not of the form BASE/QUOTE`, p.wsname);
      const name = marketName(assetAliases[base] ?? base, assetAliases[quote] ?? quote, ctx);
      markets.push({
        exchange,
        market: name,
        symbol: asText(field(p, 'altname', ctx, `pair ${key}`), ctx, 'altname'),
      });
    }
    return markets;
  },
  tradesRequest(market, cursor) {
    const query: Record<string, string> = { pair: market.symbol, count: '1000' };
    if (cursor !== null) query.since = cursor;
    return { path: '/0/public/Trades', query };
  },
  parseTrades(market, body): TradePage {
    const ctx = { exchange, market: market.market };
    const result = checkErrors(body, ctx);
    const last = asId(field(result, 'last', ctx, 'result'), ctx, 'last');
    // The trades sit under the pair's canonical name (XXBTZUSD for XBTUSD): the one other key.
    const keys = Object.keys(result).filter((k) => k !== 'last');
    if (keys.length !== 1) fail(ctx, 'expected result to hold one pair besides last', keys);
    const rows = asList(result[keys[0] as string], ctx, 'the trades');
    const trades: Trade[] = [];
    for (const raw of rows) {
      const row = asList(raw, ctx, 'a trade');
      if (row.length < 7)
        fail(ctx, 'expected a trade of 7 fields (price, volume, time, side, type, misc, id)', row);
      const side = row[3];
      if (side !== 'b' && side !== 's') fail(ctx, "expected trade side 'b' or 's'", side);
      trades.push({
        exchange,
        market: market.market,
        price: asPositive(row[0], ctx, 'price'),
        amount: asPositive(row[1], ctx, 'volume'),
        side: side === 'b' ? 'buy' : 'sell',
        tradeId: asId(row[6], ctx, 'trade_id'),
        timestampMs: asTimeMs(row[2], 's', ctx, 'time'),
      });
    }
    return { trades, next: last };
  },
};
