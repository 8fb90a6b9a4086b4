// The producer: send() places a record in its partition's batch (batch-accumulator.ts); a
// single sender loop drains ready batches, groups them by leader into Produce requests and
// settles each record's promise from the response. Idempotence is on by default (acks=all, a
// producer id, a sequence number per partition), with one batch in flight per partition so a
// retry can never reorder or duplicate. With a transactionalId the producer writes inside
// transactions (transaction-manager.ts).
import { clientLimits } from '../limits.ts';
import { type CompressionName, compressionTypes } from '../protocol/compression/codec.ts';
import { ErrorCode } from '../protocol/error-codes.ts';
import { ApiKey } from '../protocol/generated/apis.ts';
import { defaultProduceRequest } from '../protocol/generated/produce-request.ts';
import type { ProduceResponse } from '../protocol/generated/produce-response.ts';
import { encodeRecordBatch } from '../protocol/records/record-batch.ts';
import {
  type AccumulatedRecord,
  BatchAccumulator,
  estimateRecordBytes,
  type ProducerBatch,
} from './batch-accumulator.ts';
import { Cluster, type ClusterOptions } from './cluster.ts';
import { ClientStateError, isRetriable, KafkaError, needsMetadataRefresh } from './errors.ts';
import { type NullKeyPartitioning, Partitioner } from './partitioner.ts';
import { type HeadersInput, toBuffer, toHeaders } from './record-input.ts';
import { backoffMs } from './retry.ts';
import {
  type ConsumerGroupMetadata,
  type ProducerIdentity,
  type TopicPartitionOffset,
  TransactionManager,
} from './transaction-manager.ts';

export interface ProducerOptions extends ClusterOptions {
  /** 0: no answer; 1: the leader wrote it; 'all' (-1): every in-sync replica did. Default 'all'. */
  acks?: 0 | 1 | -1 | 'all';
  compression?: CompressionName;
  lingerMs?: number;
  batchBytes?: number;
  bufferBytesMax?: number;
  /** Default true (needs acks 'all'); false when acks is set to 0 or 1 and this is not given. */
  idempotent?: boolean;
  transactionalId?: string;
  transactionTimeoutMs?: number;
  /** Longest from send() to acknowledgement, retries included. */
  deliveryTimeoutMs?: number;
  /** How records without a key spread over partitions. Default 'sticky'. */
  nullKeyPartitioning?: NullKeyPartitioning;
  /** Ask the broker to create unknown topics (if it allows). Default true, like Java. */
  allowAutoTopicCreation?: boolean;
  /** Broker-side wait for acks=all, in the Produce request. */
  ackTimeoutMs?: number;
}

export interface ProducerRecord {
  topic: string;
  key?: Buffer | string | null;
  value: Buffer | string | null;
  headers?: HeadersInput;
  /** Chosen by the partitioner when absent. */
  partition?: number;
  /** Milliseconds since the epoch; now when absent. */
  timestamp?: number | bigint;
}

export interface RecordMetadata {
  topic: string;
  partition: number;
  /** -1 with acks=0 (the broker does not say). */
  offset: bigint;
  timestamp: bigint;
}

interface PendingRecord extends AccumulatedRecord {
  resolve: (m: RecordMetadata) => void;
  reject: (e: Error) => void;
}

type Batch = ProducerBatch<PendingRecord>;

export class Producer {
  readonly #cluster: Cluster;
  readonly #accumulator: BatchAccumulator<PendingRecord>;
  readonly #partitioner: Partitioner;
  readonly #txn: TransactionManager;
  readonly #acks: number;
  readonly #idempotent: boolean;
  readonly #compression: number;
  readonly #deliveryTimeoutMs: number;
  readonly #ackTimeoutMs: number;
  readonly #autoCreate: boolean;
  /** Partitions with a batch in flight (one at most each). */
  readonly #inFlight = new Set<string>();
  readonly #retryAt = new Map<string, number>();
  readonly #nextSequence = new Map<string, number>();
  readonly #unsettled = new Set<Promise<unknown>>();
  #flushing = 0;
  #draining = false;
  #drainAgain = false;
  #timer: NodeJS.Timeout | null = null;
  #closed = false;
  /** The last send()'s admission into a batch; the next one starts after it. */
  #admission: Promise<void> = Promise.resolve();

  constructor(options: ProducerOptions) {
    const acks = options.acks === 'all' || options.acks === undefined ? -1 : options.acks;
    const transactional = options.transactionalId !== undefined;
    const idempotent = options.idempotent ?? (transactional || acks === -1);
    if ((idempotent || transactional) && acks !== -1) {
      throw new ClientStateError(
        `Cannot create an idempotent or transactional producer with acks=${acks}: it needs acks='all'`,
      );
    }
    if (transactional && options.idempotent === false) {
      throw new ClientStateError(
        `Cannot create transactional producer '${options.transactionalId}' with idempotent: false`,
      );
    }
    const batchBytes = options.batchBytes ?? clientLimits.producerBatchBytesDefault;
    if (batchBytes < 1 || batchBytes > clientLimits.producerBatchBytesMax) {
      throw new ClientStateError(
        `Cannot create producer: batchBytes must be 1-${clientLimits.producerBatchBytesMax}, got ${batchBytes}`,
      );
    }
    this.#cluster = new Cluster(options);
    this.#acks = acks;
    this.#idempotent = idempotent;
    this.#compression = compressionTypes[options.compression ?? 'none'];
    this.#deliveryTimeoutMs = options.deliveryTimeoutMs ?? clientLimits.producerDeliveryTimeoutMsDefault;
    this.#ackTimeoutMs = options.ackTimeoutMs ?? clientLimits.requestTimeoutMsDefault;
    this.#autoCreate = options.allowAutoTopicCreation ?? true;
    this.#accumulator = new BatchAccumulator({
      batchBytes,
      lingerMs: options.lingerMs ?? clientLimits.producerLingerMsDefault,
      bufferBytesMax: Math.min(
        options.bufferBytesMax ?? clientLimits.producerBufferBytesMax,
        clientLimits.producerBufferBytesMax,
      ),
    });
    this.#partitioner = new Partitioner(options.nullKeyPartitioning ?? 'sticky', batchBytes);
    this.#txn = new TransactionManager(
      this.#cluster,
      options.transactionalId ?? null,
      options.transactionTimeoutMs ?? 60_000,
    );
  }

  /**
   * Queues one record; resolves when the broker acknowledges it (or at once-written for acks=0).
   * Records enter their partitions' batches in the order send() was called, even when the first
   * send to a topic must wait for its metadata: admissions run one after another.
   */
  async send(record: ProducerRecord): Promise<RecordMetadata> {
    if (this.#closed) throw new ClientStateError(`Cannot send to '${record.topic}': the producer is closed`);
    this.#txn.checkNotFatal(`send to '${record.topic}'`);
    const admitted = this.#admission.then(() => this.#admit(record));
    this.#admission = admitted.then(
      () => undefined,
      () => undefined,
    );
    const ack = admitted.then((a) => a.ack);
    // Tracked from the call on, so flush(), close() and commitTransaction() wait for a record
    // still waiting for its partition, not only for those already in a batch.
    this.#track(ack);
    return ack;
  }

  async #admit(record: ProducerRecord): Promise<{ ack: Promise<RecordMetadata> }> {
    const key = record.key === undefined ? null : toBuffer(record.key);
    const value = toBuffer(record.value);
    const headers = toHeaders(record.headers);
    const timestamp = BigInt(record.timestamp ?? Date.now());
    const bytes = estimateRecordBytes({ key, value, headers, timestamp });
    const partition = await this.#choosePartition(record, key, bytes);
    while (!this.#accumulator.hasRoomFor(bytes)) await this.#accumulator.roomFreed();
    // From here to append() nothing awaits: the room and the transaction state just checked hold.
    if (this.#txn.isTransactional && this.#txn.state !== 'inTransaction') {
      throw new ClientStateError(
        `Cannot send to '${record.topic}': no transaction is open (call beginTransaction())`,
      );
    }
    let pending!: PendingRecord;
    const ack = new Promise<RecordMetadata>((resolve, reject) => {
      pending = { key, value, headers, timestamp, bytes, resolve, reject };
    });
    const full = this.#accumulator.append(record.topic, partition, pending, Date.now());
    if (full) this.#wake();
    else this.#scheduleLinger();
    // Wrapped so that awaiting the admission does not wait for the acknowledgement.
    return { ack };
  }

  /** Sends many records; resolves when all are acknowledged, in input order. */
  sendBatch(records: readonly ProducerRecord[]): Promise<RecordMetadata[]> {
    return Promise.all(records.map((r) => this.send(r)));
  }

  /** Sends every buffered record now and waits until all records sent so far are settled. */
  async flush(): Promise<void> {
    this.#flushing++;
    try {
      await this.#admission;
      this.#wake();
      await Promise.allSettled([...this.#unsettled]);
    } finally {
      this.#flushing--;
    }
  }

  async initTransactions(): Promise<void> {
    if (!this.#txn.isTransactional)
      throw new ClientStateError('Cannot initTransactions(): the producer has no transactionalId');
    await this.#txn.initProducerId();
    this.#nextSequence.clear();
  }

  beginTransaction(): void {
    this.#txn.beginTransaction();
  }

  sendOffsetsToTransaction(
    offsets: readonly TopicPartitionOffset[],
    group: ConsumerGroupMetadata | string,
  ): Promise<void> {
    const metadata =
      typeof group === 'string'
        ? { groupId: group, generationId: -1, memberId: '', groupInstanceId: null }
        : group;
    return this.#txn.sendOffsets(offsets, metadata);
  }

  async commitTransaction(): Promise<void> {
    await this.flush();
    await this.#txn.endTransaction(true);
  }

  /** Aborts: records not yet sent are failed, those in flight are awaited, then the transaction ends. */
  async abortTransaction(): Promise<void> {
    for (const batch of this.#accumulator.takeAll()) {
      this.#fail(
        batch,
        new ClientStateError(
          `Cannot send to '${batch.topic}'-${batch.partition}: the transaction was aborted`,
        ),
      );
    }
    await Promise.allSettled([...this.#unsettled]);
    await this.#txn.endTransaction(false);
  }

  get transactionState(): string {
    return this.#txn.state;
  }

  /** The producer id and epoch from initTransactions() (or the idempotent id), null before. */
  get producerIdentity(): ProducerIdentity | null {
    const id = this.#txn.identity;
    return id === null ? null : { ...id };
  }

  /**
   * Acts for a transaction another instance of this transactional id left open (its producer id
   * and epoch), so that sendOffsetsToTransaction() and commitTransaction() finish it: the commit
   * phase after a crash. Instead of initTransactions(), which would abort it.
   */
  resumeTransaction(identity: ProducerIdentity): void {
    this.#txn.resume(identity);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.flush();
    this.#closed = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#cluster.close();
  }

  #track(promise: Promise<unknown>): void {
    const settled: Promise<unknown> = promise.then(
      () => this.#unsettled.delete(settled),
      () => this.#unsettled.delete(settled),
    );
    this.#unsettled.add(settled);
  }

  async #choosePartition(record: ProducerRecord, key: Buffer | null, bytes: number): Promise<number> {
    let topic = this.#cluster.topic(record.topic);
    if (topic === undefined)
      [topic] = await this.#cluster.topicsWithLeaders([record.topic], this.#autoCreate);
    const count = topic!.partitions.length;
    if (record.partition !== undefined) {
      if (!Number.isInteger(record.partition) || record.partition < 0 || record.partition >= count) {
        throw new ClientStateError(
          `Cannot send to '${record.topic}'-${record.partition}: the topic has partitions 0-${count - 1}`,
        );
      }
      return record.partition;
    }
    return this.#partitioner.partition(record.topic, key, count, bytes);
  }

  #scheduleLinger(): void {
    if (this.#timer !== null || this.#draining) return;
    const due = this.#accumulator.nextLingerDueMs(Date.now());
    if (due === null) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#wake();
    }, due);
  }

  #wake(): void {
    if (this.#draining) {
      this.#drainAgain = true;
      return;
    }
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    this.#draining = true;
    void this.#drainLoop();
  }

  async #drainLoop(): Promise<void> {
    try {
      // Bounded: each round takes batches out of the accumulator; a round that takes none ends it.
      for (;;) {
        this.#drainAgain = false;
        const now = Date.now();
        const batches = this.#accumulator.drain(now, this.#flushing > 0, (t, p) => {
          const key = `${t}\0${p}`;
          return !this.#inFlight.has(key) && (this.#retryAt.get(key) ?? 0) <= now;
        });
        if (batches.length > 0) await this.#dispatch(batches);
        if (batches.length === 0 && !this.#drainAgain) break;
      }
    } finally {
      this.#draining = false;
      this.#scheduleNext();
    }
  }

  /** After a drain: wake for the next linger deadline or the earliest retry backoff. */
  #scheduleNext(): void {
    if (this.#timer !== null || this.#accumulator.batchCount === 0) return;
    const now = Date.now();
    let due =
      this.#flushing > 0
        ? Number.POSITIVE_INFINITY
        : (this.#accumulator.nextLingerDueMs(now) ?? Number.POSITIVE_INFINITY);
    for (const at of this.#retryAt.values()) if (at > now) due = Math.min(due, at - now);
    if (this.#flushing > 0 && due === Number.POSITIVE_INFINITY) return; // a response will wake us
    if (due === Number.POSITIVE_INFINITY) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#wake();
    }, due);
  }

  async #dispatch(batches: Batch[]): Promise<void> {
    for (const b of batches) this.#inFlight.add(`${b.topic}\0${b.partition}`);
    try {
      if (this.#idempotent && this.#txn.identity === null) await this.#txn.initProducerId();
      if (this.#txn.isTransactional) await this.#txn.addPartitions(batches);
      for (const b of batches) if (b.encoded === undefined) await this.#encode(b);
    } catch (error) {
      for (const b of batches) this.#retryOrFail(b, error);
      return;
    }
    const byLeader = new Map<number, Batch[]>();
    for (const b of batches) {
      const leader = this.#cluster.leaderOf(b.topic, b.partition);
      byLeader.set(leader, [...(byLeader.get(leader) ?? []), b]);
    }
    for (const [leader, group] of byLeader) {
      for (let i = 0; i < group.length; i += clientLimits.producePartitionsPerRequestMax) {
        void this.#produce(leader, group.slice(i, i + clientLimits.producePartitionsPerRequestMax));
      }
    }
  }

  async #encode(batch: Batch): Promise<void> {
    const identity = this.#txn.identity;
    const key = `${batch.topic}\0${batch.partition}`;
    const baseSequence = this.#idempotent ? (this.#nextSequence.get(key) ?? 0) : -1;
    const first = batch.records[0]!;
    batch.encoded = await encodeRecordBatch({
      compression: this.#compression as never,
      transactional: this.#txn.isTransactional,
      producerId: this.#idempotent && identity !== null ? identity.producerId : -1n,
      producerEpoch: this.#idempotent && identity !== null ? identity.producerEpoch : -1,
      baseSequence,
      baseTimestamp: first.timestamp,
      records: batch.records.map((r, i) => ({
        offsetDelta: i,
        timestampDelta: r.timestamp - first.timestamp,
        key: r.key,
        value: r.value,
        headers: r.headers,
      })),
    });
    if (this.#idempotent) {
      batch.baseSequence = baseSequence;
      // Sequence numbers wrap at int32 max, as in the Java client.
      this.#nextSequence.set(key, (baseSequence + batch.records.length) % 2 ** 31);
    }
  }

  async #produce(leader: number, batches: Batch[]): Promise<void> {
    const byTopic = new Map<string, Batch[]>();
    for (const b of batches) {
      b.attempts++;
      byTopic.set(b.topic, [...(byTopic.get(b.topic) ?? []), b]);
    }
    let response: ProduceResponse | null;
    try {
      if (leader < 0) throw new KafkaError(`produce to '${batches[0]!.topic}'`, ErrorCode.leaderNotAvailable);
      const r = await this.#cluster.sendTo<ProduceResponse | null>(
        leader,
        ApiKey.Produce,
        () => ({
          ...defaultProduceRequest(),
          transactionalId: this.#txn.transactionalId,
          acks: this.#acks,
          timeoutMs: this.#ackTimeoutMs,
          topicData: [...byTopic].map(([name, bs]) => ({
            name,
            partitionData: bs.map((b) => ({ index: b.partition, records: b.encoded! })),
          })),
        }),
        {
          minVersion: 3,
          noResponse: this.#acks === 0,
          timeoutMs: this.#ackTimeoutMs + clientLimits.requestTimeoutMsDefault,
        },
      );
      response = r.body;
    } catch (error) {
      for (const b of batches) this.#retryOrFail(b, error);
      this.#wake();
      return;
    }
    for (const b of batches) this.#settle(b, response);
    this.#wake();
  }

  #settle(batch: Batch, response: ProduceResponse | null): void {
    if (response === null) {
      this.#succeed(batch, -1n, -1n);
      return;
    }
    const p = response.responses
      .find((t) => t.name === batch.topic)
      ?.partitionResponses.find((x) => x.index === batch.partition);
    if (p === undefined) {
      this.#fail(
        batch,
        new Error(`Cannot produce to '${batch.topic}'-${batch.partition}: the response does not mention it`),
      );
      return;
    }
    // A duplicate means the broker already has this batch from an earlier attempt.
    if (p.errorCode === ErrorCode.none || p.errorCode === ErrorCode.duplicateSequenceNumber) {
      this.#succeed(batch, p.baseOffset, p.logAppendTimeMs);
      return;
    }
    const detail = p.errorMessage ?? p.recordErrors[0]?.batchIndexErrorMessage ?? null;
    this.#retryOrFail(
      batch,
      new KafkaError(`produce to '${batch.topic}'-${batch.partition}`, p.errorCode, detail),
    );
  }

  #succeed(batch: Batch, baseOffset: bigint, logAppendTimeMs: bigint): void {
    this.#done(batch);
    batch.records.forEach((r, i) => {
      r.resolve({
        topic: batch.topic,
        partition: batch.partition,
        offset: baseOffset < 0n ? -1n : baseOffset + BigInt(i),
        timestamp: logAppendTimeMs >= 0n ? logAppendTimeMs : r.timestamp,
      });
    });
  }

  #retryOrFail(batch: Batch, error: unknown): void {
    const key = `${batch.topic}\0${batch.partition}`;
    const expired = Date.now() - batch.createdAtMs >= this.#deliveryTimeoutMs;
    if (!isRetriable(error) || expired || this.#closed) {
      const e = error instanceof Error ? error : new Error(String(error));
      if (batch.attempts > 1 && !e.message.includes(' attempts'))
        e.message += ` after ${batch.attempts} attempts`;
      this.#fail(batch, e);
      return;
    }
    if (error instanceof KafkaError && needsMetadataRefresh(error.code)) {
      void this.#cluster.refreshMetadata([batch.topic]).catch(() => undefined);
    }
    this.#inFlight.delete(key);
    this.#retryAt.set(key, Date.now() + backoffMs(batch.attempts - 1, this.#cluster.retry));
    this.#accumulator.requeue(batch);
    this.#scheduleNext();
  }

  #fail(batch: Batch, error: Error): void {
    this.#done(batch);
    for (const r of batch.records) r.reject(error);
  }

  #done(batch: Batch): void {
    const key = `${batch.topic}\0${batch.partition}`;
    this.#inFlight.delete(key);
    this.#retryAt.delete(key);
    this.#accumulator.release(batch);
  }
}
