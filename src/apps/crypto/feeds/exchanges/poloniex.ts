// Poloniex (v3 spot API). Markets: GET /markets → [{ symbol: "BTC_USDT", baseCurrencyName,
// quoteCurrencyName, state: "NORMAL" }]. Trades: GET /markets/{symbol}/trades?limit (max 1000),
// newest first, [{ id, price, quantity (base), amount (quote), takerSide: "BUY"|"SELL", ts,
// createTime (ms) }]; no cursor. Errors: { code, message }. Public market data 200 requests/s.
// Docs: https://api-docs.poloniex.com/spot/api/public/market-data#trades and
// https://api-docs.poloniex.com/spot/api/public/reference-data#symbol-information
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

const exchange = 'poloniex';

function rejectErrorEnvelope(body: unknown, ctx: ParseContext): readonly unknown[] {
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    fail(ctx, 'the exchange answered with an error instead of a list', body);
  }
  return asList(body, ctx, 'the response');
}

export const poloniexAdapter: ExchangeAdapter = {
  id: exchange,
  baseUrl: 'https://api.poloniex.com',
  docsUrl: 'https://api-docs.poloniex.com/spot/api/public/market-data#trades',
  paging: 'latest',
  pageSize: 1000,
  requestsPerSecond: 5,
  marketsRequest: () => ({ path: '/markets', query: {} }),
  parseMarkets(body) {
    const ctx = { exchange, market: 'markets' };
    const markets: MarketInfo[] = [];
    for (const raw of rejectErrorEnvelope(body, ctx)) {
      const s = asRecord(raw, ctx, 'a market');
      if (s.state !== undefined && s.state !== 'NORMAL') continue;
      const base = asText(field(s, 'baseCurrencyName', ctx, 'a market'), ctx, 'baseCurrencyName');
      const quote = asText(field(s, 'quoteCurrencyName', ctx, 'a market'), ctx, 'quoteCurrencyName');
      markets.push({
        exchange,
        market: marketName(base, quote, ctx),
        symbol: asText(s.symbol, ctx, 'symbol'),
      });
    }
    return markets;
  },
  tradesRequest: (market) => ({
    path: `/markets/${encodeURIComponent(market.symbol)}/trades`,
    query: { limit: '1000' },
  }),
  parseTrades(market, body): TradePage {
    const ctx = { exchange, market: market.market };
    const trades: Trade[] = [];
    for (const raw of rejectErrorEnvelope(body, ctx)) {
      const t = asRecord(raw, ctx, 'a trade');
      const side = field(t, 'takerSide', ctx, 'a trade');
      if (side !== 'BUY' && side !== 'SELL') fail(ctx, "expected takerSide 'BUY' or 'SELL'", side);
      trades.push({
        exchange,
        market: market.market,
        price: asPositive(field(t, 'price', ctx, 'a trade'), ctx, 'price'),
        amount: asPositive(field(t, 'quantity', ctx, 'a trade'), ctx, 'quantity'),
        side: side === 'BUY' ? 'buy' : 'sell',
        tradeId: asId(field(t, 'id', ctx, 'a trade'), ctx, 'id'),
        timestampMs: asTimeMs(field(t, 'createTime', ctx, 'a trade'), 'ms', ctx, 'createTime'),
      });
    }
    return { trades, next: null };
  },
};
