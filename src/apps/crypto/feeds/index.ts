// The exchange trade feeds' package boundary, for the CLI.
export type { Clock } from './clock.ts';
export { FeedHttpError, FeedResponseError } from './errors.ts';
export type { ExchangeAdapter, FeedRequest, MarketInfo, Paging, TradePage } from './exchange-adapter.ts';
export { exchangeAdapters } from './exchange-adapters.ts';
export { type ListMarketsOptions, listMarkets } from './list-markets.ts';
export { topicTradeSink } from './topic-sink.ts';
export {
  type ExchangeFeedOptions,
  type ExchangeStats,
  startTradePoller,
  type TradePoller,
  type TradePollerOptions,
  type TradeSink,
} from './trade-poller.ts';
