// Bounds of the dashboard's application read models (crypto spikes, keyword sentiment). Memory is
// bounded by these alone, whatever the app topics hold: at most marketsMax markets of
// barsPerMarketMax bars each (typed-array rings, about 50 bytes a bar), and so on.
export const appsLimits = {
  /** Markets tracked; bars of further markets are counted as dropped. 2,400 is the demo's size. */
  marketsMax: 5_000,
  /** Scored bars kept per market (a ring). */
  barsPerMarketMax: 240,
  /** Spikes kept for the alerts feed, across all markets. */
  spikesMax: 200,
  /** Keywords tracked; points of further keywords are counted as dropped. */
  keywordsMax: 500,
  /** Timeline points kept per keyword (a ring). */
  pointsPerKeywordMax: 720,
  /** Sentiment alerts kept for the feed. */
  alertsMax: 200,
  /** Scored messages kept for the recent-messages table. */
  scoredMessagesMax: 300,
  /** On start, a follower reads from at most this many offsets (records and transaction markers) before each partition's end. */
  catchUpRecordsPerPartitionMax: 20_000,
  /** Records taken from a partition per read. */
  readRecordsMax: 500,
  /** How long one read parks on the append notifier before looking again. */
  readWaitMs: 1_000,
  /** How often a follower looks for its topic (and for new partitions) before it appears. */
  topicPollIntervalMs: 1_000,
  /** A record value larger than this is skipped (counted) rather than parsed. */
  recordValueBytesMax: 64 * 1024,
  /** Markets returned by one search. */
  marketsSearchLimitMax: 500,
  /** Market search text length. */
  marketQueryCharsMax: 100,
  /** How long the first API request waits for the initial catch-up before answering. */
  initialCatchUpWaitMs: 3_000,
  /** Scored messages are pushed to event streams in batches this often. */
  scoredFlushIntervalMs: 500,
  /** Scored messages per pushed batch (the rest of a burst is only in the table's next load). */
  scoredPerFlushMax: 50,
} as const;
