// OKX v5. Markets: GET /api/v5/public/instruments?instType=SPOT → { code: "0", msg, data: [{
// instId: "BTC-USDT", baseCcy, quoteCcy, state: "live" }] }. Trades: GET
// /api/v5/market/history-trades?instId&type=1&after=<tradeId>&limit (max 100), newest first,
// { code: "0", data: [{ instId, tradeId, px, sz, side (taker), ts (ms) }] }; `after` returns
// records earlier than that tradeId. Errors: code != "0" with msg. Limit 20 requests/2 s.
// Docs: https://www.okx.com/docs-v5/en/#order-book-trading-market-data-get-trades-history and
// https://www.okx.com/docs-v5/en/#public-data-rest-api-get-instruments
import type { ExchangeAdapter } from '../exchange-adapter.ts';
import { absentOr, envelope, marketListParser, oldestId, tradeListParser } from '../shapes.ts';

const exchange = 'okx';
const dataOf = envelope({ code: 'code', ok: '0', message: 'msg', data: ['data'] });

export const okxAdapter: ExchangeAdapter = {
  id: exchange,
  baseUrl: 'https://www.okx.com',
  docsUrl: 'https://www.okx.com/docs-v5/en/#order-book-trading-market-data-get-trades-history',
  paging: 'backward',
  pageSize: 100,
  requestsPerSecond: 5,
  marketsRequest: () => ({ path: '/api/v5/public/instruments', query: { instType: 'SPOT' } }),
  parseMarkets: marketListParser(exchange, dataOf, {
    entry: 'an instrument',
    base: 'baseCcy',
    quote: 'quoteCcy',
    symbol: 'instId',
    active: absentOr('state', 'live'),
  }),
  tradesRequest(market, cursor) {
    const query: Record<string, string> = { instId: market.symbol, type: '1', limit: '100' };
    if (cursor !== null) query.after = cursor;
    return { path: '/api/v5/market/history-trades', query };
  },
  parseTrades: tradeListParser(
    exchange,
    dataOf,
    {
      id: 'tradeId',
      price: 'px',
      amount: 'sz',
      time: 'ts',
      timeUnit: 'ms',
      side: 'side',
      sides: { buy: 'buy', sell: 'sell' },
    },
    oldestId,
  ),
};
