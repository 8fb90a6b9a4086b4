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
  /** Most messages one legacy message set (magic 0/1, Produce v0-2) may hold, counting those
   * inside compressed wrappers. */
  legacyMessageSetMessagesMax: 1_000_000,
  /** Largest total decompressed size of all compressed wrappers in one legacy message set, so a
   * set of many small gzip bombs is bounded as a whole, not only wrapper by wrapper. */
  legacyMessageSetDecompressedBytesMax: 64 * 1024 * 1024,
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

/** Stream-processing engine (src/engine). */
export const engineLimits = {
  /** Most records a source partition hands to the runtime in one poll, and most per batch. */
  batchRecordsMax: 2048,
  /** Most elements (record batches or watermarks) one channel between two tasks may hold. */
  channelElementsMax: 16,
  /** Default total bytes of operator state one job may hold in memory (estimated sizes). */
  stateBytesMaxDefault: 512 * 1024 * 1024,
  /** Most pending timers (event or processing time) one operator instance may hold. */
  timersMax: 10_000_000,
  /** Most open session windows one key may hold before the job fails. */
  sessionsPerKeyMax: 100_000,
  /** Most buffered records per key and side in an interval join. */
  intervalJoinRecordsPerKeyMax: 1_000_000,
  /** Most records one flatMap call may emit. */
  flatMapOutputsMax: 1_000_000,
  /** Nodes in one job's logical graph. */
  graphNodesMax: 10_000,
  /** Tasks one stage may run (its parallelism). */
  stageParallelismMax: 1024,
  /** Objects visited when estimating one state value's size; larger values count as this many. */
  sizeEstimateNodesMax: 100_000,
  /** Longest processing-time wait of an idle runtime loop before it checks timers again. */
  idleLoopWaitMsMax: 50,
  /** Longest line the JSON-lines file source accepts. */
  fileLineBytesMax: 16 * 1024 * 1024,
  /** Bytes the JSON-lines file sink buffers before writing them out. */
  fileSinkBufferBytesMax: 1024 * 1024,
  /** Bytes the JSON-lines file source reads from disk at a time. */
  fileReadChunkBytes: 1024 * 1024,
  /** Completed checkpoints a checkpoint storage keeps; older ones are deleted after each save. */
  checkpointsRetained: 3,
  /** Largest checkpoint file a restore reads (a longer one is refused, not allocated). */
  checkpointBytesMax: 1024 * 1024 * 1024,
  /** Worker-thread executors one job may run. */
  executorsMax: 256,
  /** Shortest checkpoint interval or micro-batch trigger interval accepted. */
  triggerIntervalMsMin: 10,
  /** Checkpoints of the history the metrics keep (the newest). */
  checkpointHistoryMax: 100,
  /** How often worker executors post their metrics to the coordinator. */
  metricsReportIntervalMs: 200,
  /** Bytes the embedded log binding reads from a partition at a time (whole batches; one may exceed it). */
  embeddedReadBytesMax: 1024 * 1024,
  /** Records per batch a log binding appends (several batches for a longer append). */
  logAppendBatchRecordsMax: 1000,
  /** Times a log binding repeats a transaction request the coordinator answers as busy (CONCURRENT_TRANSACTIONS). */
  logBusyRetriesMax: 500,
  /** Records a topic sink task buffers before the runtime must await its flush (backpressure). */
  logSinkBufferedRecordsMax: 10_000,
} as const;

/** Partition log storage (src/storage). */
export const storageLimits = {
  /** Bytes of sealed segments' offset and time indexes kept in memory, least recently used evicted. */
  indexCacheBytesMax: 64 * 1024 * 1024,
  /** Largest one stored batch may be (header included); a longer length field read from disk is corruption. */
  batchBytesMax: 64 * 1024 * 1024,
  /** Appends waiting on one partition before new ones are refused (back-pressure, not buffering). */
  appendQueueDepthMax: 4096,
  /** Bytes read per call while scanning a segment (recovery, index rebuild, timestamp search). */
  scanChunkBytes: 1024 * 1024,
  /**
   * Byte ranges per segment remembered as holding CRC-checked batches (appended by this process
   * after validation, scanned by recovery, or checked by an earlier read), which later reads do
   * not check again; beyond this the shortest range is forgotten (and checked again when read).
   */
  verifiedRangesPerSegmentMax: 8,
  /** Bytes read per call while walking batch headers from an index entry to the wanted offset. */
  headerWalkChunkBytes: 16 * 1024,
  /** Batches a background task (scan, compaction) handles before yielding to the event loop. */
  backgroundSliceBatchesMax: 256,
  /** Topics one data directory holds. */
  topicsMax: 10_000,
  /** Partitions one topic may have. */
  partitionsPerTopicMax: 10_000,
  /** Segments one partition may have; a roll beyond this is refused with an error. */
  segmentsPerPartitionMax: 100_000,
  /** Largest metadata or checkpoint file read whole. */
  metadataFileBytesMax: 64 * 1024 * 1024,
  /** Distinct keys the cleaner's offset map holds in one pass; a longer dirty section is cleaned in several passes. */
  cleanerKeysMax: 1_000_000,
  /** Waiters one group-commit round may resolve (each is one append awaiting durability). */
  flushWaitersMax: 1_000_000,
} as const;

/** Group coordinator (src/coordinator): classic and consumer (KIP-848) groups, committed offsets. */
export const coordinatorLimits = {
  /** Groups one coordinator holds (classic and consumer together, offsets-only groups included). */
  groupsMax: 100_000,
  /** Members (and pending members awaiting their second JoinGroup) one group may hold. */
  groupMembersMax: 1_000,
  /** Longest group id, member id, instance id, client id, rack id or protocol name accepted. */
  idBytesMax: 1_024,
  /** Protocols one JoinGroup may offer. */
  joinProtocolsMax: 64,
  /** Largest protocol metadata (a member's subscription) or assignment one member may carry. */
  memberMetadataBytesMax: 1024 * 1024,
  /** Smallest session timeout a classic member may ask for (Kafka's group.min.session.timeout.ms). */
  sessionTimeoutMsMin: 1_000,
  /** Largest session timeout a classic member may ask for (Kafka's group.max.session.timeout.ms). */
  sessionTimeoutMsMax: 30 * 60 * 1000,
  /** Largest rebalance timeout a member may ask for; longer ones are clamped (timers stay bounded). */
  rebalanceTimeoutMsMax: 30 * 60 * 1000,
  /** Largest metadata string one committed offset may carry (Kafka's offset.metadata.max.bytes). */
  offsetMetadataBytesMax: 4_096,
  /** Partitions one OffsetCommit, OffsetFetch or OffsetDelete request may name in total. */
  offsetRequestPartitionsMax: 1_000_000,
  /** Committed offsets one group may hold. */
  offsetsPerGroupMax: 1_000_000,
  /** Topics one KIP-848 member may subscribe to by name. */
  subscribedTopicsMax: 10_000,
  /** Longest subscription regular expression a KIP-848 member may send. */
  subscriptionRegexBytesMax: 1_024,
  /** Partitions a server-side assignor may distribute in one group (all subscribed topics). */
  assignablePartitionsMax: 1_000_000,
  /** Moves the uniform assignor makes while balancing, per assignment (bounds the balancing loop). */
  assignorMovesMax: 1_000_000,
  /** Pending coordinator timers (sessions, rebalances, pending joins and syncs, retention sweeps). */
  timersMax: 1_000_000,
  /** Partitions of the internal __consumer_offsets topic the coordinator creates at most. */
  offsetsTopicPartitionsMax: 50,
  /** Records one append to __consumer_offsets may carry (DeleteGroups of a large group is split). */
  offsetsAppendRecordsMax: 10_000,
  /** Groups one DescribeGroups, DeleteGroups, ConsumerGroupDescribe or OffsetFetch (v8+) may name. */
  groupsPerRequestMax: 10_000,
  /** Keys one batched FindCoordinator (v4+) may name. */
  coordinatorKeysMax: 10_000,
} as const;

/** Sluice's Kafka client (src/client): connections, producer, consumer, admin. */
export const clientLimits = {
  /** Requests one connection has written and not yet seen answered; more wait in its queue. The
   * idempotent producer's ordering argument needs no more than Kafka's 5. */
  inFlightRequestsPerConnectionMax: 5,
  /** Requests waiting on one connection for an in-flight slot before send() refuses new ones. */
  queuedRequestsPerConnectionMax: 10_000,
  /** Connections one client keeps to one broker (lanes: requests, fetches, group heartbeats). */
  connectionsPerBrokerMax: 4,
  /** Longest a TCP connect plus the ApiVersions handshake may take. */
  connectTimeoutMsDefault: 10_000,
  /** Longest a request may wait for its response (a Fetch adds its own maxWaitMs). */
  requestTimeoutMsDefault: 30_000,
  /** First wait before retrying a retriable error; doubles each attempt, with jitter. */
  retryBackoffMsInitial: 100,
  /** Largest wait between two retries. */
  retryBackoffMsMax: 1_000,
  /** Attempts one metadata, admin or coordinator call makes before its error is final. */
  retryAttemptsMax: 20,
  /** Topics one Metadata refresh may carry. */
  metadataTopicsMax: 10_000,
  /** Bytes of records the producer holds (open, ready and in-flight batches); send() waits beyond. */
  producerBufferBytesMax: 32 * 1024 * 1024,
  /** Default target size of one record batch before compression (Java's batch.size). */
  producerBatchBytesDefault: 16 * 1024,
  /** Largest batch.size a producer may be configured with. */
  producerBatchBytesMax: 16 * 1024 * 1024,
  /** Default longest a record waits for its batch to fill (Java's linger.ms in Kafka 4). */
  producerLingerMsDefault: 5,
  /** Default longest a record may take from send() to acknowledgement, retries included. */
  producerDeliveryTimeoutMsDefault: 120_000,
  /** Partitions one Produce request may carry. */
  producePartitionsPerRequestMax: 1_000,
  /** Default Fetch maxBytes (Java's fetch.max.bytes). */
  fetchBytesMaxDefault: 50 * 1024 * 1024,
  /** Default Fetch partitionMaxBytes (Java's max.partition.fetch.bytes). */
  fetchPartitionBytesMaxDefault: 1024 * 1024,
  /** Default Fetch maxWaitMs (Java's fetch.max.wait.ms). */
  fetchWaitMsDefault: 500,
  /** Bytes of fetched record batches a consumer buffers ahead of its reader; fetching pauses beyond. */
  consumerPrefetchBytesMax: 64 * 1024 * 1024,
  /** Fetched partition batches a consumer buffers ahead of its reader; fetching pauses beyond. */
  consumerPrefetchBatchesMax: 1_024,
  /** Records one delivered batch carries at most (a larger fetched batch is split). */
  consumerDeliveredRecordsMax: 10_000,
  /** Partitions one consumer may be assigned. */
  consumerPartitionsMax: 100_000,
  /** Members one group assignment may be computed for. */
  assignorMembersMax: 10_000,
} as const;

/** Exactly-once (src/txn): idempotent producer state per partition, the transaction coordinator. */
export const transactionLimits = {
  /** Batches per producer whose sequence ranges are remembered for duplicate detection (Kafka's 5,
   * the most in-flight requests an idempotent producer may have). */
  producerBatchesRememberedMax: 5,
  /** Producers one partition tracks; a new producer beyond this is refused (retriable). */
  producersPerPartitionMax: 100_000,
  /** Transactional ids one coordinator holds (ongoing and completed, until expiry). */
  transactionalIdsMax: 100_000,
  /** Partitions one transaction may span. */
  partitionsPerTransactionMax: 100_000,
  /** Offsets one transaction may commit (TxnOffsetCommit, over all its groups). */
  offsetsPerTransactionMax: 100_000,
  /** Longest transactional id accepted. */
  transactionalIdBytesMax: 1_024,
  /** Largest transaction.timeout.ms a producer may ask for (Kafka's transaction.max.timeout.ms). */
  transactionTimeoutMsMax: 15 * 60 * 1000,
  /** Partitions of the internal __transaction_state topic created at most. */
  transactionStateTopicPartitionsMax: 50,
  /** Producer ids reserved per durable block record; a restart skips the rest of the block. */
  producerIdBlockSize: 1_000,
  /** Bytes of one producer-state snapshot file read at recovery. */
  producerSnapshotBytesMax: 64 * 1024 * 1024,
  /** Aborted transactions one segment's .txnindex may hold. */
  abortedTransactionsPerSegmentMax: 1_000_000,
  /** Aborted transactions listed in one Fetch partition response. */
  abortedTransactionsPerFetchMax: 100_000,
  /** Producer-state snapshots kept per partition (the newest ones). */
  producerSnapshotsKeptMax: 2,
  /** Transactions one ListTransactions or DescribeTransactions answer may carry. */
  transactionsPerResponseMax: 100_000,
  /** How often the coordinator looks for timed-out transactions and expired ids. */
  timeoutCheckIntervalMs: 1_000,
  /** Attempts to write a transaction's markers before the coordinator retries later. */
  markerWriteAttemptsMax: 5,
} as const;

/** The command line (src/cli). */
export const cliLimits = {
  /** Default longest one client command (topics, groups, produce's delivery) may take. */
  operationTimeoutMsDefault: 30_000,
  /** Largest --timeout-ms accepted (one day), so every wait stays bounded. */
  operationTimeoutMsMax: 24 * 60 * 60 * 1000,
  /** Longest a connection attempt may take, whatever --timeout-ms says. */
  connectTimeoutMsMax: 10_000,
  /** Longest stdin line `produce` accepts (key, separator and value); longer lines fail. */
  produceLineBytesMax: 1024 * 1024,
  /** Bytes of records `produce` has sent and not seen acknowledged before it waits (half the
   * producer's buffer, so reading stdin never outruns the producer). */
  produceUnackedBytesMax: 16 * 1024 * 1024,
  /** Largest --rate (records per second). */
  produceRatePerSecondMax: 10_000_000,
  /** How often `consume` in group mode commits what it has printed. */
  consumeCommitIntervalMs: 5_000,
  /** Shortest time between two redraws of a progress line. */
  progressRedrawMsMin: 100,
} as const;

/** The dashboard's HTTP server, JSON API and event streams (src/ui/server). */
export const httpLimits = {
  /** Sockets the HTTP server keeps open at once; beyond it new ones are closed on accept. */
  connectionsMax: 256,
  /** Server-sent-event streams open at once over all kinds (throughput, lag, tail, jobs). */
  sseClientsMax: 32,
  /** Bytes queued on one event-stream socket before that client is dropped as too slow. */
  sseClientBufferBytesMax: 1024 * 1024,
  /** Largest JSON request body accepted (config edits, offset resets, job starts). */
  requestBodyBytesMax: 64 * 1024,
  /** Records one message-browser page returns at most. */
  browseRecordsMax: 500,
  /** Bytes read from a partition for one browser page at most. */
  browseBytesMax: 4 * 1024 * 1024,
  /** Bytes of one key or value shown in the browser; longer ones are cut and marked truncated. */
  browseFieldBytesMax: 16 * 1024,
  /** Records one live-tail event carries at most; the rest follow in the next event. */
  tailRecordsPerEventMax: 100,
  /** How often the sampler reads throughput, lag and job figures for charts and streams. */
  sampleIntervalMs: 1_000,
  /** Samples kept for charts (the newest): 300 at one a second is five minutes. */
  sampleHistoryMax: 300,
  /** Groups and partitions charted per sample; lag of further ones is still in /metrics. */
  lagSeriesMax: 1_000,
  /** Longest time a static file or API request may take before its socket is closed. */
  requestTimeoutMs: 30_000,
  /** Jobs (defined or running) one broker process tracks for the dashboard. */
  jobsMax: 64,
} as const;
