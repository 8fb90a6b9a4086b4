// HTX (Huobi). Markets: GET /v1/common/symbols → { status: "ok", data: [{ "base-currency": "btc",
// "quote-currency": "usdt", symbol: "btcusdt", state: "online" }] }. Trades: GET
// /market/history/trade?symbol&size (1-2000) → { status: "ok", ch, ts, data: [{ id, ts, data:
// [{ id, "trade-id", ts (ms), price, amount, direction: "buy"|"sell" (taker) }] }] }: the
// newest trades, no cursor. Errors: { status: "error", "err-code", "err-msg" }.
// Docs: https://huobiapi.github.io/docs/spot/v1/en/#get-the-most-recent-trades and
// https://huobiapi.github.io/docs/spot/v1/en/#get-all-supported-trading-symbol
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

const exchange = 'htx';

function dataOf(body: unknown, ctx: ParseContext): readonly unknown[] {
  const obj = asRecord(body, ctx, 'the response');
  const status = field(obj, 'status', ctx, 'the response');
  if (status !== 'ok')
    fail(ctx, `the exchange answered status ${String(status)} (${String(obj['err-msg'])})`, body);
  return asList(field(obj, 'data', ctx, 'the response'), ctx, 'data');
}

export const htxAdapter: ExchangeAdapter = {
  id: exchange,
  baseUrl: 'https://api.huobi.pro',
  docsUrl: 'https://huobiapi.github.io/docs/spot/v1/en/#get-the-most-recent-trades',
  paging: 'latest',
  pageSize: 2000,
  requestsPerSecond: 5,
  marketsRequest: () => ({ path: '/v1/common/symbols', query: {} }),
  parseMarkets(body) {
    const ctx = { exchange, market: 'markets' };
    const markets: MarketInfo[] = [];
    for (const raw of dataOf(body, ctx)) {
      const s = asRecord(raw, ctx, 'a symbol');
      if (s.state !== undefined && s.state !== 'online') continue;
      const base = asText(field(s, 'base-currency', ctx, 'a symbol'), ctx, 'base-currency');
      const quote = asText(field(s, 'quote-currency', ctx, 'a symbol'), ctx, 'quote-currency');
      markets.push({
        exchange,
        market: marketName(base, quote, ctx),
        symbol: asText(s.symbol, ctx, 'symbol'),
      });
    }
    return markets;
  },
  tradesRequest: (market) => ({
    path: '/market/history/trade',
    query: { symbol: market.symbol, size: '2000' },
  }),
  parseTrades(market, body): TradePage {
    const ctx = { exchange, market: market.market };
    const trades: Trade[] = [];
    // Trades come grouped by the match that produced them.
    for (const rawGroup of dataOf(body, ctx)) {
      const group = asRecord(rawGroup, ctx, 'a trade group');
      for (const raw of asList(field(group, 'data', ctx, 'a trade group'), ctx, 'a trade group data')) {
        const t = asRecord(raw, ctx, 'a trade');
        const direction = field(t, 'direction', ctx, 'a trade');
        if (direction !== 'buy' && direction !== 'sell')
          fail(ctx, "expected direction 'buy' or 'sell'", direction);
        trades.push({
          exchange,
          market: market.market,
          price: asPositive(field(t, 'price', ctx, 'a trade'), ctx, 'price'),
          amount: asPositive(field(t, 'amount', ctx, 'a trade'), ctx, 'amount'),
          side: direction,
          tradeId: asId(field(t, 'trade-id', ctx, 'a trade'), ctx, 'trade-id'),
          timestampMs: asTimeMs(field(t, 'ts', ctx, 'a trade'), 'ms', ctx, 'ts'),
        });
      }
    }
    return { trades, next: null };
  },
};
