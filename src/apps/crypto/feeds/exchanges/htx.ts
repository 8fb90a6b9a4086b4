// HTX (Huobi). Markets: GET /v1/common/symbols → { status: "ok", data: [{ "base-currency": "btc",
// "quote-currency": "usdt", symbol: "btcusdt", state: "online" }] }. Trades: GET
// /market/history/trade?symbol&size (1-2000) → { status: "ok", ch, ts, data: [{ id, ts, data:
// [{ id, "trade-id", ts (ms), price, amount, direction: "buy"|"sell" (taker) }] }] }: the
// newest trades, no cursor. Errors: { status: "error", "err-code", "err-msg" }.
// Docs: https://huobiapi.github.io/docs/spot/v1/en/#get-the-most-recent-trades and
// https://huobiapi.github.io/docs/spot/v1/en/#get-all-supported-trading-symbol
import type { ExchangeAdapter } from '../exchange-adapter.ts';
import { asList, asRecord, field, type ParseContext } from '../parse.ts';
import { absentOr, envelope, marketListParser, tradeListParser } from '../shapes.ts';

const exchange = 'htx';
const dataOf = envelope({ code: 'status', ok: 'ok', message: 'err-msg', data: ['data'] });

/** Trades come grouped by the match that produced them; read group by group. */
function* tradesOf(body: unknown, ctx: ParseContext): Iterable<unknown> {
  for (const rawGroup of dataOf(body, ctx)) {
    const group = asRecord(rawGroup, ctx, 'a trade group');
    yield* asList(field(group, 'data', ctx, 'a trade group'), ctx, 'a trade group data');
  }
}

export const htxAdapter: ExchangeAdapter = {
  id: exchange,
  baseUrl: 'https://api.huobi.pro',
  docsUrl: 'https://huobiapi.github.io/docs/spot/v1/en/#get-the-most-recent-trades',
  paging: 'latest',
  pageSize: 2000,
  requestsPerSecond: 5,
  marketsRequest: () => ({ path: '/v1/common/symbols', query: {} }),
  parseMarkets: marketListParser(exchange, dataOf, {
    entry: 'a symbol',
    base: 'base-currency',
    quote: 'quote-currency',
    symbol: 'symbol',
    active: absentOr('state', 'online'),
  }),
  tradesRequest: (market) => ({
    path: '/market/history/trade',
    query: { symbol: market.symbol, size: '2000' },
  }),
  parseTrades: tradeListParser(exchange, tradesOf, {
    id: 'trade-id',
    price: 'price',
    amount: 'amount',
    time: 'ts',
    timeUnit: 'ms',
    side: 'direction',
    sides: { buy: 'buy', sell: 'sell' },
  }),
};
