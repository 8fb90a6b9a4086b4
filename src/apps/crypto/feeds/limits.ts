// Bounds of the exchange trade feeds, named with their units. Kept here (not in src/limits.ts)
// because only the pollers use them.

export const feedLimits = {
  /** Exchanges one poller may poll at once (there are 11 adapters). */
  exchangesMax: 32,
  /** Markets one poller may poll on one exchange. */
  marketsPerExchangeMax: 500,
  /** Requests in flight over all exchanges when the caller does not say. */
  inFlightRequestsDefault: 8,
  inFlightRequestsMax: 256,
  /** Shortest and default pause between two polls of the same market. */
  pollIntervalMsMin: 100,
  pollIntervalMsDefault: 5_000,
  /** Pages fetched for one market in one poll ("all trades in batches"), so a busy market
   * cannot starve the others; what is left is fetched on the next poll. */
  pagesPerPollMax: 10,
  /** Retries of one request after a 429, a 5xx or a network error, before the poll gives up. */
  retriesMax: 5,
  /** Backoff after a retriable failure without Retry-After: base doubled per attempt, capped. */
  backoffMsBase: 500,
  backoffMsMax: 60_000,
  /** Longest Retry-After honoured; a larger value is clipped (a typo on the server should not
   * park a feed for a day). */
  retryAfterMsMax: 300_000,
  /** One HTTP request's deadline. */
  requestTimeoutMs: 15_000,
  /** Largest response body read (the biggest documented page, 10000 Bitfinex trades, is ~1 MiB). */
  responseBytesMax: 16 * 1024 * 1024,
  /** Trade ids remembered per market to drop repeats across overlapping pages and polls. */
  recentTradeIdsPerMarketMax: 20_000,
  /** Characters of an offending value quoted in an error message. */
  errorValueCharsMax: 200,
} as const;
