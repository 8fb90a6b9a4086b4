// The consumer: assign mode (explicit partitions, seek anywhere) or group mode (subscribe;
// group-member.ts keeps the membership and hands over assignments). A background fetch loop
// keeps a bounded prefetch buffer full (it stops fetching while the buffer is at its bound: the
// reader's pace sets the fetch pace), and the reader takes batches with nextBatch() or
// `for await (const batch of consumer)`. Each partition's state carries a version bumped by
// every seek and reassignment, so data fetched before the change is dropped, never delivered.
import { clientLimits } from '../limits.ts';
import { ErrorCode } from '../protocol/error-codes.ts';
import { ApiKey } from '../protocol/generated/apis.ts';
import {
  defaultFetchRequest,
  defaultFetchRequestFetchPartition,
} from '../protocol/generated/fetch-request.ts';
import type { FetchResponse, FetchResponsePartitionData } from '../protocol/generated/fetch-response.ts';
import { ZERO_UUID } from '../protocol/reader.ts';
import { Cluster, type ClusterOptions } from './cluster.ts';
import type { TopicPartitions } from './consumer-protocol.ts';
import { ClientStateError, isRetriable, KafkaError, needsMetadataRefresh } from './errors.ts';
import { type ConsumedRecord, chunkRecords, decodeFetchedRecords } from './fetched-records.ts';
import { GroupMember } from './group-member.ts';
import { commitOffsets, fetchCommittedOffsets, type GroupGeneration } from './group-offsets.ts';
import { type IsolationLevel, listOffsets, type OffsetSpec } from './list-offsets.ts';
import { backoffMs } from './retry.ts';
import type { ConsumerGroupMetadata, TopicPartitionOffset } from './transaction-manager.ts';

export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface ConsumerOptions extends ClusterOptions {
  groupId?: string;
  groupInstanceId?: string;
  /** Default 'read_uncommitted', as in Java. */
  isolationLevel?: IsolationLevel;
  /** Where to start without a committed offset, or after OFFSET_OUT_OF_RANGE. Default 'latest'. */
  autoOffsetReset?: 'earliest' | 'latest' | 'none';
  /** Group mode: commit delivered offsets periodically and on rebalance and close. Default true. */
  autoCommit?: boolean;
  autoCommitIntervalMs?: number;
  sessionTimeoutMs?: number;
  rebalanceTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  /** Default ['range', 'roundrobin']: the coordinator picks the first all members support. */
  assignors?: readonly string[];
  fetchMaxWaitMs?: number;
  fetchMinBytes?: number;
  fetchMaxBytes?: number;
  partitionMaxBytes?: number;
  prefetchBytesMax?: number;
  onAssigned?: (partitions: TopicPartition[]) => void;
  onRevoked?: (partitions: TopicPartition[]) => void;
}

export interface ConsumedBatch {
  topic: string;
  partition: number;
  records: ConsumedRecord[];
  highWatermark: bigint;
}

interface PartitionState {
  topic: string;
  partition: number;
  /** Next offset to fetch; null until resolved from a committed offset or the reset policy. */
  position: bigint | null;
  version: number;
}

interface Buffered {
  batch: ConsumedBatch;
  key: string;
  version: number;
  bytes: number;
}

const key = (topic: string, partition: number) => `${topic}\0${partition}`;

export class Consumer {
  readonly #cluster: Cluster;
  readonly #options: ConsumerOptions;
  readonly #isolation: IsolationLevel;
  readonly #prefetchBytesMax: number;
  readonly #partitions = new Map<string, PartitionState>();
  readonly #buffer: Buffered[] = [];
  #bufferedBytes = 0;
  /** Next offsets of records the application has finished with, per partition. */
  readonly #consumed = new Map<string, TopicPartitionOffset>();
  #lastDelivered: { key: string; version: number; next: TopicPartitionOffset } | null = null;
  #member: GroupMember | null = null;
  #generation: GroupGeneration | null = null;
  #waiters: (() => void)[] = [];
  #fetchLoop: Promise<void> | null = null;
  #commitTimer: NodeJS.Timeout | null = null;
  #failure: Error | null = null;
  #closed = false;
  #nextVersion = 1;

  constructor(options: ConsumerOptions) {
    this.#cluster = new Cluster(options);
    this.#options = options;
    this.#isolation = options.isolationLevel ?? 'read_uncommitted';
    this.#prefetchBytesMax = Math.min(
      options.prefetchBytesMax ?? clientLimits.consumerPrefetchBytesMax,
      clientLimits.consumerPrefetchBytesMax,
    );
  }

  /** Group mode: join `options.groupId` and consume the partitions it assigns from `topics`. */
  subscribe(topics: readonly string[]): void {
    const groupId = this.#options.groupId;
    if (groupId === undefined)
      throw new ClientStateError(`Cannot subscribe to ${topics.join(', ')}: the consumer has no groupId`);
    if (this.#member !== null)
      throw new ClientStateError(
        `Cannot subscribe again: the consumer of group '${groupId}' already subscribed`,
      );
    this.#member = new GroupMember(
      this.#cluster,
      {
        groupId,
        topics,
        groupInstanceId: this.#options.groupInstanceId ?? null,
        sessionTimeoutMs: this.#options.sessionTimeoutMs ?? 45_000,
        rebalanceTimeoutMs: this.#options.rebalanceTimeoutMs ?? 300_000,
        heartbeatIntervalMs: this.#options.heartbeatIntervalMs ?? 3_000,
        assignors: this.#options.assignors ?? ['range', 'roundrobin'],
      },
      {
        revoke: () => this.#revokeAll(),
        assign: (tps, generation) => this.#assignFromGroup(tps, generation),
        fail: (error) => this.#setFailure(error),
      },
    );
    this.#member.start();
    this.#startLoops();
  }

  /** Assign mode: consume exactly these partitions (replacing any earlier assignment). */
  assign(partitions: readonly TopicPartition[]): void {
    if (this.#member !== null)
      throw new ClientStateError('Cannot assign partitions: the consumer subscribed to a group');
    this.#setAssignment(partitions);
    this.#startLoops();
  }

  assignment(): TopicPartition[] {
    return [...this.#partitions.values()].map((p) => ({ topic: p.topic, partition: p.partition }));
  }

  /** The next offset to fetch for a partition, or null while it is being resolved. */
  position(topic: string, partition: number): bigint | null {
    return this.#requireAssigned(topic, partition, 'read the position of').position;
  }

  seek(topic: string, partition: number, offset: bigint): void {
    const state = this.#requireAssigned(topic, partition, 'seek');
    state.position = offset;
    state.version = this.#nextVersion++;
    this.#signal();
  }

  seekToBeginning(partitions: readonly TopicPartition[] = this.assignment()): Promise<void> {
    return this.#seekTo(partitions, 'earliest');
  }

  seekToEnd(partitions: readonly TopicPartition[] = this.assignment()): Promise<void> {
    return this.#seekTo(partitions, 'latest');
  }

  /** Seeks to the first record at or after `timestamp` (ms); to the end where there is none. */
  seekToTimestamp(
    timestamp: number | bigint,
    partitions: readonly TopicPartition[] = this.assignment(),
  ): Promise<void> {
    return this.#seekTo(partitions, { timestamp });
  }

  /** What a transactional producer needs to commit this consumer's offsets in its transaction. */
  groupMetadata(): ConsumerGroupMetadata {
    const groupId = this.#options.groupId;
    if (groupId === undefined)
      throw new ClientStateError('Cannot give group metadata: the consumer has no groupId');
    const g = this.#generation;
    return {
      groupId,
      generationId: g?.generationId ?? -1,
      memberId: g?.memberId ?? '',
      groupInstanceId: g?.groupInstanceId ?? null,
    };
  }

  /**
   * The next batch of records of one partition, waiting up to `timeoutMs` (forever if absent);
   * null on timeout or close. Taking a batch marks the previous one as processed (for commits).
   */
  async nextBatch(timeoutMs?: number): Promise<ConsumedBatch | null> {
    this.#markLastDeliveredConsumed();
    const deadline = timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + timeoutMs;
    // Each turn either delivers, drops stale data, or waits for the fetch loop's signal.
    for (;;) {
      if (this.#failure !== null) throw this.#failure;
      if (this.#closed) return null;
      const next = this.#takeBuffered();
      if (next !== null) return next;
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await this.#wait(Math.min(left, 2 ** 31 - 1));
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<ConsumedBatch> {
    for (;;) {
      const batch = await this.nextBatch();
      if (batch === null) return;
      yield batch;
    }
  }

  /**
   * Commits offsets (default: everything delivered so far, the last batch included) for the
   * group, with the current generation so a member that lost its partitions cannot commit.
   */
  async commit(offsets?: readonly TopicPartitionOffset[]): Promise<void> {
    const groupId = this.#options.groupId;
    if (groupId === undefined) throw new ClientStateError('Cannot commit: the consumer has no groupId');
    if (offsets === undefined) this.#markLastDeliveredConsumed();
    const toCommit = offsets ?? [...this.#consumed.values()];
    await commitOffsets(this.#cluster, groupId, toCommit, this.#member === null ? null : this.#generation);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    if (this.#commitTimer !== null) clearInterval(this.#commitTimer);
    if (this.#member !== null) {
      // leave() runs the final revoke first only if a rejoin is pending; commit here explicitly.
      await this.#commitOnRevoke().catch(() => undefined);
      await this.#member.leave();
    }
    this.#closed = true;
    this.#signal();
    await this.#fetchLoop?.catch(() => undefined);
    this.#cluster.close();
  }

  #startLoops(): void {
    this.#fetchLoop ??= this.#runFetchLoop();
    const autoCommit = this.#options.autoCommit ?? true;
    if (this.#member !== null && autoCommit && this.#commitTimer === null) {
      this.#commitTimer = setInterval(() => {
        if (this.#generation === null || this.#consumed.size === 0) return;
        void this.commit([...this.#consumed.values()]).catch(() => undefined);
      }, this.#options.autoCommitIntervalMs ?? 5_000);
      this.#commitTimer.unref();
    }
  }

  #requireAssigned(topic: string, partition: number, action: string): PartitionState {
    const state = this.#partitions.get(key(topic, partition));
    if (state === undefined)
      throw new ClientStateError(
        `Cannot ${action} '${topic}'-${partition}: it is not assigned to this consumer`,
      );
    return state;
  }

  async #seekTo(partitions: readonly TopicPartition[], spec: OffsetSpec): Promise<void> {
    for (const p of partitions) this.#requireAssigned(p.topic, p.partition, 'seek');
    const found = await listOffsets(
      this.#cluster,
      partitions.map((p) => ({ ...p, spec })),
      this.#isolation,
    );
    const ends = found.some((f) => f.offset < 0n)
      ? await listOffsets(
          this.#cluster,
          partitions.map((p) => ({ ...p, spec: 'latest' as const })),
          this.#isolation,
        )
      : found;
    // Assignment may have changed during the lookups: seek only partitions still assigned.
    found.forEach((f, i) => {
      if (this.#partitions.has(key(f.topic, f.partition)))
        this.seek(f.topic, f.partition, f.offset < 0n ? ends[i]!.offset : f.offset);
    });
  }

  #setAssignment(partitions: readonly TopicPartition[]): void {
    if (partitions.length > clientLimits.consumerPartitionsMax) {
      throw new ClientStateError(
        `Cannot assign ${partitions.length} partitions: more than ${clientLimits.consumerPartitionsMax}`,
      );
    }
    this.#partitions.clear();
    for (const p of partitions) {
      this.#partitions.set(key(p.topic, p.partition), {
        topic: p.topic,
        partition: p.partition,
        position: null,
        version: this.#nextVersion++,
      });
    }
    this.#dropBuffer();
    this.#signal();
  }

  #assignFromGroup(assigned: TopicPartitions[], generation: GroupGeneration): void {
    this.#generation = generation;
    const tps = assigned.flatMap((t) => t.partitions.map((partition) => ({ topic: t.topic, partition })));
    this.#setAssignment(tps);
    this.#options.onAssigned?.(tps);
  }

  async #revokeAll(): Promise<void> {
    const previous = this.assignment();
    if (this.#generation !== null) await this.#commitOnRevoke().catch(() => undefined);
    this.#generation = null;
    this.#partitions.clear();
    this.#consumed.clear();
    this.#lastDelivered = null;
    this.#dropBuffer();
    if (previous.length > 0) this.#options.onRevoked?.(previous);
  }

  async #commitOnRevoke(): Promise<void> {
    if (!(this.#options.autoCommit ?? true) || this.#generation === null) return;
    this.#markLastDeliveredConsumed();
    if (this.#consumed.size > 0) await this.commit([...this.#consumed.values()]);
  }

  #markLastDeliveredConsumed(): void {
    const last = this.#lastDelivered;
    this.#lastDelivered = null;
    if (last === null) return;
    const state = this.#partitions.get(last.key);
    // A batch from before a seek or reassignment says nothing about the current position.
    if (state !== undefined && state.version === last.version) this.#consumed.set(last.key, last.next);
  }

  #takeBuffered(): ConsumedBatch | null {
    while (this.#buffer.length > 0) {
      const entry = this.#buffer.shift()!;
      this.#bufferedBytes -= entry.bytes;
      this.#signal();
      const state = this.#partitions.get(entry.key);
      if (state === undefined || state.version !== entry.version) continue;
      const lastRecord = entry.batch.records.at(-1)!;
      this.#lastDelivered = {
        key: entry.key,
        version: entry.version,
        next: { topic: entry.batch.topic, partition: entry.batch.partition, offset: lastRecord.offset + 1n },
      };
      return entry.batch;
    }
    return null;
  }

  #dropBuffer(): void {
    this.#buffer.length = 0;
    this.#bufferedBytes = 0;
  }

  #setFailure(error: Error): void {
    this.#failure = error;
    this.#signal();
  }

  #signal(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  #wait(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#waiters.push(done);
    });
  }

  #bufferFull(): boolean {
    return (
      this.#bufferedBytes >= this.#prefetchBytesMax ||
      this.#buffer.length >= clientLimits.consumerPrefetchBatchesMax
    );
  }

  async #runFetchLoop(): Promise<void> {
    let attempt = 0;
    // One fetch round per turn; waits while there is nothing to fetch or no room to buffer.
    while (!this.#closed && this.#failure === null) {
      if (this.#partitions.size === 0 || this.#bufferFull()) {
        await this.#wait(1_000);
        continue;
      }
      try {
        await this.#resolvePositions();
        const fetched = await this.#fetchRound();
        attempt = 0;
        if (!fetched) await this.#wait(100);
      } catch (error) {
        if (this.#closed) return;
        if (!isRetriable(error)) {
          this.#setFailure(error as Error);
          return;
        }
        if (error instanceof KafkaError && needsMetadataRefresh(error.code)) {
          await this.#cluster
            .refreshMetadata([...new Set(this.assignment().map((p) => p.topic))])
            .catch(() => undefined);
        }
        await this.#wait(backoffMs(attempt++, this.#cluster.retry));
      }
    }
  }

  /** Gives partitions without a position one: the group's committed offset, else the reset policy. */
  async #resolvePositions(): Promise<void> {
    const unresolved = [...this.#partitions.values()].filter((p) => p.position === null);
    if (unresolved.length === 0) return;
    const versions = new Map(unresolved.map((p) => [key(p.topic, p.partition), p.version]));
    const start = new Map<string, bigint>();
    if (this.#member !== null && this.#options.groupId !== undefined) {
      const committed = await fetchCommittedOffsets(this.#cluster, this.#options.groupId, unresolved);
      for (const c of committed) if (c.offset >= 0n) start.set(key(c.topic, c.partition), c.offset);
    }
    const needReset = unresolved.filter((p) => !start.has(key(p.topic, p.partition)));
    if (needReset.length > 0) {
      const policy = this.#options.autoOffsetReset ?? 'latest';
      if (policy === 'none') {
        const p = needReset[0]!;
        throw new ClientStateError(
          `Cannot start consuming '${p.topic}'-${p.partition}: no committed offset and autoOffsetReset is 'none'`,
        );
      }
      const found = await listOffsets(
        this.#cluster,
        needReset.map((p) => ({ topic: p.topic, partition: p.partition, spec: policy })),
        this.#isolation,
      );
      for (const f of found) start.set(key(f.topic, f.partition), f.offset);
    }
    // Set only where nothing changed meanwhile (no seek, no reassignment).
    for (const [k, offset] of start) {
      const state = this.#partitions.get(k);
      if (state !== undefined && state.position === null && state.version === versions.get(k))
        state.position = offset;
    }
  }

  /** Sends one Fetch per leader for partitions with a position and nothing buffered; true if any data came. */
  async #fetchRound(): Promise<boolean> {
    const buffered = new Set(this.#buffer.map((b) => b.key));
    const ready = [...this.#partitions.values()].filter(
      (p) => p.position !== null && !buffered.has(key(p.topic, p.partition)),
    );
    if (ready.length === 0) return false;
    const topics = [...new Set(ready.map((p) => p.topic))];
    if (topics.some((t) => this.#cluster.topic(t) === undefined))
      await this.#cluster.topicsWithLeaders(topics);
    const byLeader = new Map<number, PartitionState[]>();
    for (const p of ready) {
      const leader = this.#cluster.leaderOf(p.topic, p.partition);
      if (leader < 0) throw new KafkaError(`fetch '${p.topic}'-${p.partition}`, ErrorCode.leaderNotAvailable);
      byLeader.set(leader, [...(byLeader.get(leader) ?? []), p]);
    }
    const results = await Promise.all([...byLeader].map(([leader, ps]) => this.#fetchFrom(leader, ps)));
    return results.some((r) => r);
  }

  async #fetchFrom(leader: number, partitions: PartitionState[]): Promise<boolean> {
    const snapshot = partitions.map((p) => ({ state: p, version: p.version, offset: p.position! }));
    const byTopic = new Map<string, typeof snapshot>();
    for (const s of snapshot) byTopic.set(s.state.topic, [...(byTopic.get(s.state.topic) ?? []), s]);
    const withoutIds = [...byTopic.keys()].some(
      (t) => (this.#cluster.topic(t)?.topicId ?? ZERO_UUID) === ZERO_UUID,
    );
    const maxWaitMs = this.#options.fetchMaxWaitMs ?? clientLimits.fetchWaitMsDefault;
    const { version, body } = await this.#cluster.sendTo<FetchResponse>(
      leader,
      ApiKey.Fetch,
      (v) => ({
        ...defaultFetchRequest(),
        maxWaitMs,
        minBytes: this.#options.fetchMinBytes ?? 1,
        maxBytes: v >= 3 ? (this.#options.fetchMaxBytes ?? clientLimits.fetchBytesMaxDefault) : 0x7fffffff,
        isolationLevel: this.#isolation === 'read_committed' ? 1 : 0,
        topics: [...byTopic].map(([topic, ss]) => ({
          topic: v < 13 ? topic : '',
          topicId: v >= 13 ? this.#cluster.topic(topic)!.topicId : ZERO_UUID,
          partitions: ss.map((s) => ({
            ...defaultFetchRequestFetchPartition(),
            partition: s.state.partition,
            fetchOffset: s.offset,
            partitionMaxBytes: this.#options.partitionMaxBytes ?? clientLimits.fetchPartitionBytesMaxDefault,
          })),
        })),
      }),
      {
        lane: 'fetch',
        minVersion: 4,
        ...(withoutIds ? { maxVersion: 12 } : {}),
        timeoutMs: maxWaitMs + clientLimits.requestTimeoutMsDefault,
      },
    );
    if (body.errorCode !== ErrorCode.none) throw new KafkaError(`fetch from node ${leader}`, body.errorCode);
    let gotData = false;
    let retriable: KafkaError | null = null;
    for (const t of body.responses) {
      const topic = version >= 13 ? this.#cluster.topicNameById(t.topicId) : t.topic;
      if (topic === undefined) continue;
      for (const p of t.partitions) {
        const s = snapshot.find((x) => x.state.topic === topic && x.state.partition === p.partitionIndex);
        if (s === undefined) continue;
        try {
          if (await this.#onPartitionData(s.state, s.version, s.offset, p)) gotData = true;
        } catch (error) {
          if (error instanceof KafkaError && error.retriable) retriable = error;
          else throw error;
        }
      }
    }
    if (retriable !== null) throw retriable;
    return gotData;
  }

  async #onPartitionData(
    state: PartitionState,
    version: number,
    offset: bigint,
    p: FetchResponsePartitionData,
  ): Promise<boolean> {
    const { topic, partition } = state;
    if (p.errorCode === ErrorCode.offsetOutOfRange) {
      const policy = this.#options.autoOffsetReset ?? 'latest';
      if (policy === 'none')
        throw new ClientStateError(
          `Cannot fetch '${topic}'-${partition} at offset ${offset}: out of range and autoOffsetReset is 'none'`,
        );
      if (state.version === version) {
        state.position = null;
        state.version = this.#nextVersion++;
      }
      return false;
    }
    if (p.errorCode !== ErrorCode.none)
      throw new KafkaError(`fetch '${topic}'-${partition} at offset ${offset}`, p.errorCode);
    if (p.records === null || p.records.length === 0) return false;
    // Decoders always hand a records field over as one Buffer.
    const decoded = await decodeFetchedRecords(
      topic,
      partition,
      p.records as Buffer,
      offset,
      this.#isolation,
      p.abortedTransactions,
    );
    // The partition was sought or reassigned while the fetch was out: its data is stale.
    if (state.version !== version || this.#partitions.get(key(topic, partition)) !== state) return false;
    state.position = decoded.nextOffset;
    if (decoded.records.length === 0) return false;
    const chunks = chunkRecords(decoded.records);
    const share = Math.floor(decoded.bytes / chunks.length);
    chunks.forEach((records, i) => {
      this.#buffer.push({
        batch: { topic, partition, records, highWatermark: p.highWatermark },
        key: key(topic, partition),
        version,
        // The last chunk takes the remainder, so the shares add up to what was counted.
        bytes: i === chunks.length - 1 ? decoded.bytes - share * (chunks.length - 1) : share,
      });
    });
    this.#bufferedBytes += decoded.bytes;
    this.#signal();
    return true;
  }
}
