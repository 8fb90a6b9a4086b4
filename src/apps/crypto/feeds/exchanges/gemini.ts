// Gemini. Markets: GET /v1/symbols → ["btcusd", "ethusd", ...] (lower case, no separator).
// Trades: GET /v1/trades/{symbol}?since_tid&limit_trades (max 500), newest first,
// [{ timestamp (s), timestampms, tid, price, amount, exchange, type: "buy"|"sell"|"auction"|
// "block" }]; `type` is the taker's side ("buy": an ask was lifted). since_tid returns trades
// after that tid. Errors: { result: "error", reason, message }. Public limit 120 requests/min.
// Docs: https://developer.gemini.com/trading/rest-api/market-data/list-trades and
// https://docs.gemini.com/rest-api/#symbols
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

const exchange = 'gemini';

// /v1/symbols gives no base/quote split (that needs one /v1/symbols/details call per symbol), so
// split on the quote currencies Gemini lists, longest first (GUSD before USD).
const quoteSuffixes = [
  'GUSD',
  'USDT',
  'USDC',
  'RLUSD',
  'DAI',
  'USD',
  'EUR',
  'GBP',
  'SGD',
  'AUD',
  'CAD',
  'BTC',
  'ETH',
  'SOL',
];

function rejectErrorEnvelope(body: unknown, ctx: ParseContext): void {
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    fail(ctx, 'the exchange answered with an error instead of a list', body);
  }
}

function splitSymbol(symbol: string, ctx: ParseContext): string | null {
  const upper = symbol.toUpperCase();
  for (const quote of quoteSuffixes) {
    if (upper.length > quote.length && upper.endsWith(quote))
      return marketName(upper.slice(0, -quote.length), quote, ctx);
  }
  return null;
}

export const geminiAdapter: ExchangeAdapter = {
  id: exchange,
  baseUrl: 'https://api.gemini.com',
  docsUrl: 'https://developer.gemini.com/trading/rest-api/market-data/list-trades',
  paging: 'forward',
  pageSize: 500,
  requestsPerSecond: 1,
  marketsRequest: () => ({ path: '/v1/symbols', query: {} }),
  parseMarkets(body) {
    const ctx = { exchange, market: 'markets' };
    rejectErrorEnvelope(body, ctx);
    const markets: MarketInfo[] = [];
    for (const raw of asList(body, ctx, 'the symbols response')) {
      const symbol = asText(raw, ctx, 'a symbol');
      const market = splitSymbol(symbol, ctx);
      // Perpetuals (btcgusdperp) and unknown quotes are skipped: the app polls spot pairs.
      if (market !== null && !symbol.toLowerCase().endsWith('perp'))
        markets.push({ exchange, market, symbol });
    }
    return markets;
  },
  tradesRequest(market, cursor) {
    const query: Record<string, string> = { limit_trades: '500' };
    if (cursor !== null) query.since_tid = cursor;
    return { path: `/v1/trades/${encodeURIComponent(market.symbol)}`, query };
  },
  parseTrades(market, body): TradePage {
    const ctx = { exchange, market: market.market };
    rejectErrorEnvelope(body, ctx);
    const trades: Trade[] = [];
    let newest = -1;
    for (const raw of asList(body, ctx, 'the trades response')) {
      const t = asRecord(raw, ctx, 'a trade');
      const tid = asId(field(t, 'tid', ctx, 'a trade'), ctx, 'tid');
      newest = Math.max(newest, Number(tid));
      const type = field(t, 'type', ctx, 'a trade');
      // Auction and block trades have no taker; they move the cursor but are not emitted.
      if (type === 'auction' || type === 'block') continue;
      if (type !== 'buy' && type !== 'sell')
        fail(ctx, "expected type 'buy', 'sell', 'auction' or 'block'", type);
      trades.push({
        exchange,
        market: market.market,
        price: asPositive(field(t, 'price', ctx, 'a trade'), ctx, 'price'),
        amount: asPositive(field(t, 'amount', ctx, 'a trade'), ctx, 'amount'),
        side: type,
        tradeId: tid,
        timestampMs: asTimeMs(field(t, 'timestampms', ctx, 'a trade'), 'ms', ctx, 'timestampms'),
      });
    }
    return { trades, next: newest >= 0 ? String(newest) : null };
  },
};
