// Binance spot. Markets: GET /api/v3/exchangeInfo → { symbols: [{ symbol, status, baseAsset,
// quoteAsset }] }. Trades: GET /api/v3/trades?symbol&limit (newest) and, from a cursor,
// GET /api/v3/historicalTrades?symbol&fromId&limit (ascending from that id, inclusive), both
// [{ id, price, qty, quoteQty, time (ms), isBuyerMaker, isBestMatch }]; limit max 1000.
// isBuyerMaker true means the seller was the taker. Errors: HTTP 4xx with { code, msg }.
// Docs: https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints
// (Recent trades list, Old trade lookup); weights there: 6000/min per IP, 25 per trades call.
import type { Trade } from '../../records.ts';
import type { ExchangeAdapter, MarketInfo, TradePage } from '../exchange-adapter.ts';
import { asId, asList, asPositive, asRecord, asText, asTimeMs, field, marketName } from '../parse.ts';

const exchange = 'binance';

export const binanceAdapter: ExchangeAdapter = {
  id: exchange,
  baseUrl: 'https://api.binance.com',
  docsUrl: 'https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints',
  paging: 'forward',
  pageSize: 1000,
  requestsPerSecond: 2,
  marketsRequest: () => ({ path: '/api/v3/exchangeInfo', query: {} }),
  parseMarkets(body) {
    const ctx = { exchange, market: 'markets' };
    const symbols = asList(
      field(asRecord(body, ctx, 'exchangeInfo'), 'symbols', ctx, 'exchangeInfo'),
      ctx,
      'symbols',
    );
    const markets: MarketInfo[] = [];
    for (const raw of symbols) {
      const s = asRecord(raw, ctx, 'a symbol');
      if (field(s, 'status', ctx, 'a symbol') !== 'TRADING') continue;
      const base = asText(field(s, 'baseAsset', ctx, 'a symbol'), ctx, 'baseAsset');
      const quote = asText(field(s, 'quoteAsset', ctx, 'a symbol'), ctx, 'quoteAsset');
      markets.push({
        exchange,
        market: marketName(base, quote, ctx),
        symbol: asText(s.symbol, ctx, 'symbol'),
      });
    }
    return markets;
  },
  tradesRequest(market, cursor) {
    const query = { symbol: market.symbol, limit: '1000' };
    return cursor === null
      ? { path: '/api/v3/trades', query }
      : { path: '/api/v3/historicalTrades', query: { ...query, fromId: cursor } };
  },
  parseTrades(market, body): TradePage {
    const ctx = { exchange, market: market.market };
    const trades: Trade[] = [];
    let maxId = -1;
    for (const raw of asList(body, ctx, 'the trades response')) {
      const t = asRecord(raw, ctx, 'a trade');
      const id = asId(field(t, 'id', ctx, 'a trade'), ctx, 'trade id');
      const maker = field(t, 'isBuyerMaker', ctx, 'a trade');
      if (typeof maker !== 'boolean') asText(maker, ctx, 'isBuyerMaker (a boolean)');
      maxId = Math.max(maxId, Number(id));
      trades.push({
        exchange,
        market: market.market,
        price: asPositive(field(t, 'price', ctx, 'a trade'), ctx, 'price'),
        amount: asPositive(field(t, 'qty', ctx, 'a trade'), ctx, 'qty'),
        side: maker === true ? 'sell' : 'buy',
        tradeId: id,
        timestampMs: asTimeMs(field(t, 'time', ctx, 'a trade'), 'ms', ctx, 'time'),
      });
    }
    // fromId is inclusive: the next page starts one past the newest id seen.
    return { trades, next: maxId >= 0 ? String(maxId + 1) : null };
  },
};
