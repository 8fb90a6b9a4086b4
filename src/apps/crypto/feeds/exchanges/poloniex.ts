// Poloniex (v3 spot API). Markets: GET /markets → [{ symbol: "BTC_USDT", baseCurrencyName,
// quoteCurrencyName, state: "NORMAL" }]. Trades: GET /markets/{symbol}/trades?limit (max 1000),
// newest first, [{ id, price, quantity (base), amount (quote), takerSide: "BUY"|"SELL", ts,
// createTime (ms) }]; no cursor. Errors: { code, message }. Public market data 200 requests/s.
// Docs: https://api-docs.poloniex.com/spot/api/public/market-data#trades and
// https://api-docs.poloniex.com/spot/api/public/reference-data#symbol-information
import type { ExchangeAdapter } from '../exchange-adapter.ts';
import { absentOr, bareList, marketListParser, tradeListParser } from '../shapes.ts';

const exchange = 'poloniex';
const listOf = bareList('the response');

export const poloniexAdapter: ExchangeAdapter = {
  id: exchange,
  baseUrl: 'https://api.poloniex.com',
  docsUrl: 'https://api-docs.poloniex.com/spot/api/public/market-data#trades',
  paging: 'latest',
  pageSize: 1000,
  requestsPerSecond: 5,
  marketsRequest: () => ({ path: '/markets', query: {} }),
  parseMarkets: marketListParser(exchange, listOf, {
    entry: 'a market',
    base: 'baseCurrencyName',
    quote: 'quoteCurrencyName',
    symbol: 'symbol',
    active: absentOr('state', 'NORMAL'),
  }),
  tradesRequest: (market) => ({
    path: `/markets/${encodeURIComponent(market.symbol)}/trades`,
    query: { limit: '1000' },
  }),
  parseTrades: tradeListParser(exchange, listOf, {
    id: 'id',
    price: 'price',
    amount: 'quantity',
    time: 'createTime',
    timeUnit: 'ms',
    side: 'takerSide',
    sides: { BUY: 'buy', SELL: 'sell' },
  }),
};
