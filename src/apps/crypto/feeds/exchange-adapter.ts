// What the poller needs from one exchange: how to list its markets and how to fetch a page of
// trades, as request descriptions plus pure parsers. The poller owns HTTP, rate limits, retries
// and dedupe, so an adapter is only the exchange's documented format.
import type { Trade } from '../records.ts';

export interface MarketInfo {
  readonly exchange: string;
  /** BASE-QUOTE, upper case (e.g. `BTC-USD`). */
  readonly market: string;
  /** The exchange's own id for the market, used in requests (e.g. `XBTUSD`, `tBTCUSD`). */
  readonly symbol: string;
}

export interface FeedRequest {
  /** Path below the base URL, already escaped. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
}

export interface TradePage {
  /** In any order; the poller sorts and dedupes. */
  readonly trades: readonly Trade[];
  /** For 'forward' paging, the cursor of the next page (newer trades); for 'backward', the
   * cursor of the page of older trades; null when the page gives none. */
  readonly next: string | null;
}

/**
 * - forward: the exchange returns trades from a cursor onward (Kraken `since`, Binance `fromId`);
 *   the cursor is kept between polls, so nothing is missed while the exchange keeps history.
 * - backward: it returns the newest trades and pages to older ones (Coinbase `after`, OKX
 *   `after`); a poll walks back until it meets a trade it has seen.
 * - latest: only the newest N trades exist; a poll whose page holds no seen trade is a gap.
 */
export type Paging = 'forward' | 'backward' | 'latest';

export interface ExchangeAdapter {
  readonly id: string;
  readonly baseUrl: string;
  /** The documentation the formats were taken from. */
  readonly docsUrl: string;
  readonly paging: Paging;
  /** Trades asked for per request (the documented maximum or a sensible page). */
  readonly pageSize: number;
  /** Default request rate, below the documented public limit. */
  readonly requestsPerSecond: number;
  marketsRequest(): FeedRequest;
  parseMarkets(body: unknown): MarketInfo[];
  tradesRequest(market: MarketInfo, cursor: string | null): FeedRequest;
  parseTrades(market: MarketInfo, body: unknown): TradePage;
}
