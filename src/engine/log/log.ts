// The engine's one view of a log. The embedded broker and a Kafka cluster (over the wire) will
// both implement these interfaces; sources and sinks built on them never know which one they
// talk to. Everything here is bytes: serdes turn bytes into values one layer up.

export interface LogHeader {
  readonly key: string;
  readonly value: Uint8Array | null;
}

export interface LogRecord {
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly headers: readonly LogHeader[];
  /** Epoch milliseconds (CreateTime or LogAppendTime, whichever the topic keeps). */
  readonly timestampMs: number;
  readonly offset: number;
}

/** What one read of a partition returned. */
export interface LogBatch {
  readonly records: readonly LogRecord[];
  /** The offset to read from next (after the last record, or past a gap such as a control batch). */
  readonly nextOffset: number;
  /** True when a bounded log has nothing at or after nextOffset and never will. */
  readonly endOfLog: boolean;
}

/** Reads one partition of one topic from a position, in batches. */
export interface PartitionReader {
  readonly topic: string;
  readonly partition: number;
  /**
   * Up to `recordsMax` records from the current position. Resolves with an empty batch when
   * nothing arrived within `waitMsMax`; never waits longer than that.
   */
  read(recordsMax: number, waitMsMax: number): Promise<LogBatch>;
  /** Moves the position (used when a job restores from a snapshot). */
  seek(offset: number): void;
  close(): Promise<void>;
}

/** What a source needs from a log. */
export interface LogReader {
  /** Number of partitions of a topic; rejects when the topic does not exist. */
  partitionCount(topic: string): Promise<number>;
  /** Opens a reader positioned at `offset` (0 = earliest the log still holds). */
  openPartition(topic: string, partition: number, offset: number): Promise<PartitionReader>;
  /** Isolation matches Kafka's read_committed when true: aborted transactions are skipped. */
  readonly readCommitted: boolean;
}

/** A record to append; the log assigns offsets. */
export interface LogAppend {
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly headers: readonly LogHeader[];
  readonly timestampMs: number;
}

/** What a sink needs from a log. */
export interface LogWriter {
  partitionCount(topic: string): Promise<number>;
  /** Appends records to one partition in order; resolves when the log has acknowledged them. */
  append(topic: string, partition: number, records: readonly LogAppend[]): Promise<void>;
  close(): Promise<void>;
}

/** The offsets a job has consumed, committed atomically with its output (exactly-once). */
export interface ConsumedOffsets {
  readonly groupId: string;
  readonly offsets: ReadonlyArray<{ topic: string; partition: number; nextOffset: number }>;
}

/**
 * A writer whose appends become visible together, with the consumed offsets, at commit:
 * the hooks a checkpoint calls. Kafka binds these to InitProducerId, AddPartitionsToTxn,
 * TxnOffsetCommit and EndTxn.
 */
export interface TransactionalLogWriter extends LogWriter {
  beginTransaction(): Promise<void>;
  commitTransaction(consumed: ConsumedOffsets): Promise<void>;
  abortTransaction(): Promise<void>;
}
