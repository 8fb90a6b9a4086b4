// KuCoin spot. Markets: GET /api/v2/symbols → { code: "200000", data: [{ symbol: "BTC-USDT",
// baseCurrency, quoteCurrency, enableTrading }] }. Trades: GET /api/v1/market/histories?symbol
// → { code: "200000", data: [{ sequence, price, size, side (taker), time (ns) }] }: the last
// 100 trades, no cursor. Errors: code != "200000" with msg. Public pool 2000 weight per 30 s,
// 3 per call.
// Docs: https://www.kucoin.com/docs-new/rest/spot-trading/market-data/get-trade-history and
// https://www.kucoin.com/docs-new/rest/spot-trading/market-data/get-all-symbols
import type { ExchangeAdapter } from '../exchange-adapter.ts';
import { envelope, marketListParser, tradeListParser } from '../shapes.ts';

const exchange = 'kucoin';
const dataOf = envelope({ code: 'code', ok: '200000', message: 'msg', data: ['data'] });

export const kucoinAdapter: ExchangeAdapter = {
  id: exchange,
  baseUrl: 'https://api.kucoin.com',
  docsUrl: 'https://www.kucoin.com/docs-new/rest/spot-trading/market-data/get-trade-history',
  paging: 'latest',
  pageSize: 100,
  requestsPerSecond: 5,
  marketsRequest: () => ({ path: '/api/v2/symbols', query: {} }),
  parseMarkets: marketListParser(exchange, dataOf, {
    entry: 'a symbol',
    base: 'baseCurrency',
    quote: 'quoteCurrency',
    symbol: 'symbol',
    active: (s) => s.enableTrading !== false,
  }),
  tradesRequest: (market) => ({ path: '/api/v1/market/histories', query: { symbol: market.symbol } }),
  parseTrades: tradeListParser(exchange, dataOf, {
    id: 'sequence',
    price: 'price',
    amount: 'size',
    time: 'time',
    timeUnit: 'ns',
    side: 'side',
    sides: { buy: 'buy', sell: 'sell' },
  }),
};
