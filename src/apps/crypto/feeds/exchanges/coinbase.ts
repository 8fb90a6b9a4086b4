// Coinbase Exchange. Markets: GET /products → [{ id: "BTC-USD", base_currency, quote_currency,
// status, trading_disabled }]. Trades: GET /products/{id}/trades?limit (max 1000), newest
// first, [{ time (ISO 8601), trade_id, price, size, side }]; `after=<trade_id>` pages to older
// trades (cursor pagination). `side` is the MAKER's side, so the taker's is the opposite.
// Errors: { message }. Public rate limit 10 requests/s per IP.
// Docs: https://docs.cdp.coinbase.com/api-reference/exchange-api/rest-api/products/get-product-trades
// and https://docs.cdp.coinbase.com/exchange/rest-api/pagination
import type { Trade } from '../../records.ts';
import type { ExchangeAdapter, MarketInfo, TradePage } from '../exchange-adapter.ts';
import {
  asId,
  asIsoTimeMs,
  asList,
  asPositive,
  asRecord,
  asText,
  fail,
  field,
  marketName,
} from '../parse.ts';

const exchange = 'coinbase';

export const coinbaseAdapter: ExchangeAdapter = {
  id: exchange,
  baseUrl: 'https://api.exchange.coinbase.com',
  docsUrl: 'https://docs.cdp.coinbase.com/api-reference/exchange-api/rest-api/products/get-product-trades',
  paging: 'backward',
  pageSize: 1000,
  requestsPerSecond: 3,
  marketsRequest: () => ({ path: '/products', query: {} }),
  parseMarkets(body) {
    const ctx = { exchange, market: 'markets' };
    const markets: MarketInfo[] = [];
    for (const raw of asList(body, ctx, 'the products response')) {
      const p = asRecord(raw, ctx, 'a product');
      if (p.trading_disabled === true || (p.status !== undefined && p.status !== 'online')) continue;
      const base = asText(field(p, 'base_currency', ctx, 'a product'), ctx, 'base_currency');
      const quote = asText(field(p, 'quote_currency', ctx, 'a product'), ctx, 'quote_currency');
      markets.push({ exchange, market: marketName(base, quote, ctx), symbol: asText(p.id, ctx, 'id') });
    }
    return markets;
  },
  tradesRequest(market, cursor) {
    const query: Record<string, string> = { limit: '1000' };
    if (cursor !== null) query.after = cursor;
    return { path: `/products/${encodeURIComponent(market.symbol)}/trades`, query };
  },
  parseTrades(market, body): TradePage {
    const ctx = { exchange, market: market.market };
    const trades: Trade[] = [];
    let oldest: number | null = null;
    for (const raw of asList(body, ctx, 'the trades response')) {
      const t = asRecord(raw, ctx, 'a trade');
      const id = asId(field(t, 'trade_id', ctx, 'a trade'), ctx, 'trade_id');
      const makerSide = field(t, 'side', ctx, 'a trade');
      if (makerSide !== 'buy' && makerSide !== 'sell') fail(ctx, "expected side 'buy' or 'sell'", makerSide);
      oldest = oldest === null ? Number(id) : Math.min(oldest, Number(id));
      trades.push({
        exchange,
        market: market.market,
        price: asPositive(field(t, 'price', ctx, 'a trade'), ctx, 'price'),
        amount: asPositive(field(t, 'size', ctx, 'a trade'), ctx, 'size'),
        side: makerSide === 'buy' ? 'sell' : 'buy',
        tradeId: id,
        timestampMs: asIsoTimeMs(field(t, 'time', ctx, 'a trade'), ctx, 'time'),
      });
    }
    return { trades, next: oldest === null ? null : String(oldest) };
  },
};
