// The engine's one view of a log. Two bindings implement it: the embedded broker in this process
// (src/connectors/embedded: storage and the transaction coordinator called directly, no TCP) and
// any Kafka cluster over the wire (src/connectors/kafka: Sluice's client). Topic sources and
// sinks are written against this interface only, and one contract suite
// (src/connectors/log-contract.ts) runs against every binding. Everything here is bytes: serdes
// turn bytes into values one layer up.

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
  /** True when a bounded reader has reached its end offset: nothing more will come. */
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
  close(): Promise<void>;
}

export interface ReaderOptions {
  /** Kafka's read_committed: records of aborted or still open transactions are never returned. */
  readonly readCommitted: boolean;
  /** Bounded reading: the reader ends (endOfLog) once its position reaches this offset. */
  readonly endOffset: number | null;
}

/** A record to append; the log assigns offsets. */
export interface LogAppend {
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly headers: readonly LogHeader[];
  readonly timestampMs: number;
}

/** Offsets a job consumed from one topic, for one consumer group: next offset per partition. */
export interface ConsumedOffsets {
  readonly groupId: string;
  readonly topic: string;
  readonly offsets: ReadonlyArray<{ readonly partition: number; readonly nextOffset: number }>;
  /** Kept with each committed offset (Kafka's offset metadata): which checkpoint committed it. */
  readonly metadata: string;
}

/** A transaction as the log knows it: enough for another process to commit it after a crash. */
export interface TransactionHandle {
  readonly transactionalId: string;
  readonly producerId: bigint;
  readonly producerEpoch: number;
}

/**
 * A writer whose appends become visible together, with the consumed offsets, at commit. Kafka
 * binds these to InitProducerId (fencing), AddPartitionsToTxn + Produce, AddOffsetsToTxn +
 * TxnOffsetCommit, and EndTxn. One transaction at a time; the first append or offset begins it.
 */
export interface TransactionalLogWriter {
  readonly transactionalId: string;
  /**
   * InitProducerId: a new epoch for the transactional id. Any earlier incarnation (a crashed run,
   * a zombie) is fenced, and its open transaction aborted.
   */
  init(): Promise<TransactionHandle>;
  /** Appends records to one partition in order, inside the open transaction; resolves once acknowledged. */
  append(topic: string, partition: number, records: readonly LogAppend[]): Promise<void>;
  /** Adds consumed offsets to the open transaction. */
  addOffsets(consumed: readonly ConsumedOffsets[]): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
  close(): Promise<void>;
}

/** Everything the engine needs from a log. */
export interface Log {
  /** For messages: "embedded broker 1" or "Kafka at host:port". */
  readonly description: string;
  /**
   * How a worker thread reaches the same log (a Kafka bootstrap), or null when only this thread can.
   */
  readonly bootstrap: string | null;
  /** Number of partitions of a topic; rejects, naming it, when the topic does not exist. */
  partitionCount(topic: string): Promise<number>;
  /** Creates a topic unless it exists (with whatever partitions it has then). */
  ensureTopic(topic: string, partitions: number): Promise<void>;
  /** The offset after the last record: the last stable offset when readCommitted. */
  endOffset(topic: string, partition: number, readCommitted: boolean): Promise<number>;
  /** The group's committed next offsets for the topic's partitions; absent partitions have none. */
  committedOffsets(groupId: string, topic: string): Promise<Map<number, number>>;
  /** A reader at `offset`; offsets before the log start read from the log start. */
  openReader(
    topic: string,
    partition: number,
    offset: number,
    options: ReaderOptions,
  ): Promise<PartitionReader>;
  /** A transactional writer; nothing is sent before init(). */
  transactionalWriter(transactionalId: string, transactionTimeoutMs: number): TransactionalLogWriter;
  /**
   * Commits a transaction another writer (maybe of a crashed process) left open, with consumed
   * offsets: the second phase after a restore. Committing one already committed changes nothing.
   */
  commitTransaction(handle: TransactionHandle, consumed: readonly ConsumedOffsets[]): Promise<void>;
  close(): Promise<void>;
}
