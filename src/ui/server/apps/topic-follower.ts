// Follows one application topic for the dashboard's read models: waits for the topic to appear,
// then reads every partition read_committed (so a job's aborted or still open transactions never
// show), starting at most catchUpRecordsPerPartition records back from the last stable offset,
// and hands each batch of JSON values to the view. Works over any engine Log binding; the
// dashboard uses the embedded one, so reads go straight to storage and park on the broker's
// append notifier. A partition whose reader fails is reopened where it stopped on the next poll.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Log, PartitionReader } from '../../../engine/log/log.ts';

export interface FollowedRecord {
  readonly partition: number;
  readonly offset: number;
  readonly timestampMs: number;
  readonly key: string | null;
  /** The value parsed as JSON. */
  readonly value: unknown;
}

export interface TopicFollowerOptions {
  readonly catchUpRecordsPerPartition: number;
  readonly readRecordsMax: number;
  readonly readWaitMs: number;
  readonly topicPollIntervalMs: number;
  readonly recordValueBytesMax: number;
}

export interface TopicFollowerStats {
  readonly present: boolean;
  readonly partitions: number;
  readonly records: number;
  /** Records whose value was missing, too large or not JSON. */
  readonly skipped: number;
  readonly lastError: string | null;
}

const decoder = new TextDecoder();

export class TopicFollower {
  readonly topic: string;
  readonly #log: Log;
  readonly #onRecords: (records: readonly FollowedRecord[]) => void;
  readonly #options: TopicFollowerOptions;
  readonly #stop = new AbortController();
  /** Partition -> its running read loop. */
  readonly #loops = new Map<number, Promise<void>>();
  readonly #readers = new Set<PartitionReader>();
  /** Partition -> the next offset to read, kept across a reader's failure. */
  readonly #positions = new Map<number, number>();
  /** Partitions still reading up to the end they had when the follower found them. */
  readonly #catchingUp = new Set<number>();
  #present = false;
  #polledOnce = false;
  #records = 0;
  #skipped = 0;
  #lastError: string | null = null;
  #main: Promise<void> | null = null;
  #caughtUpWaiters: (() => void)[] = [];

  constructor(
    log: Log,
    topic: string,
    onRecords: (records: readonly FollowedRecord[]) => void,
    options: TopicFollowerOptions,
  ) {
    if (options.catchUpRecordsPerPartition < 0 || options.readRecordsMax < 1)
      throw new Error(
        `Cannot follow '${topic}': catchUpRecordsPerPartition must be >= 0 and readRecordsMax >= 1, got ${options.catchUpRecordsPerPartition} and ${options.readRecordsMax}`,
      );
    this.#log = log;
    this.topic = topic;
    this.#onRecords = onRecords;
    this.#options = options;
  }

  get stats(): TopicFollowerStats {
    return {
      present: this.#present,
      partitions: this.#loops.size,
      records: this.#records,
      skipped: this.#skipped,
      lastError: this.#lastError,
    };
  }

  start(): void {
    if (this.#main !== null) return;
    this.#main = this.#run();
  }

  /**
   * Resolves once the follower has looked for its topic and, if it was there, read every
   * partition up to the end it had then: the view holds the bounded history.
   */
  caughtUp(): Promise<void> {
    if (this.#isCaughtUp()) return Promise.resolve();
    return new Promise((resolve) => this.#caughtUpWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.#stop.abort();
    for (const reader of [...this.#readers]) await reader.close();
    await this.#main;
    await Promise.allSettled([...this.#loops.values()]);
    this.#settleWaiters(true);
  }

  #isCaughtUp(): boolean {
    return this.#polledOnce && this.#catchingUp.size === 0;
  }

  #settleWaiters(force = false): void {
    if (!force && !this.#isCaughtUp()) return;
    const waiters = this.#caughtUpWaiters;
    this.#caughtUpWaiters = [];
    for (const resolve of waiters) resolve();
  }

  async #run(): Promise<void> {
    const signal = this.#stop.signal;
    // Bounded by the follower's life: one look per poll interval until close().
    while (!signal.aborted) {
      await this.#poll();
      this.#polledOnce = true;
      this.#settleWaiters();
      await sleep(this.#options.topicPollIntervalMs, undefined, { signal }).catch(() => {});
    }
  }

  async #poll(): Promise<void> {
    let partitions: number;
    try {
      partitions = await this.#log.partitionCount(this.topic);
    } catch {
      // Absent (or deleted): a topic created again later starts over from its beginning.
      this.#present = false;
      this.#positions.clear();
      return;
    }
    this.#present = true;
    for (let p = 0; p < partitions; p++) {
      if (this.#loops.has(p) || this.#stop.signal.aborted) continue;
      try {
        await this.#open(p);
      } catch (error) {
        this.#lastError = `Cannot open ${this.topic}-${p}: ${(error as Error).message}`;
      }
    }
  }

  async #open(partition: number): Promise<void> {
    const end = await this.#log.endOffset(this.topic, partition, true);
    const saved = this.#positions.get(partition);
    const from =
      saved !== undefined && saved <= end
        ? saved
        : Math.max(0, end - this.#options.catchUpRecordsPerPartition);
    const reader = await this.#log.openReader(this.topic, partition, from, {
      readCommitted: true,
      endOffset: null,
    });
    this.#readers.add(reader);
    if (!this.#polledOnce && from < end) this.#catchingUp.add(partition);
    const loop = this.#readLoop(reader, end)
      .catch((error: unknown) => {
        this.#lastError = `Reading ${this.topic}-${partition} failed: ${(error as Error).message}`;
      })
      .finally(() => {
        this.#readers.delete(reader);
        this.#loops.delete(partition);
        this.#catchingUp.delete(partition);
        this.#settleWaiters();
        void reader.close();
      });
    this.#loops.set(partition, loop);
  }

  async #readLoop(reader: PartitionReader, catchUpEnd: number): Promise<void> {
    const { readRecordsMax, readWaitMs } = this.#options;
    // Bounded by the follower's life: each read returns within readWaitMs.
    while (!this.#stop.signal.aborted) {
      const batch = await reader.read(readRecordsMax, readWaitMs);
      this.#positions.set(reader.partition, batch.nextOffset);
      if (batch.records.length > 0) {
        const followed: FollowedRecord[] = [];
        for (const r of batch.records) {
          const value = this.#parse(r.value);
          if (value === undefined) continue;
          followed.push({
            partition: reader.partition,
            offset: r.offset,
            timestampMs: r.timestampMs,
            key: r.key === null ? null : decoder.decode(r.key),
            value,
          });
        }
        this.#records += followed.length;
        if (followed.length > 0) this.#onRecords(followed);
      }
      if (batch.nextOffset >= catchUpEnd && this.#catchingUp.delete(reader.partition)) this.#settleWaiters();
    }
  }

  #parse(bytes: Uint8Array | null): unknown {
    if (bytes === null || bytes.length > this.#options.recordValueBytesMax) {
      this.#skipped++;
      return undefined;
    }
    try {
      return JSON.parse(decoder.decode(bytes)) as unknown;
    } catch {
      this.#skipped++;
      return undefined;
    }
  }
}
