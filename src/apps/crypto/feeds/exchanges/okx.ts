// OKX v5. Markets: GET /api/v5/public/instruments?instType=SPOT → { code: "0", msg, data: [{
// instId: "BTC-USDT", baseCcy, quoteCcy, state: "live" }] }. Trades: GET
// /api/v5/market/history-trades?instId&type=1&after=<tradeId>&limit (max 100), newest first,
// { code: "0", data: [{ instId, tradeId, px, sz, side (taker), ts (ms) }] }; `after` returns
// records earlier than that tradeId. Errors: code != "0" with msg. Limit 20 requests/2 s.
// Docs: https://www.okx.com/docs-v5/en/#order-book-trading-market-data-get-trades-history and
// https://www.okx.com/docs-v5/en/#public-data-rest-api-get-instruments
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

const exchange = 'okx';

function dataOf(body: unknown, ctx: ParseContext): readonly unknown[] {
  const obj = asRecord(body, ctx, 'the response');
  const code = field(obj, 'code', ctx, 'the response');
  if (code !== '0') fail(ctx, `the exchange answered code ${String(code)} (${String(obj.msg)})`, body);
  return asList(field(obj, 'data', ctx, 'the response'), ctx, 'data');
}

export const okxAdapter: ExchangeAdapter = {
  id: exchange,
  baseUrl: 'https://www.okx.com',
  docsUrl: 'https://www.okx.com/docs-v5/en/#order-book-trading-market-data-get-trades-history',
  paging: 'backward',
  pageSize: 100,
  requestsPerSecond: 5,
  marketsRequest: () => ({ path: '/api/v5/public/instruments', query: { instType: 'SPOT' } }),
  parseMarkets(body) {
    const ctx = { exchange, market: 'markets' };
    const markets: MarketInfo[] = [];
    for (const raw of dataOf(body, ctx)) {
      const i = asRecord(raw, ctx, 'an instrument');
      if (i.state !== undefined && i.state !== 'live') continue;
      const base = asText(field(i, 'baseCcy', ctx, 'an instrument'), ctx, 'baseCcy');
      const quote = asText(field(i, 'quoteCcy', ctx, 'an instrument'), ctx, 'quoteCcy');
      markets.push({
        exchange,
        market: marketName(base, quote, ctx),
        symbol: asText(i.instId, ctx, 'instId'),
      });
    }
    return markets;
  },
  tradesRequest(market, cursor) {
    const query: Record<string, string> = { instId: market.symbol, type: '1', limit: '100' };
    if (cursor !== null) query.after = cursor;
    return { path: '/api/v5/market/history-trades', query };
  },
  parseTrades(market, body): TradePage {
    const ctx = { exchange, market: market.market };
    const trades: Trade[] = [];
    let oldest: number | null = null;
    for (const raw of dataOf(body, ctx)) {
      const t = asRecord(raw, ctx, 'a trade');
      const id = asId(field(t, 'tradeId', ctx, 'a trade'), ctx, 'tradeId');
      const side = field(t, 'side', ctx, 'a trade');
      if (side !== 'buy' && side !== 'sell') fail(ctx, "expected side 'buy' or 'sell'", side);
      oldest = oldest === null ? Number(id) : Math.min(oldest, Number(id));
      trades.push({
        exchange,
        market: market.market,
        price: asPositive(field(t, 'px', ctx, 'a trade'), ctx, 'px'),
        amount: asPositive(field(t, 'sz', ctx, 'a trade'), ctx, 'sz'),
        side,
        tradeId: id,
        timestampMs: asTimeMs(field(t, 'ts', ctx, 'a trade'), 'ms', ctx, 'ts'),
      });
    }
    return { trades, next: oldest === null ? null : String(oldest) };
  },
};
