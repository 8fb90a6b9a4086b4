// Groups records per partition into batches for the producer. A batch is ready when it is full
// (batchBytes), when its first record has waited lingerMs, or when the producer flushes. All
// buffered records together stay under bufferBytesMax: callers wait for room (back-pressure)
// before appending. Batches of one partition leave in order, and a batch put back for a retry
// goes to the front, so retries never reorder a partition.

export interface AccumulatedRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers: { key: string; value: Buffer | null }[];
  timestamp: bigint;
  /** Estimated encoded size, counted against the buffer. */
  bytes: number;
}

export interface ProducerBatch<R extends AccumulatedRecord = AccumulatedRecord> {
  topic: string;
  partition: number;
  records: R[];
  bytes: number;
  createdAtMs: number;
  /** Attempts so far (0 until first sent). */
  attempts: number;
  /** Set once encoded: retries resend the same bytes (same sequence numbers). */
  encoded?: Buffer;
  baseSequence?: number;
}

export interface AccumulatorOptions {
  batchBytes: number;
  lingerMs: number;
  bufferBytesMax: number;
}

const RECORD_OVERHEAD_BYTES = 24;

/** A record's size estimate: its byte fields plus the varints and deltas around them. */
export function estimateRecordBytes(record: Omit<AccumulatedRecord, 'bytes'>): number {
  let bytes = RECORD_OVERHEAD_BYTES + (record.key?.length ?? 0) + (record.value?.length ?? 0);
  for (const h of record.headers) bytes += 4 + Buffer.byteLength(h.key) + (h.value?.length ?? 0);
  return bytes;
}

export class BatchAccumulator<R extends AccumulatedRecord = AccumulatedRecord> {
  readonly #options: AccumulatorOptions;
  /** Per "topic\0partition": batches oldest first; only the last may still take records. */
  readonly #queues = new Map<string, ProducerBatch<R>[]>();
  #bufferedBytes = 0;
  #roomWaiters: (() => void)[] = [];

  constructor(options: AccumulatorOptions) {
    this.#options = options;
  }

  get bufferedBytes(): number {
    return this.#bufferedBytes;
  }

  get batchCount(): number {
    let n = 0;
    for (const q of this.#queues.values()) n += q.length;
    return n;
  }

  hasRoomFor(bytes: number): boolean {
    // An empty buffer takes any record, so one larger than the buffer cannot wait forever.
    return this.#bufferedBytes === 0 || this.#bufferedBytes + bytes <= this.#options.bufferBytesMax;
  }

  /** Resolves when buffered bytes drop (callers check hasRoomFor again, then append at once). */
  roomFreed(): Promise<void> {
    return new Promise((resolve) => this.#roomWaiters.push(resolve));
  }

  /** Adds a record to its partition's open batch; returns true when that batch is now full. */
  append(topic: string, partition: number, record: R, nowMs: number): boolean {
    const key = `${topic}\0${partition}`;
    let queue = this.#queues.get(key);
    if (queue === undefined) {
      queue = [];
      this.#queues.set(key, queue);
    }
    let open = queue.at(-1);
    if (open === undefined || open.attempts > 0 || open.bytes + record.bytes > this.#options.batchBytes) {
      if (open !== undefined && open.records.length === 0) throw new Error('empty open batch in accumulator');
      open = { topic, partition, records: [], bytes: 0, createdAtMs: nowMs, attempts: 0 };
      queue.push(open);
    }
    open.records.push(record);
    open.bytes += record.bytes;
    this.#bufferedBytes += record.bytes;
    return open.bytes >= this.#options.batchBytes;
  }

  /**
   * Removes and returns the first batch of each partition that may send (`canSend`) and is ready:
   * full, lingered long enough, followed by another batch, or `flushing`.
   */
  drain(
    nowMs: number,
    flushing: boolean,
    canSend: (topic: string, partition: number) => boolean,
  ): ProducerBatch<R>[] {
    const ready: ProducerBatch<R>[] = [];
    for (const [key, queue] of this.#queues) {
      const first = queue[0];
      if (first === undefined) {
        this.#queues.delete(key);
        continue;
      }
      if (!canSend(first.topic, first.partition)) continue;
      const isReady =
        flushing ||
        first.attempts > 0 ||
        queue.length > 1 ||
        first.bytes >= this.#options.batchBytes ||
        nowMs - first.createdAtMs >= this.#options.lingerMs;
      if (!isReady) continue;
      queue.shift();
      ready.push(first);
    }
    return ready;
  }

  /** Milliseconds until the oldest open batch has lingered enough, or null when nothing waits. */
  nextLingerDueMs(nowMs: number): number | null {
    let due: number | null = null;
    for (const queue of this.#queues.values()) {
      const first = queue[0];
      if (first === undefined) continue;
      const wait = Math.max(0, first.createdAtMs + this.#options.lingerMs - nowMs);
      due = due === null ? wait : Math.min(due, wait);
    }
    return due;
  }

  /** Puts a batch back at the front of its partition for a retry. */
  requeue(batch: ProducerBatch<R>): void {
    const key = `${batch.topic}\0${batch.partition}`;
    const queue = this.#queues.get(key);
    if (queue === undefined) this.#queues.set(key, [batch]);
    else queue.unshift(batch);
  }

  /** A batch left the producer (acknowledged or failed for good): its bytes free room. */
  release(batch: ProducerBatch<R>): void {
    this.#bufferedBytes -= batch.bytes;
    const waiters = this.#roomWaiters;
    this.#roomWaiters = [];
    for (const wake of waiters) wake();
  }

  /** Removes every batch not yet sent (abort, close); the caller fails their records. */
  takeAll(): ProducerBatch<R>[] {
    const all: ProducerBatch<R>[] = [];
    for (const queue of this.#queues.values()) all.push(...queue);
    this.#queues.clear();
    return all;
  }
}
