// Bitstamp. Markets: GET /api/v2/trading-pairs-info/ → [{ name: "BTC/USD", url_symbol: "btcusd",
// trading: "Enabled" }]. Trades: GET /api/v2/transactions/{pair}/?time=minute|hour|day, newest
// first, [{ date (s, string), tid, price, amount, type: "0" buy | "1" sell }]; no cursor, so
// the poller keeps polling the last minute. Errors: { status: "error", reason }. Limit 8000
// requests per 10 minutes.
// Docs: https://www.bitstamp.net/api/#tag/Transactions-public and
// https://www.bitstamp.net/api/#tag/Market-info/operation/GetTradingPairsInfo
import type { ExchangeAdapter, MarketInfo } from '../exchange-adapter.ts';
import { asRecord, asText, fail, field, marketName } from '../parse.ts';
import { bareList, tradeListParser } from '../shapes.ts';

const exchange = 'bitstamp';

export const bitstampAdapter: ExchangeAdapter = {
  id: exchange,
  baseUrl: 'https://www.bitstamp.net',
  docsUrl: 'https://www.bitstamp.net/api/#tag/Transactions-public',
  paging: 'latest',
  // The endpoint has no limit parameter; a busy minute can exceed any number, so treat a page
  // as never "full" by size and rely on the time window.
  pageSize: Number.MAX_SAFE_INTEGER,
  requestsPerSecond: 5,
  marketsRequest: () => ({ path: '/api/v2/trading-pairs-info/', query: {} }),
  parseMarkets(body) {
    const ctx = { exchange, market: 'markets' };
    const markets: MarketInfo[] = [];
    for (const raw of bareList('the pairs response')(body, ctx)) {
      const p = asRecord(raw, ctx, 'a pair');
      if (p.trading !== undefined && p.trading !== 'Enabled') continue;
      const name = asText(field(p, 'name', ctx, 'a pair'), ctx, 'name');
      const [base, quote, extra] = name.split('/');
      if (base === undefined || quote === undefined || extra !== undefined)
        fail(ctx, 'expected a pair name BASE/QUOTE', name);
      markets.push({
        exchange,
        market: marketName(base, quote, ctx),
        symbol: asText(field(p, 'url_symbol', ctx, 'a pair'), ctx, 'url_symbol'),
      });
    }
    return markets;
  },
  tradesRequest: (market) => ({
    path: `/api/v2/transactions/${encodeURIComponent(market.symbol)}/`,
    query: { time: 'minute' },
  }),
  parseTrades: tradeListParser(exchange, bareList('the transactions response'), {
    entry: 'a transaction',
    id: 'tid',
    price: 'price',
    amount: 'amount',
    time: 'date',
    timeUnit: 's',
    side: 'type',
    // "0" buy, "1" sell; sent as a string, accepted as a number too.
    sides: (raw, ctx) => {
      const type = String(raw);
      if (type !== '0' && type !== '1') fail(ctx, "expected type '0' (buy) or '1' (sell)", raw);
      return type === '0' ? 'buy' : 'sell';
    },
  }),
};
