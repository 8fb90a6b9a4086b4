// Bitstamp. Markets: GET /api/v2/trading-pairs-info/ → [{ name: "BTC/USD", url_symbol: "btcusd",
// trading: "Enabled" }]. Trades: GET /api/v2/transactions/{pair}/?time=minute|hour|day, newest
// first, [{ date (s, string), tid, price, amount, type: "0" buy | "1" sell }]; no cursor, so
// the poller keeps polling the last minute. Errors: { status: "error", reason }. Limit 8000
// requests per 10 minutes.
// Docs: https://www.bitstamp.net/api/#tag/Transactions-public and
// https://www.bitstamp.net/api/#tag/Market-info/operation/GetTradingPairsInfo
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

const exchange = 'bitstamp';

function rejectErrorEnvelope(body: unknown, ctx: ParseContext): void {
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    fail(ctx, 'the exchange answered with an error instead of a list', body);
  }
}

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
    rejectErrorEnvelope(body, ctx);
    const markets: MarketInfo[] = [];
    for (const raw of asList(body, ctx, 'the pairs response')) {
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
  parseTrades(market, body): TradePage {
    const ctx = { exchange, market: market.market };
    rejectErrorEnvelope(body, ctx);
    const trades: Trade[] = [];
    for (const raw of asList(body, ctx, 'the transactions response')) {
      const t = asRecord(raw, ctx, 'a transaction');
      const type = String(field(t, 'type', ctx, 'a transaction'));
      if (type !== '0' && type !== '1') fail(ctx, "expected type '0' (buy) or '1' (sell)", t.type);
      trades.push({
        exchange,
        market: market.market,
        price: asPositive(field(t, 'price', ctx, 'a transaction'), ctx, 'price'),
        amount: asPositive(field(t, 'amount', ctx, 'a transaction'), ctx, 'amount'),
        side: type === '0' ? 'buy' : 'sell',
        tradeId: asId(field(t, 'tid', ctx, 'a transaction'), ctx, 'tid'),
        timestampMs: asTimeMs(field(t, 'date', ctx, 'a transaction'), 's', ctx, 'date'),
      });
    }
    return { trades, next: null };
  },
};
