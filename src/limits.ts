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

/** Record batches. */
export const recordLimits = {
  /** Largest decompressed size of one record batch's records (guards against zip bombs). */
  decompressedBatchBytesMax: 64 * 1024 * 1024,
  /** Most records one batch may claim to hold. */
  batchRecordsMax: 1_000_000,
  /** Most headers one record may carry. */
  recordHeadersMax: 10_000,
} as const;
