// Bounds of the Slack connectors and the alert poster, named with their units. Kept here rather
// than in src/limits.ts because they belong to the sentiment app, not to the log or the engine.

export const slackLimits = {
  /** Largest Events API request body read; Slack's event payloads are a few KiB. */
  eventBodyBytesMax: 1024 * 1024,
  /** Slack's documented replay window: a request signed longer ago than this is refused. */
  signatureAgeSecMax: 5 * 60,
  /** Slack gives up on a request after 3 s; answer before that even when the sink is slow. */
  eventAckMsMax: 2_500,
  /** event_ids remembered to drop Slack's retries of events already handed to the sink. */
  seenEventIdsMax: 10_000,
  /** conversations.history and conversations.list page size (Slack allows up to 1000, advises 200). */
  historyPageSizeMax: 200,
  /** Pages read per channel per poll; a backlog larger than this continues on the next poll. */
  historyPagesPerPollMax: 20,
  /** Pages of conversations.list read while resolving channel names. */
  channelListPagesMax: 100,
  /** Channels one poller may watch. */
  polledChannelsMax: 500,
  /** Shortest interval between two polls of the same channel (Tier 3: about 50 calls a minute). */
  pollIntervalMsMin: 1_000,
  /** Alert ids remembered (and persisted) so a replayed alert is not posted twice. */
  postedAlertIdsMax: 10_000,
  /** Longest wait between two attempts to post an alert (Retry-After is honoured above this). */
  postBackoffMsMax: 60_000,
  /** Longest single Retry-After honoured, so a bogus header cannot park the poster for days. */
  retryAfterMsMax: 15 * 60_000,
  /** Sample texts shown per alert, and characters per sample. */
  alertSamplesMax: 5,
  alertSampleCharsMax: 300,
} as const;
