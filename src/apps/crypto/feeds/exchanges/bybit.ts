// Bybit v5. Markets: GET /v5/market/instruments-info?category=spot → { retCode: 0, retMsg,
// result: { category, list: [{ symbol, baseCoin, quoteCoin, status: "Trading" }] } }. Trades:
// GET /v5/market/recent-trade?category=spot&symbol&limit (spot 1-60) → { retCode: 0, result: {
// list: [{ execId, symbol, price, size, side: "Buy"|"Sell" (taker), time (ms), isBlockTrade }] } };
// no cursor. Errors: retCode != 0 with retMsg. Limit 600 requests per 5 s per IP.
// Docs: https://bybit-exchange.github.io/docs/v5/market/recent-trade and
// https://bybit-exchange.github.io/docs/v5/market/instrument
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

const exchange = 'bybit';

function listOf(body: unknown, ctx: ParseContext): readonly unknown[] {
  const obj = asRecord(body, ctx, 'the response');
  const code = field(obj, 'retCode', ctx, 'the response');
  if (code !== 0) fail(ctx, `the exchange answered retCode ${String(code)} (${String(obj.retMsg)})`, body);
  const result = asRecord(field(obj, 'result', ctx, 'the response'), ctx, 'result');
  return asList(field(result, 'list', ctx, 'result'), ctx, 'result.list');
}

export const bybitAdapter: ExchangeAdapter = {
  id: exchange,
  baseUrl: 'https://api.bybit.com',
  docsUrl: 'https://bybit-exchange.github.io/docs/v5/market/recent-trade',
  paging: 'latest',
  pageSize: 60,
  requestsPerSecond: 5,
  marketsRequest: () => ({ path: '/v5/market/instruments-info', query: { category: 'spot' } }),
  parseMarkets(body) {
    const ctx = { exchange, market: 'markets' };
    const markets: MarketInfo[] = [];
    for (const raw of listOf(body, ctx)) {
      const i = asRecord(raw, ctx, 'an instrument');
      if (i.status !== undefined && i.status !== 'Trading') continue;
      const base = asText(field(i, 'baseCoin', ctx, 'an instrument'), ctx, 'baseCoin');
      const quote = asText(field(i, 'quoteCoin', ctx, 'an instrument'), ctx, 'quoteCoin');
      markets.push({
        exchange,
        market: marketName(base, quote, ctx),
        symbol: asText(i.symbol, ctx, 'symbol'),
      });
    }
    return markets;
  },
  tradesRequest: (market) => ({
    path: '/v5/market/recent-trade',
    query: { category: 'spot', symbol: market.symbol, limit: '60' },
  }),
  parseTrades(market, body): TradePage {
    const ctx = { exchange, market: market.market };
    const trades: Trade[] = [];
    for (const raw of listOf(body, ctx)) {
      const t = asRecord(raw, ctx, 'a trade');
      const side = field(t, 'side', ctx, 'a trade');
      if (side !== 'Buy' && side !== 'Sell') fail(ctx, "expected side 'Buy' or 'Sell'", side);
      trades.push({
        exchange,
        market: market.market,
        price: asPositive(field(t, 'price', ctx, 'a trade'), ctx, 'price'),
        amount: asPositive(field(t, 'size', ctx, 'a trade'), ctx, 'size'),
        side: side === 'Buy' ? 'buy' : 'sell',
        tradeId: asId(field(t, 'execId', ctx, 'a trade'), ctx, 'execId'),
        timestampMs: asTimeMs(field(t, 'time', ctx, 'a trade'), 'ms', ctx, 'time'),
      });
    }
    return { trades, next: null };
  },
};
