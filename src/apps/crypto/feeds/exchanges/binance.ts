// Binance spot. Markets: GET /api/v3/exchangeInfo → { symbols: [{ symbol, status, baseAsset,
// quoteAsset }] }. Trades: GET /api/v3/trades?symbol&limit (newest) and, from a cursor,
// GET /api/v3/historicalTrades?symbol&fromId&limit (ascending from that id, inclusive), both
// [{ id, price, qty, quoteQty, time (ms), isBuyerMaker, isBestMatch }]; limit max 1000.
// isBuyerMaker true means the seller was the taker. Errors: HTTP 4xx with { code, msg }.
// Docs: https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints
// (Recent trades list, Old trade lookup); weights there: 6000/min per IP, 25 per trades call.
import type { ExchangeAdapter } from '../exchange-adapter.ts';
import { asList, asRecord, asText, field } from '../parse.ts';
import { marketListParser, newestId, tradeListParser } from '../shapes.ts';

const exchange = 'binance';

export const binanceAdapter: ExchangeAdapter = {
  id: exchange,
  baseUrl: 'https://api.binance.com',
  docsUrl: 'https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints',
  paging: 'forward',
  pageSize: 1000,
  requestsPerSecond: 2,
  marketsRequest: () => ({ path: '/api/v3/exchangeInfo', query: {} }),
  parseMarkets: marketListParser(
    exchange,
    (body, ctx) =>
      asList(field(asRecord(body, ctx, 'exchangeInfo'), 'symbols', ctx, 'exchangeInfo'), ctx, 'symbols'),
    {
      entry: 'a symbol',
      base: 'baseAsset',
      quote: 'quoteAsset',
      symbol: 'symbol',
      active: (s, ctx) => field(s, 'status', ctx, 'a symbol') === 'TRADING',
    },
  ),
  tradesRequest(market, cursor) {
    const query = { symbol: market.symbol, limit: '1000' };
    return cursor === null
      ? { path: '/api/v3/trades', query }
      : { path: '/api/v3/historicalTrades', query: { ...query, fromId: cursor } };
  },
  parseTrades: tradeListParser(
    exchange,
    (body, ctx) => asList(body, ctx, 'the trades response'),
    {
      id: 'id',
      idLabel: 'trade id',
      price: 'price',
      amount: 'qty',
      time: 'time',
      timeUnit: 'ms',
      side: 'isBuyerMaker',
      sides: (maker, ctx) => {
        if (typeof maker !== 'boolean') asText(maker, ctx, 'isBuyerMaker (a boolean)');
        return maker === true ? 'sell' : 'buy';
      },
    },
    // fromId is inclusive: the next page starts one past the newest id seen.
    newestId(1),
  ),
};
