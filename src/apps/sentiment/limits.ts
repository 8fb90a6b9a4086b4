// The sentiment app's bounds, named with their units. Everything the app keeps or reads from
// outside (message text, keyword lists, alert samples, the feed's queue) is limited here.
export const sentimentLimits = {
  /** Characters of a message the scorer reads; longer text is cut (a pasted log is not feedback). */
  scoredTextCharsMax: 2_000,
  /** Keywords one job watches. */
  keywordsMax: 32,
  /** Characters of one keyword. */
  keywordCharsMax: 64,
  /** Message texts an alert carries as examples. */
  alertSamplesMax: 3,
  /** Characters of one alert sample (Slack shows a short excerpt). */
  alertSampleCharsMax: 280,
  /** Smallest and largest timeline window. */
  windowMsMin: 1_000,
  windowMsMax: 24 * 60 * 60 * 1_000,
  /** Messages per second a feed produces at most. */
  feedRatePerSecondMax: 20_000,
  /** Records a feed hands to the producer before awaiting their acknowledgements. */
  feedInFlightRecordsMax: 5_000,
  /** How often a paced feed wakes to send the messages that have come due. */
  feedTickMs: 50,
  /** Messages a bounded generator run may produce. */
  generatorMessagesMax: 10_000_000,
  /** Sentiment episodes one generator follows. */
  generatorEpisodesMax: 64,
} as const;
