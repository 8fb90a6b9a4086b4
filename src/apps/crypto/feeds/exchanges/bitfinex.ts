// Bitfinex v2. Markets: GET /v2/conf/pub:list:pair:exchange → [["BTCUSD", "ETHUSD",
// "TESTBTC:TESTUSD", ...]] (a colon splits symbols longer than 3 letters). Trades:
// GET /v2/trades/t{PAIR}/hist?limit&sort&start → [[ID, MTS, AMOUNT, PRICE]]; AMOUNT < 0 means
// the taker sold. sort=1 with start=<ms> lists ascending from that ms (inclusive), so the
// newest MTS seen is the cursor; the first call (sort=-1) takes the newest page. limit max
// 10000. Errors: ["error", code, "message"]. Limit: 30 requests/min on trades.
// Docs: https://docs.bitfinex.com/reference/rest-public-trades and
// https://docs.bitfinex.com/reference/rest-public-conf
import type { Trade } from '../../records.ts';
import type { ExchangeAdapter, MarketInfo, TradePage } from '../exchange-adapter.ts';
import {
  asFinite,
  asId,
  asList,
  asPositive,
  asText,
  asTimeMs,
  fail,
  marketName,
  type ParseContext,
} from '../parse.ts';

const exchange = 'bitfinex';
// Bitfinex's own codes for a few assets.
const assetAliases: Readonly<Record<string, string>> = { UST: 'USDT', UDC: 'USDC', TSD: 'TUSD' };

function rejectErrorEnvelope(body: unknown, ctx: ParseContext): readonly unknown[] {
  const list = asList(body, ctx, 'the response');
  if (list[0] === 'error') fail(ctx, 'the exchange answered with an error', list);
  return list;
}

function splitPair(pair: string, ctx: ParseContext): string {
  const parts = pair.includes(':') ? pair.split(':') : [pair.slice(0, 3), pair.slice(3)];
  const [base, quote] = parts;
  if (
    parts.length !== 2 ||
    base === undefined ||
    quote === undefined ||
    (!pair.includes(':') && pair.length !== 6)
  ) {
    fail(ctx, 'expected a pair of two 3-letter symbols or BASE:QUOTE', pair);
  }
  return marketName(assetAliases[base] ?? base, assetAliases[quote] ?? quote, ctx);
}

export const bitfinexAdapter: ExchangeAdapter = {
  id: exchange,
  baseUrl: 'https://api-pub.bitfinex.com',
  docsUrl: 'https://docs.bitfinex.com/reference/rest-public-trades',
  paging: 'forward',
  pageSize: 1000,
  requestsPerSecond: 0.5,
  marketsRequest: () => ({ path: '/v2/conf/pub:list:pair:exchange', query: {} }),
  parseMarkets(body) {
    const ctx = { exchange, market: 'markets' };
    const outer = rejectErrorEnvelope(body, ctx);
    const pairs = asList(outer[0], ctx, 'the pair list');
    const markets: MarketInfo[] = [];
    for (const raw of pairs) {
      const pair = asText(raw, ctx, 'a pair');
      markets.push({ exchange, market: splitPair(pair, ctx), symbol: `t${pair}` });
    }
    return markets;
  },
  tradesRequest(market, cursor) {
    const query: Record<string, string> =
      cursor === null ? { limit: '1000', sort: '-1' } : { limit: '1000', sort: '1', start: cursor };
    return { path: `/v2/trades/${encodeURIComponent(market.symbol)}/hist`, query };
  },
  parseTrades(market, body): TradePage {
    const ctx = { exchange, market: market.market };
    const trades: Trade[] = [];
    let newestMs = -1;
    for (const raw of rejectErrorEnvelope(body, ctx)) {
      const row = asList(raw, ctx, 'a trade');
      if (row.length < 4) fail(ctx, 'expected a trade [ID, MTS, AMOUNT, PRICE]', row);
      const signed = asFinite(row[2], ctx, 'AMOUNT');
      if (signed === 0) fail(ctx, 'expected a non-zero AMOUNT', row[2]);
      const timestampMs = asTimeMs(row[1], 'ms', ctx, 'MTS');
      newestMs = Math.max(newestMs, timestampMs);
      trades.push({
        exchange,
        market: market.market,
        price: asPositive(row[3], ctx, 'PRICE'),
        amount: Math.abs(signed),
        side: signed > 0 ? 'buy' : 'sell',
        tradeId: asId(row[0], ctx, 'ID'),
        timestampMs,
      });
    }
    return { trades, next: newestMs >= 0 ? String(newestMs) : null };
  },
};
