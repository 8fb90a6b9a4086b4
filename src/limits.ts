// Every bound Sluice enforces, in one place, named with its unit. A limit that is not here is a
// limit nobody can find; add new ones here rather than as literals in the code that uses them.

/** Wire protocol. */
export const protocolLimits = {
  /** Largest request frame the broker accepts (Kafka's socket.request.max.bytes default). */
  requestBytesMax: 100 * 1024 * 1024,
  /** Largest response frame a client of ours accepts. */
  responseBytesMax: 256 * 1024 * 1024,
  /** Largest element count accepted for one array read from the wire, before the
   * remaining-bytes check (which is the tighter bound for almost every frame). */
  arrayItemsMax: 10_000_000,
  /** Deepest nesting of structs a decoder follows (descriptors nest at most 5 deep today). */
  structDepthMax: 16,
} as const;

/** The broker's network front (src/broker). */
export const brokerLimits = {
  /** Client connections one broker accepts at once; more are closed on accept, with a log line. */
  connectionsMax: 1000,
  /** Requests one connection may have decoded and unanswered; at this depth the broker stops
   * reading that socket (back-pressure) until a response is written. */
  inFlightRequestsPerConnectionMax: 100,
  /** Bytes of encoded responses queued on one socket before the broker stops reading from it. */
  socketWriteBufferBytesMax: 64 * 1024 * 1024,
  /** Longest a Fetch may wait for minBytes (the request's maxWaitMs is clipped to this). */
  fetchWaitMsMax: 30_000,
  /** Bytes one Fetch response may carry in total, whatever the request's maxBytes says. */
  fetchResponseBytesMax: 64 * 1024 * 1024,
  /** Fetch sessions (KIP-227) the broker caches; the least recently used is evicted beyond this. */
  fetchSessionsMax: 1000,
  /** Partitions one fetch session may track. */
  fetchSessionPartitionsMax: 10_000,
  /** Fetches parked waiting for data at once, over all connections. */
  parkedFetchesMax: 10_000,
  /** Topics one CreateTopics/DeleteTopics/Metadata request may name. */
  topicsPerRequestMax: 10_000,
  /** Longest graceful close waits for in-flight requests before sockets are destroyed. */
  closeGraceMsMax: 5_000,
  /** Longest a produce with acks=-1 waits for durability before answering REQUEST_TIMED_OUT. */
  produceAckWaitMsMax: 30_000,
  /** Largest broker config file read (--config). */
  configFileBytesMax: 1024 * 1024,
} as const;

/** Record batches. */
export const recordLimits = {
  /** Largest decompressed size of one record batch's records (guards against zip bombs). */
  decompressedBatchBytesMax: 64 * 1024 * 1024,
  /** Most records one batch may claim to hold. */
  batchRecordsMax: 1_000_000,
  /** Most headers one record may carry. */
  recordHeadersMax: 10_000,
} as const;
