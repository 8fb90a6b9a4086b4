// Bounds of the X filtered-stream connector, named with their units, and X's documented
// reconnection policy (docs.x.com, "Handling disconnections").

export const xLimits = {
  /** Longest line (one JSON object) read from the stream before the connection is dropped as broken. */
  streamLineBytesMax: 1024 * 1024,
  /** X sends a keep-alive newline every 20 s; silence this long means the connection is dead. */
  streamStallMs: 30_000,
  /** Keywords (rules) one stream manages; X's plans allow 5 to 1000 rules. */
  rulesMax: 1000,
  /** Characters in one rule's value (X allows 512 on most plans). */
  ruleValueCharsMax: 512,
  /** Attempts to hand one tweet to the sink before it is reported as dropped. */
  sinkAttemptsMax: 5,
  /** First wait between sink attempts (doubling). */
  sinkBackoffMsInitial: 200,
  /** Longest error body read from a failed HTTP answer, for the error message. */
  errorBodyCharsMax: 500,
} as const;

/** How long to wait before reconnecting, by what went wrong. */
export interface XReconnectPolicy {
  /** TCP/IP errors: back off linearly, this much more per attempt ... */
  networkBackoffMsStep: number;
  /** ... up to this. */
  networkBackoffMsMax: number;
  /** HTTP errors: back off exponentially from this ... */
  httpBackoffMsInitial: number;
  /** ... up to this. */
  httpBackoffMsMax: number;
  /** HTTP 429: back off exponentially from this ... */
  rateLimitBackoffMsInitial: number;
  /** ... up to this (X gives no cap; one is set so a long outage still retries). */
  rateLimitBackoffMsMax: number;
}

export const xReconnectPolicy: XReconnectPolicy = {
  networkBackoffMsStep: 250,
  networkBackoffMsMax: 16_000,
  httpBackoffMsInitial: 5_000,
  httpBackoffMsMax: 320_000,
  rateLimitBackoffMsInitial: 60_000,
  rateLimitBackoffMsMax: 15 * 60_000,
};
