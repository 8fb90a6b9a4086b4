// Gemini. Markets: GET /v1/symbols → ["btcusd", "ethusd", ...] (lower case, no separator).
// Trades: GET /v1/trades/{symbol}?since_tid&limit_trades (max 500), newest first,
// [{ timestamp (s), timestampms, tid, price, amount, exchange, type: "buy"|"sell"|"auction"|
// "block" }]; `type` is the taker's side ("buy": an ask was lifted). since_tid returns trades
// after that tid. Errors: { result: "error", reason, message }. Public limit 120 requests/min.
// Docs: https://developer.gemini.com/trading/rest-api/market-data/list-trades and
// https://docs.gemini.com/rest-api/#symbols
import type { ExchangeAdapter, MarketInfo } from '../exchange-adapter.ts';
import { asText, marketName, type ParseContext } from '../parse.ts';
import { bareList, newestId, tradeListParser } from '../shapes.ts';

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
    const markets: MarketInfo[] = [];
    for (const raw of bareList('the symbols response')(body, ctx)) {
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
  parseTrades: tradeListParser(
    exchange,
    bareList('the trades response'),
    {
      id: 'tid',
      price: 'price',
      amount: 'amount',
      time: 'timestampms',
      timeUnit: 'ms',
      side: 'type',
      // Auction and block trades have no taker; they move the cursor but are not emitted.
      sides: { buy: 'buy', sell: 'sell', auction: null, block: null },
    },
    newestId(),
  ),
};
