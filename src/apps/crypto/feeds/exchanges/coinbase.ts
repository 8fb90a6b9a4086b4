// Coinbase Exchange. Markets: GET /products → [{ id: "BTC-USD", base_currency, quote_currency,
// status, trading_disabled }]. Trades: GET /products/{id}/trades?limit (max 1000), newest
// first, [{ time (ISO 8601), trade_id, price, size, side }]; `after=<trade_id>` pages to older
// trades (cursor pagination). `side` is the MAKER's side, so the taker's is the opposite.
// Errors: { message }. Public rate limit 10 requests/s per IP.
// Docs: https://docs.cdp.coinbase.com/api-reference/exchange-api/rest-api/products/get-product-trades
// and https://docs.cdp.coinbase.com/exchange/rest-api/pagination
import type { ExchangeAdapter } from '../exchange-adapter.ts';
import { asList } from '../parse.ts';
import { marketListParser, oldestId, tradeListParser } from '../shapes.ts';

const exchange = 'coinbase';

export const coinbaseAdapter: ExchangeAdapter = {
  id: exchange,
  baseUrl: 'https://api.exchange.coinbase.com',
  docsUrl: 'https://docs.cdp.coinbase.com/api-reference/exchange-api/rest-api/products/get-product-trades',
  paging: 'backward',
  pageSize: 1000,
  requestsPerSecond: 3,
  marketsRequest: () => ({ path: '/products', query: {} }),
  parseMarkets: marketListParser(exchange, (body, ctx) => asList(body, ctx, 'the products response'), {
    entry: 'a product',
    base: 'base_currency',
    quote: 'quote_currency',
    symbol: 'id',
    active: (p) => p.trading_disabled !== true && (p.status === undefined || p.status === 'online'),
  }),
  tradesRequest(market, cursor) {
    const query: Record<string, string> = { limit: '1000' };
    if (cursor !== null) query.after = cursor;
    return { path: `/products/${encodeURIComponent(market.symbol)}/trades`, query };
  },
  parseTrades: tradeListParser(
    exchange,
    (body, ctx) => asList(body, ctx, 'the trades response'),
    {
      id: 'trade_id',
      price: 'price',
      amount: 'size',
      time: 'time',
      timeUnit: 'iso',
      side: 'side',
      // `side` is the maker's: the taker took the other one.
      sides: { buy: 'sell', sell: 'buy' },
    },
    oldestId,
  ),
};
