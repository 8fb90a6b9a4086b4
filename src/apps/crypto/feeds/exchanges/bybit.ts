// Bybit v5. Markets: GET /v5/market/instruments-info?category=spot → { retCode: 0, retMsg,
// result: { category, list: [{ symbol, baseCoin, quoteCoin, status: "Trading" }] } }. Trades:
// GET /v5/market/recent-trade?category=spot&symbol&limit (spot 1-60) → { retCode: 0, result: {
// list: [{ execId, symbol, price, size, side: "Buy"|"Sell" (taker), time (ms), isBlockTrade }] } };
// no cursor. Errors: retCode != 0 with retMsg. Limit 600 requests per 5 s per IP.
// Docs: https://bybit-exchange.github.io/docs/v5/market/recent-trade and
// https://bybit-exchange.github.io/docs/v5/market/instrument
import type { ExchangeAdapter } from '../exchange-adapter.ts';
import { absentOr, envelope, marketListParser, tradeListParser } from '../shapes.ts';

const exchange = 'bybit';
const listOf = envelope({ code: 'retCode', ok: 0, message: 'retMsg', data: ['result', 'list'] });

export const bybitAdapter: ExchangeAdapter = {
  id: exchange,
  baseUrl: 'https://api.bybit.com',
  docsUrl: 'https://bybit-exchange.github.io/docs/v5/market/recent-trade',
  paging: 'latest',
  pageSize: 60,
  requestsPerSecond: 5,
  marketsRequest: () => ({ path: '/v5/market/instruments-info', query: { category: 'spot' } }),
  parseMarkets: marketListParser(exchange, listOf, {
    entry: 'an instrument',
    base: 'baseCoin',
    quote: 'quoteCoin',
    symbol: 'symbol',
    active: absentOr('status', 'Trading'),
  }),
  tradesRequest: (market) => ({
    path: '/v5/market/recent-trade',
    query: { category: 'spot', symbol: market.symbol, limit: '60' },
  }),
  parseTrades: tradeListParser(exchange, listOf, {
    id: 'execId',
    price: 'price',
    amount: 'size',
    time: 'time',
    timeUnit: 'ms',
    side: 'side',
    sides: { Buy: 'buy', Sell: 'sell' },
  }),
};
