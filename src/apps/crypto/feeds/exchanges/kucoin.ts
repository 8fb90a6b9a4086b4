// KuCoin spot. Markets: GET /api/v2/symbols → { code: "200000", data: [{ symbol: "BTC-USDT",
// baseCurrency, quoteCurrency, enableTrading }] }. Trades: GET /api/v1/market/histories?symbol
// → { code: "200000", data: [{ sequence, price, size, side (taker), time (ns) }] }: the last
// 100 trades, no cursor. Errors: code != "200000" with msg. Public pool 2000 weight per 30 s,
// 3 per call.
// Docs: https://www.kucoin.com/docs-new/rest/spot-trading/market-data/get-trade-history and
// https://www.kucoin.com/docs-new/rest/spot-trading/market-data/get-all-symbols
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

const exchange = 'kucoin';

function dataOf(body: unknown, ctx: ParseContext): readonly unknown[] {
  const obj = asRecord(body, ctx, 'the response');
  const code = field(obj, 'code', ctx, 'the response');
  if (code !== '200000') fail(ctx, `the exchange answered code ${String(code)} (${String(obj.msg)})`, body);
  return asList(field(obj, 'data', ctx, 'the response'), ctx, 'data');
}

export const kucoinAdapter: ExchangeAdapter = {
  id: exchange,
  baseUrl: 'https://api.kucoin.com',
  docsUrl: 'https://www.kucoin.com/docs-new/rest/spot-trading/market-data/get-trade-history',
  paging: 'latest',
  pageSize: 100,
  requestsPerSecond: 5,
  marketsRequest: () => ({ path: '/api/v2/symbols', query: {} }),
  parseMarkets(body) {
    const ctx = { exchange, market: 'markets' };
    const markets: MarketInfo[] = [];
    for (const raw of dataOf(body, ctx)) {
      const s = asRecord(raw, ctx, 'a symbol');
      if (s.enableTrading === false) continue;
      const base = asText(field(s, 'baseCurrency', ctx, 'a symbol'), ctx, 'baseCurrency');
      const quote = asText(field(s, 'quoteCurrency', ctx, 'a symbol'), ctx, 'quoteCurrency');
      markets.push({
        exchange,
        market: marketName(base, quote, ctx),
        symbol: asText(s.symbol, ctx, 'symbol'),
      });
    }
    return markets;
  },
  tradesRequest: (market) => ({ path: '/api/v1/market/histories', query: { symbol: market.symbol } }),
  parseTrades(market, body): TradePage {
    const ctx = { exchange, market: market.market };
    const trades: Trade[] = [];
    for (const raw of dataOf(body, ctx)) {
      const t = asRecord(raw, ctx, 'a trade');
      const side = field(t, 'side', ctx, 'a trade');
      if (side !== 'buy' && side !== 'sell') fail(ctx, "expected side 'buy' or 'sell'", side);
      trades.push({
        exchange,
        market: market.market,
        price: asPositive(field(t, 'price', ctx, 'a trade'), ctx, 'price'),
        amount: asPositive(field(t, 'size', ctx, 'a trade'), ctx, 'size'),
        side,
        tradeId: asId(field(t, 'sequence', ctx, 'a trade'), ctx, 'sequence'),
        timestampMs: asTimeMs(field(t, 'time', ctx, 'a trade'), 'ns', ctx, 'time'),
      });
    }
    return { trades, next: null };
  },
};
