// The transaction coordinator (Kafka's TransactionCoordinator + TransactionStateManager on one
// node). It owns every transactional id's metadata; all checks run synchronously and a transition
// marks the id `pending` before its record is written to __transaction_state, so a concurrent
// request sees CONCURRENT_TRANSACTIONS instead of a half-made change. EndTxn writes PrepareCommit
// or PrepareAbort durably, then markers to every partition of the transaction (each flushed), then
// applies (commit) or drops (abort) the transaction's group offsets, then writes CompleteCommit or
// CompleteAbort. On load, Prepare* states are completed again and Ongoing ones abort once their
// timeout passes, so no transaction outlives a crash. Producer ids come from durable blocks.

import { transactionLimits } from '../limits.ts';
import { ErrorCode } from '../protocol/error-codes.ts';
import { encodeEndTransactionBatch } from '../protocol/records/control-record.ts';
import { type Clock, systemClock } from '../storage/clock.ts';
import type { LogManager } from '../storage/log-manager.ts';
import type { ProducerProblem } from './producer-state.ts';
import type { TransactionLog, TxnLogRecord } from './transaction-log.ts';
import {
  decodePendingOffsets,
  decodeProducerIdBlock,
  decodeTxnLogKey,
  decodeTxnLogValue,
  encodePendingOffsets,
  encodeProducerIdBlock,
  encodeTxnLogKey,
  encodeTxnLogValue,
  transactionStatePartitionFor,
} from './transaction-log-records.ts';
import {
  type PendingOffset,
  type TopicPartitionKey,
  type TxnMetadata,
  type TxnRecord,
  type TxnState,
  tpKey,
  tpOf,
} from './transaction-state.ts';

const EPOCH_MAX = 32767;
const COORDINATOR_EPOCH = 0;

/** Where committed transactional offsets go: the group coordinator, adapted. */
export interface TxnGroupOffsets {
  /** Error code for a TxnOffsetCommit's group, generation and member (KIP-447), NONE if allowed. */
  validate(groupId: string, memberId: string, groupInstanceId: string | null, generationId: number): number;
  /** Makes offsets committed by a transaction visible; resolves once durable. */
  commit(
    groupId: string,
    offsets: readonly { topic: string; partition: number; value: PendingOffset }[],
  ): Promise<void>;
}

export interface TxnCoordinatorConfig {
  /** transaction.max.timeout.ms */
  transactionMaxTimeoutMs: number;
  /** transactional.id.expiration.ms: idle completed ids are forgotten after this. */
  transactionalIdExpirationMs: number;
  /** producer.id.expiration.ms: partitions forget producers idle this long. */
  producerIdExpirationMs: number;
  /** producer.id.expiration.check.interval.ms */
  producerIdExpirationCheckIntervalMs: number;
  /** transaction.abort.timed.out.transaction.cleanup.interval.ms */
  timeoutCheckIntervalMs: number;
}

export const defaultTxnCoordinatorConfig: TxnCoordinatorConfig = {
  transactionMaxTimeoutMs: transactionLimits.transactionTimeoutMsMax,
  transactionalIdExpirationMs: 7 * 24 * 60 * 60 * 1000,
  producerIdExpirationMs: 24 * 60 * 60 * 1000,
  producerIdExpirationCheckIntervalMs: 10 * 60 * 1000,
  timeoutCheckIntervalMs: transactionLimits.timeoutCheckIntervalMs,
};

export interface TxnLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface TransactionCoordinatorOptions {
  log: TransactionLog;
  logs: LogManager;
  /** Wakes fetches parked on a partition after a marker lands. */
  notify: (topic: string, partition: number) => void;
  groups: () => TxnGroupOffsets | undefined;
  clock?: Clock;
  config?: Partial<TxnCoordinatorConfig>;
  logger?: TxnLogger;
  /** Start the timeout / expiry timer (default true; tests drive tick() themselves). */
  timers?: boolean;
}

export interface InitProducerIdResult {
  errorCode: number;
  producerId: bigint;
  producerEpoch: number;
}

export interface DescribedTxn {
  errorCode: number;
  transactionalId: string;
  state: TxnState;
  timeoutMs: number;
  startTimestampMs: number;
  producerId: bigint;
  producerEpoch: number;
  partitions: { topic: string; partition: number }[];
}

export class TransactionCoordinator {
  readonly config: TxnCoordinatorConfig;
  readonly #o: TransactionCoordinatorOptions;
  readonly #clock: Clock;
  readonly #txns = new Map<string, TxnMetadata>();
  readonly #byProducerId = new Map<bigint, string>();
  /** Ids whose Prepare* state still needs markers (after a failure or a restart). */
  readonly #toComplete = new Set<string>();
  readonly #inFlight = new Set<Promise<unknown>>();
  /**
   * Group id → partition → how many transactions hold a pending offset for it: the index of every
   * `meta.pendingOffsets`, kept by #setPendingOffsets, so OffsetFetch's RequireStable check is a
   * lookup rather than a walk over every transactional id.
   */
  readonly #pendingByGroup = new Map<string, Map<TopicPartitionKey, number>>();
  #nextProducerId = 0n;
  #blockEnd = 0n;
  #blockWrite: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #lastProducerExpiryMs: number;
  #closed = false;

  private constructor(options: TransactionCoordinatorOptions) {
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
    this.config = { ...defaultTxnCoordinatorConfig, ...options.config };
    this.#lastProducerExpiryMs = this.#clock.nowMs();
  }

  /** Loads __transaction_state, then finishes what a crash interrupted. */
  static async open(options: TransactionCoordinatorOptions): Promise<TransactionCoordinator> {
    const c = new TransactionCoordinator(options);
    for (let p = 0; p < options.log.partitions; p++) {
      for await (const record of options.log.readAll(p)) c.#replay(record);
    }
    c.#nextProducerId = c.#blockEnd;
    for (const meta of c.#txns.values()) {
      if (meta.state === 'PrepareCommit' || meta.state === 'PrepareAbort')
        c.#toComplete.add(meta.transactionalId);
    }
    if (options.timers !== false) {
      c.#timer = setInterval(() => c.tick(), c.config.timeoutCheckIntervalMs);
      c.#timer.unref();
    }
    c.tick();
    return c;
  }

  get transactionCount(): number {
    return this.#txns.size;
  }

  // ---- InitProducerId ------------------------------------------------------------------

  async initProducerId(
    transactionalId: string | null,
    timeoutMs: number,
    producerId: bigint,
    producerEpoch: number,
  ): Promise<InitProducerIdResult> {
    const fail = (errorCode: number): InitProducerIdResult => ({
      errorCode,
      producerId: -1n,
      producerEpoch: -1,
    });
    if (transactionalId === null || transactionalId === '') {
      // Idempotent producers (KIP-360 included) get a fresh id: sequences restart with it.
      try {
        return { errorCode: ErrorCode.none, producerId: await this.#allocateProducerId(), producerEpoch: 0 };
      } catch {
        return fail(ErrorCode.coordinatorNotAvailable);
      }
    }
    if (Buffer.byteLength(transactionalId) > transactionLimits.transactionalIdBytesMax)
      return fail(ErrorCode.invalidRequest);
    if (timeoutMs <= 0 || timeoutMs > this.config.transactionMaxTimeoutMs)
      return fail(ErrorCode.invalidTransactionTimeout);
    let meta = this.#txns.get(transactionalId);
    if (meta === undefined) {
      if (this.#txns.size >= transactionLimits.transactionalIdsMax)
        return fail(ErrorCode.coordinatorNotAvailable);
      let id: bigint;
      try {
        id = await this.#allocateProducerId();
      } catch {
        return fail(ErrorCode.coordinatorNotAvailable);
      }
      meta = this.#txns.get(transactionalId);
      if (meta === undefined) {
        const created = this.#newMetadata(transactionalId, id, timeoutMs);
        this.#txns.set(transactionalId, created);
        this.#byProducerId.set(id, transactionalId);
        const ok = await this.#transition(created, {
          ...recordOf(created),
          producerEpoch: 0,
          state: 'Empty',
        });
        if (!ok) {
          this.#forget(created);
          return fail(ErrorCode.coordinatorNotAvailable);
        }
        return { errorCode: ErrorCode.none, producerId: id, producerEpoch: 0 };
      }
    }
    return this.#initExisting(meta, timeoutMs, producerId, producerEpoch);
  }

  async #initExisting(
    meta: TxnMetadata,
    timeoutMs: number,
    producerId: bigint,
    producerEpoch: number,
  ): Promise<InitProducerIdResult> {
    const fail = (errorCode: number): InitProducerIdResult => ({
      errorCode,
      producerId: -1n,
      producerEpoch: -1,
    });
    if (meta.pending || meta.state.startsWith('Prepare')) return fail(ErrorCode.concurrentTransactions);
    if (producerId >= 0n) {
      // KIP-360: a producer re-initialising names its id and epoch; anything else is a zombie.
      if (producerId !== meta.producerId) return fail(ErrorCode.producerFenced);
      const retried = producerEpoch === meta.lastProducerEpoch && meta.state === 'Empty';
      if (retried)
        return { errorCode: ErrorCode.none, producerId: meta.producerId, producerEpoch: meta.producerEpoch };
      if (producerEpoch !== meta.producerEpoch) return fail(ErrorCode.producerFenced);
    }
    if (meta.state === 'Ongoing') {
      // Fence the previous incarnation: abort its transaction under a bumped epoch; the client retries.
      this.#beginAbort(meta, true);
      return fail(ErrorCode.concurrentTransactions);
    }
    let id = meta.producerId;
    let epoch = meta.producerEpoch + 1;
    if (epoch >= EPOCH_MAX) {
      try {
        id = await this.#allocateProducerId();
      } catch {
        return fail(ErrorCode.coordinatorNotAvailable);
      }
      epoch = 0;
      // The id was handed out across an await: re-check that nothing started meanwhile.
      if (isBusy(meta)) return fail(ErrorCode.concurrentTransactions);
    }
    // Only a KIP-360 re-init (which names its epoch) may later be recognised as a retry.
    const previous = producerId >= 0n ? meta.producerEpoch : -1;
    const ok = await this.#transition(meta, {
      ...recordOf(meta),
      producerId: id,
      producerEpoch: epoch,
      timeoutMs,
      state: 'Empty',
      partitions: [],
    });
    if (!ok) return fail(ErrorCode.coordinatorNotAvailable);
    meta.lastProducerEpoch = previous;
    return { errorCode: ErrorCode.none, producerId: meta.producerId, producerEpoch: meta.producerEpoch };
  }

  // ---- AddPartitionsToTxn / AddOffsetsToTxn ---------------------------------------------------

  /** Error code for the whole request, or per-partition codes keyed by tpKey. */
  async addPartitions(
    transactionalId: string,
    producerId: bigint,
    producerEpoch: number,
    partitions: readonly { topic: string; partition: number }[],
    verifyOnly: boolean,
  ): Promise<Map<TopicPartitionKey, number>> {
    const all = (code: number) => new Map(partitions.map((p) => [tpKey(p.topic, p.partition), code]));
    const meta = this.#txns.get(transactionalId);
    const problem = this.#checkProducer(meta, producerId, producerEpoch);
    if (problem !== ErrorCode.none || meta === undefined) return all(problem);
    const keys = partitions.map((p) => tpKey(p.topic, p.partition));
    if (verifyOnly) {
      const ok = meta.state === 'Ongoing';
      return new Map(
        keys.map((k) => [k, ok && meta.partitions.includes(k) ? ErrorCode.none : ErrorCode.invalidTxnState]),
      );
    }
    if (meta.pending || meta.state.startsWith('Prepare')) return all(ErrorCode.concurrentTransactions);
    const unknown = partitions.filter((p) => this.#o.logs.partition(p.topic, p.partition) === undefined);
    if (unknown.length > 0) {
      const result = all(ErrorCode.operationNotAttempted);
      for (const p of unknown) result.set(tpKey(p.topic, p.partition), ErrorCode.unknownTopicOrPartition);
      return result;
    }
    const added = [...new Set([...meta.partitions, ...keys])];
    if (meta.state === 'Ongoing' && added.length === meta.partitions.length) return all(ErrorCode.none);
    if (added.length > transactionLimits.partitionsPerTransactionMax) return all(ErrorCode.invalidRequest);
    const ok = await this.#transition(meta, this.#ongoing(meta, added));
    return all(ok ? ErrorCode.none : ErrorCode.coordinatorNotAvailable);
  }

  async addOffsets(
    transactionalId: string,
    producerId: bigint,
    producerEpoch: number,
    groupId: string,
  ): Promise<number> {
    const meta = this.#txns.get(transactionalId);
    const problem = this.#checkProducer(meta, producerId, producerEpoch);
    if (problem !== ErrorCode.none || meta === undefined) return problem;
    if (groupId === '') return ErrorCode.invalidGroupId;
    if (meta.pending || meta.state.startsWith('Prepare')) return ErrorCode.concurrentTransactions;
    if (meta.state === 'Ongoing' && meta.pendingOffsets.has(groupId)) return ErrorCode.none;
    const groups = new Map(meta.pendingOffsets);
    groups.set(groupId, new Map(groups.get(groupId) ?? []));
    const ok = await this.#transition(meta, this.#ongoing(meta, meta.partitions), groups);
    return ok ? ErrorCode.none : ErrorCode.coordinatorNotAvailable;
  }

  // ---- TxnOffsetCommit -------------------------------------------------------------------

  async txnOffsetCommit(input: {
    transactionalId: string;
    groupId: string;
    producerId: bigint;
    producerEpoch: number;
    generationId: number;
    memberId: string;
    groupInstanceId: string | null;
    offsets: readonly { topic: string; partition: number; value: PendingOffset }[];
  }): Promise<number> {
    const meta = this.#txns.get(input.transactionalId);
    const problem = this.#checkProducer(meta, input.producerId, input.producerEpoch);
    if (problem !== ErrorCode.none || meta === undefined)
      return problem === ErrorCode.producerFenced ? ErrorCode.invalidProducerEpoch : problem;
    const groups = this.#o.groups();
    if (groups === undefined) return ErrorCode.coordinatorNotAvailable;
    if (meta.pending) return ErrorCode.concurrentTransactions;
    if (meta.state !== 'Ongoing' || !meta.pendingOffsets.has(input.groupId)) return ErrorCode.invalidTxnState;
    const groupError = groups.validate(
      input.groupId,
      input.memberId,
      input.groupInstanceId,
      input.generationId,
    );
    if (groupError !== ErrorCode.none) return groupError;
    const next = new Map(meta.pendingOffsets);
    const offsets = new Map(next.get(input.groupId) ?? []);
    for (const o of input.offsets) offsets.set(tpKey(o.topic, o.partition), o.value);
    next.set(input.groupId, offsets);
    const total = [...next.values()].reduce((n, m) => n + m.size, 0);
    if (total > transactionLimits.offsetsPerTransactionMax) return ErrorCode.invalidRequest;
    const ok = await this.#transition(meta, recordOf(meta), next);
    return ok ? ErrorCode.none : ErrorCode.coordinatorNotAvailable;
  }

  // ---- EndTxn ----------------------------------------------------------------------------

  /** Resolves once the outcome is durable and, unless a partition is unavailable, its markers are written. */
  async endTxn(
    transactionalId: string,
    producerId: bigint,
    producerEpoch: number,
    commit: boolean,
  ): Promise<number> {
    const meta = this.#txns.get(transactionalId);
    const problem = this.#checkProducer(meta, producerId, producerEpoch);
    if (problem !== ErrorCode.none || meta === undefined) return problem;
    if (meta.pending) return ErrorCode.concurrentTransactions;
    const state = meta.state;
    if (state === 'CompleteCommit' && commit) return ErrorCode.none;
    if ((state === 'CompleteAbort' || state === 'Empty') && !commit) return ErrorCode.none;
    if ((state === 'PrepareCommit' && commit) || (state === 'PrepareAbort' && !commit))
      return ErrorCode.concurrentTransactions;
    if (state !== 'Ongoing') return ErrorCode.invalidTxnState;
    const prepared = await this.#transition(meta, {
      ...recordOf(meta),
      state: commit ? 'PrepareCommit' : 'PrepareAbort',
    });
    if (!prepared) return ErrorCode.coordinatorNotAvailable;
    await this.#complete(meta);
    return ErrorCode.none;
  }

  // ---- Produce-path verification ---------------------------------------------------------

  /** Whether a transactional batch of this producer may be written to the partition now (synchronous). */
  verifyPartition(
    producerId: bigint,
    producerEpoch: number,
    topic: string,
    partition: number,
  ): ProducerProblem | undefined {
    const id = this.#byProducerId.get(producerId);
    const meta = id === undefined ? undefined : this.#txns.get(id);
    if (meta === undefined || meta.producerId !== producerId)
      return {
        code: 'invalid_txn_state',
        message: `Producer ${producerId} has no transaction with this coordinator`,
      };
    if (producerEpoch < meta.producerEpoch)
      return {
        code: 'invalid_producer_epoch',
        message: `Producer ${producerId} epoch ${producerEpoch} is fenced by epoch ${meta.producerEpoch}`,
      };
    if (
      meta.state !== 'Ongoing' ||
      producerEpoch !== meta.producerEpoch ||
      !meta.partitions.includes(tpKey(topic, partition))
    )
      return {
        code: 'invalid_txn_state',
        message: `Partition ${topic}-${partition} is not in an ongoing transaction of '${meta.transactionalId}' (state ${meta.state})`,
      };
    return undefined;
  }

  // ---- Pending group offsets (OffsetFetch RequireStable, KIP-447) ---------------------------

  /**
   * Whether a transaction not yet completed holds an offset for the group's partition (sent by
   * TxnOffsetCommit, applied to the group only when the transaction commits). It stays pending
   * until the transaction's CompleteCommit or CompleteAbort is written.
   */
  hasPendingOffsets(groupId: string, topic: string, partition: number): boolean {
    return this.#pendingByGroup.get(groupId)?.has(tpKey(topic, partition)) ?? false;
  }

  // ---- Describe / list -------------------------------------------------------------------

  describe(transactionalId: string): DescribedTxn {
    const meta = this.#txns.get(transactionalId);
    if (meta === undefined) {
      return {
        errorCode: ErrorCode.transactionalIdNotFound,
        transactionalId,
        state: 'Empty',
        timeoutMs: 0,
        startTimestampMs: -1,
        producerId: -1n,
        producerEpoch: -1,
        partitions: [],
      };
    }
    return {
      errorCode: ErrorCode.none,
      transactionalId,
      state: meta.state,
      timeoutMs: meta.timeoutMs,
      startTimestampMs: meta.state === 'Empty' ? -1 : meta.startTimestampMs,
      producerId: meta.producerId,
      producerEpoch: meta.producerEpoch,
      partitions: meta.partitions.map(tpOf),
    };
  }

  list(states: ReadonlySet<string>, producerIds: ReadonlySet<bigint>, minDurationMs: number): DescribedTxn[] {
    const nowMs = this.#clock.nowMs();
    const found: DescribedTxn[] = [];
    for (const meta of this.#txns.values()) {
      if (states.size > 0 && !states.has(meta.state)) continue;
      if (producerIds.size > 0 && !producerIds.has(meta.producerId)) continue;
      if (minDurationMs >= 0 && (meta.state !== 'Ongoing' || nowMs - meta.startTimestampMs < minDurationMs))
        continue;
      found.push(this.describe(meta.transactionalId));
      if (found.length >= transactionLimits.transactionsPerResponseMax) break;
    }
    return found;
  }

  // ---- Timers ----------------------------------------------------------------------------

  /** Aborts timed-out transactions, retries unfinished completions, expires idle ids and producers. */
  tick(): void {
    if (this.#closed) return;
    const nowMs = this.#clock.nowMs();
    for (const meta of this.#txns.values()) {
      if (meta.pending) continue;
      if (meta.state === 'Ongoing' && nowMs - meta.startTimestampMs > meta.timeoutMs) {
        this.#o.logger?.info(
          {
            transactionalId: meta.transactionalId,
            producerId: String(meta.producerId),
            timeoutMs: meta.timeoutMs,
          },
          `Aborting transaction '${meta.transactionalId}': open longer than its ${meta.timeoutMs} ms timeout`,
        );
        this.#beginAbort(meta, true);
      } else if (this.#toComplete.has(meta.transactionalId)) {
        this.#track(this.#complete(meta));
      } else if (
        (meta.state === 'Empty' || meta.state.startsWith('Complete')) &&
        nowMs - meta.lastUpdateTimestampMs > this.config.transactionalIdExpirationMs
      ) {
        this.#track(this.#expire(meta));
      }
    }
    if (nowMs - this.#lastProducerExpiryMs >= this.config.producerIdExpirationCheckIntervalMs) {
      this.#lastProducerExpiryMs = nowMs;
      const cutoff = nowMs - this.config.producerIdExpirationMs;
      for (const log of this.#o.logs.partitions()) {
        if (!log.isOffline) this.#track(log.expireProducers(cutoff).catch(() => 0));
      }
    }
  }

  /** Waits for work started by tick() (tests, shutdown). */
  async settle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    await this.settle();
  }

  // ---- Internals -------------------------------------------------------------------------

  #checkProducer(meta: TxnMetadata | undefined, producerId: bigint, producerEpoch: number): number {
    if (meta === undefined || meta.producerId !== producerId) return ErrorCode.invalidProducerIdMapping;
    if (producerEpoch !== meta.producerEpoch) return ErrorCode.producerFenced;
    return ErrorCode.none;
  }

  #ongoing(meta: TxnMetadata, partitions: TopicPartitionKey[]): TxnRecord {
    const nowMs = this.#clock.nowMs();
    const starting = meta.state !== 'Ongoing';
    return {
      ...recordOf(meta),
      state: 'Ongoing',
      partitions,
      startTimestampMs: starting ? nowMs : meta.startTimestampMs,
    };
  }

  /** Writes PrepareAbort (bumping the epoch to fence the producer when asked), then completes in the background. */
  #beginAbort(meta: TxnMetadata, bumpEpoch: boolean): void {
    const epoch =
      bumpEpoch && meta.producerEpoch + 1 < EPOCH_MAX ? meta.producerEpoch + 1 : meta.producerEpoch;
    const work = (async () => {
      const previous = meta.producerEpoch;
      const ok = await this.#transition(meta, {
        ...recordOf(meta),
        producerEpoch: epoch,
        state: 'PrepareAbort',
      });
      if (!ok) return;
      meta.lastProducerEpoch = previous;
      await this.#complete(meta);
    })();
    this.#track(work);
  }

  /** Writes markers for a Prepare* transaction, settles its offsets and records the outcome. */
  async #complete(meta: TxnMetadata): Promise<void> {
    if (meta.pending) return;
    const commit = meta.state === 'PrepareCommit';
    if (!commit && meta.state !== 'PrepareAbort') return;
    meta.pending = true;
    this.#toComplete.delete(meta.transactionalId);
    try {
      await this.#writeMarkers(meta, commit ? 'commit' : 'abort');
      if (commit) await this.#commitOffsets(meta);
    } catch (error) {
      meta.pending = false;
      this.#toComplete.add(meta.transactionalId);
      this.#o.logger?.warn(
        { transactionalId: meta.transactionalId, error: String(error) },
        `Cannot complete transaction '${meta.transactionalId}' yet; retrying`,
      );
      return;
    }
    meta.pending = false;
    const done = await this.#transition(
      meta,
      { ...recordOf(meta), state: commit ? 'CompleteCommit' : 'CompleteAbort', partitions: [] },
      new Map(),
    );
    if (!done) this.#toComplete.add(meta.transactionalId);
  }

  async #writeMarkers(meta: TxnMetadata, type: 'commit' | 'abort'): Promise<void> {
    const timestamp = BigInt(this.#clock.nowMs());
    await Promise.all(
      meta.partitions.map(async (key) => {
        const { topic, partition } = tpOf(key);
        const log = this.#o.logs.partition(topic, partition);
        if (log === undefined) return; // Deleted with its topic: nothing left to mark.
        const batch = await encodeEndTransactionBatch({
          type,
          producerId: meta.producerId,
          producerEpoch: meta.producerEpoch,
          coordinatorEpoch: COORDINATOR_EPOCH,
          timestamp,
        });
        await log.append(batch);
        // A marker lost in a power loss would leave the partition's transaction open forever.
        await log.flush();
        this.#o.notify(topic, partition);
      }),
    );
  }

  async #commitOffsets(meta: TxnMetadata): Promise<void> {
    const withOffsets = [...meta.pendingOffsets].filter(([, offsets]) => offsets.size > 0);
    if (withOffsets.length === 0) return;
    const groups = this.#o.groups();
    if (groups === undefined) throw new Error('the group coordinator is not running');
    for (const [groupId, offsets] of withOffsets) {
      await groups.commit(
        groupId,
        [...offsets].map(([key, value]) => ({ ...tpOf(key), value })),
      );
    }
  }

  async #expire(meta: TxnMetadata): Promise<void> {
    meta.pending = true;
    const partition = transactionStatePartitionFor(meta.transactionalId, this.#o.log.partitions);
    try {
      await this.#o.log.append(partition, [
        {
          key: encodeTxnLogKey({ kind: 'txn', transactionalId: meta.transactionalId }),
          value: null,
          timestampMs: this.#clock.nowMs(),
        },
      ]);
      this.#forget(meta);
    } catch {
      meta.pending = false;
    }
  }

  /**
   * Persists `next` (and, when given, the pending offsets) for `meta`, then applies it. Returns
   * false, with nothing changed, if the id was busy or the write failed.
   */
  async #transition(
    meta: TxnMetadata,
    next: TxnRecord,
    pendingOffsets?: Map<string, Map<TopicPartitionKey, PendingOffset>>,
  ): Promise<boolean> {
    if (meta.pending || this.#closed) return false;
    meta.pending = true;
    const nowMs = this.#clock.nowMs();
    const record = { ...next, lastUpdateTimestampMs: nowMs };
    const records: TxnLogRecord[] = [
      {
        key: encodeTxnLogKey({ kind: 'txn', transactionalId: meta.transactionalId }),
        value: encodeTxnLogValue(record),
        timestampMs: nowMs,
      },
    ];
    if (pendingOffsets !== undefined) {
      const key = encodeTxnLogKey({ kind: 'pendingOffsets', transactionalId: meta.transactionalId });
      const value =
        pendingOffsets.size === 0
          ? null
          : encodePendingOffsets({
              producerId: record.producerId,
              producerEpoch: record.producerEpoch,
              groups: pendingOffsets,
            });
      records.push({ key, value, timestampMs: nowMs });
    }
    try {
      await this.#o.log.append(
        transactionStatePartitionFor(meta.transactionalId, this.#o.log.partitions),
        records,
      );
    } catch (error) {
      meta.pending = false;
      this.#o.logger?.warn(
        { transactionalId: meta.transactionalId, error: String(error) },
        `Cannot write the state of transaction '${meta.transactionalId}' to __transaction_state`,
      );
      return false;
    }
    meta.pending = false;
    if (record.producerId !== meta.producerId) {
      this.#byProducerId.delete(meta.producerId);
      this.#byProducerId.set(record.producerId, meta.transactionalId);
    }
    Object.assign(meta, record);
    if (pendingOffsets !== undefined) this.#setPendingOffsets(meta, pendingOffsets);
    return true;
  }

  async #allocateProducerId(): Promise<bigint> {
    // Each pass either hands out an id or waits for a block write; bounded by write failures (thrown).
    while (this.#nextProducerId >= this.#blockEnd) {
      this.#blockWrite ??= this.#extendBlock().finally(() => {
        this.#blockWrite = undefined;
      });
      await this.#blockWrite;
    }
    const id = this.#nextProducerId;
    this.#nextProducerId++;
    return id;
  }

  async #extendBlock(): Promise<void> {
    const end = this.#blockEnd + BigInt(transactionLimits.producerIdBlockSize);
    await this.#o.log.append(0, [
      {
        key: encodeTxnLogKey({ kind: 'producerIdBlock' }),
        value: encodeProducerIdBlock(end),
        timestampMs: this.#clock.nowMs(),
      },
    ]);
    this.#blockEnd = end;
  }

  #newMetadata(transactionalId: string, producerId: bigint, timeoutMs: number): TxnMetadata {
    const nowMs = this.#clock.nowMs();
    return {
      transactionalId,
      producerId,
      producerEpoch: -1,
      lastProducerEpoch: -1,
      timeoutMs,
      state: 'Empty',
      partitions: [],
      lastUpdateTimestampMs: nowMs,
      startTimestampMs: nowMs,
      pending: false,
      pendingOffsets: new Map(),
    };
  }

  /** Replaces the transaction's pending offsets, keeping #pendingByGroup in step. */
  #setPendingOffsets(meta: TxnMetadata, next: Map<string, Map<TopicPartitionKey, PendingOffset>>): void {
    for (const [groupId, offsets] of meta.pendingOffsets) {
      const counts = this.#pendingByGroup.get(groupId);
      if (counts === undefined) continue;
      for (const key of offsets.keys()) {
        const n = (counts.get(key) ?? 0) - 1;
        if (n > 0) counts.set(key, n);
        else counts.delete(key);
      }
      if (counts.size === 0) this.#pendingByGroup.delete(groupId);
    }
    meta.pendingOffsets = next;
    for (const [groupId, offsets] of next) {
      if (offsets.size === 0) continue;
      let counts = this.#pendingByGroup.get(groupId);
      if (counts === undefined) {
        counts = new Map();
        this.#pendingByGroup.set(groupId, counts);
      }
      for (const key of offsets.keys()) counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }

  #forget(meta: TxnMetadata): void {
    this.#setPendingOffsets(meta, new Map());
    this.#txns.delete(meta.transactionalId);
    if (this.#byProducerId.get(meta.producerId) === meta.transactionalId)
      this.#byProducerId.delete(meta.producerId);
  }

  #replay(record: TxnLogRecord): void {
    const key = decodeTxnLogKey(record.key);
    if (key === undefined) return;
    if (key.kind === 'producerIdBlock') {
      if (record.value !== null) {
        const end = decodeProducerIdBlock(record.value);
        if (end > this.#blockEnd) this.#blockEnd = end;
      }
      return;
    }
    const existing = this.#txns.get(key.transactionalId);
    if (key.kind === 'pendingOffsets') {
      if (existing !== undefined)
        this.#setPendingOffsets(
          existing,
          record.value === null ? new Map() : decodePendingOffsets(record.value).groups,
        );
      return;
    }
    if (record.value === null) {
      if (existing !== undefined) this.#forget(existing);
      return;
    }
    const value = decodeTxnLogValue(record.value);
    const meta = existing ?? this.#newMetadata(key.transactionalId, value.producerId, value.timeoutMs);
    if (meta.producerId !== value.producerId) this.#byProducerId.delete(meta.producerId);
    meta.lastProducerEpoch = meta.producerEpoch;
    Object.assign(meta, value);
    // A fence interrupted by a crash finishes as the abort it was starting.
    if (meta.state === 'PrepareEpochFence') meta.state = 'PrepareAbort';
    this.#txns.set(key.transactionalId, meta);
    this.#byProducerId.set(value.producerId, key.transactionalId);
    if (value.producerId >= this.#blockEnd) this.#blockEnd = value.producerId + 1n;
  }

  #track(work: Promise<unknown>): void {
    this.#inFlight.add(work);
    const forget = () => this.#inFlight.delete(work);
    work.then(forget, forget);
  }
}

function isBusy(meta: TxnMetadata): boolean {
  return meta.pending || (meta.state !== 'Empty' && !meta.state.startsWith('Complete'));
}

function recordOf(meta: TxnMetadata): TxnRecord {
  return {
    producerId: meta.producerId,
    producerEpoch: meta.producerEpoch,
    timeoutMs: meta.timeoutMs,
    state: meta.state,
    partitions: meta.partitions,
    lastUpdateTimestampMs: meta.lastUpdateTimestampMs,
    startTimestampMs: meta.startTimestampMs,
  };
}
