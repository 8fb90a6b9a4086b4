// The producer's side of Kafka transactions (protocol 1: partitions are added explicitly).
// States: uninitialized → ready ⇄ inTransaction → (committing | aborting) → ready; any error a
// retry cannot fix (fenced, invalid state) makes it fatal, as in the Java client: a fenced
// producer must not write again. Idempotent producers without a transactional id use only
// initProducerId().
import { ErrorCode } from '../protocol/error-codes.ts';
import { defaultAddOffsetsToTxnRequest } from '../protocol/generated/add-offsets-to-txn-request.ts';
import type { AddOffsetsToTxnResponse } from '../protocol/generated/add-offsets-to-txn-response.ts';
import { defaultAddPartitionsToTxnRequest } from '../protocol/generated/add-partitions-to-txn-request.ts';
import type { AddPartitionsToTxnResponse } from '../protocol/generated/add-partitions-to-txn-response.ts';
import { ApiKey } from '../protocol/generated/apis.ts';
import { defaultEndTxnRequest } from '../protocol/generated/end-txn-request.ts';
import type { EndTxnResponse } from '../protocol/generated/end-txn-response.ts';
import { defaultInitProducerIdRequest } from '../protocol/generated/init-producer-id-request.ts';
import type { InitProducerIdResponse } from '../protocol/generated/init-producer-id-response.ts';
import { defaultTxnOffsetCommitRequest } from '../protocol/generated/txn-offset-commit-request.ts';
import type { TxnOffsetCommitResponse } from '../protocol/generated/txn-offset-commit-response.ts';
import type { Cluster } from './cluster.ts';
import { ClientStateError, KafkaError, throwIfError } from './errors.ts';
import { withRetries } from './retry.ts';

export type TransactionState =
  | 'uninitialized'
  | 'ready'
  | 'inTransaction'
  | 'committing'
  | 'aborting'
  | 'fatal';

export interface ProducerIdentity {
  producerId: bigint;
  producerEpoch: number;
}

/** What a consumer in a group tells a transactional producer so its offsets join the transaction. */
export interface ConsumerGroupMetadata {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
}

export interface TopicPartitionOffset {
  topic: string;
  partition: number;
  /** The next offset to read (last processed + 1). */
  offset: bigint;
  metadata?: string | null;
}

/** Errors after which this producer may not continue (another instance took over, or a bug). */
const fatalCodes: ReadonlySet<number> = new Set([
  ErrorCode.producerFenced,
  ErrorCode.invalidProducerEpoch,
  ErrorCode.transactionalIdAuthorizationFailed,
  ErrorCode.invalidProducerIdMapping,
  ErrorCode.invalidTxnState,
  ErrorCode.transactionCoordinatorFenced,
]);

export class TransactionManager {
  readonly #cluster: Cluster;
  readonly transactionalId: string | null;
  readonly #transactionTimeoutMs: number;
  #state: TransactionState = 'uninitialized';
  #identity: ProducerIdentity | null = null;
  readonly #partitionsInTxn = new Set<string>();
  #offsetsAdded = false;
  /** The transaction was opened by another producer instance (resume()): EndTxn must be sent. */
  #resumed = false;
  #fatal: Error | null = null;

  constructor(cluster: Cluster, transactionalId: string | null, transactionTimeoutMs: number) {
    this.#cluster = cluster;
    this.transactionalId = transactionalId;
    this.#transactionTimeoutMs = transactionTimeoutMs;
  }

  get state(): TransactionState {
    return this.#state;
  }

  get identity(): ProducerIdentity | null {
    return this.#identity;
  }

  get isTransactional(): boolean {
    return this.transactionalId !== null;
  }

  /** Throws the fatal error, if any, so that every later call reports why the producer stopped. */
  checkNotFatal(action: string): void {
    if (this.#fatal !== null)
      throw new ClientStateError(`Cannot ${action}: the producer failed for good: ${this.#fatal.message}`);
  }

  /** Gets a producer id and epoch (for a transactional id, from its coordinator, fencing older instances). */
  async initProducerId(): Promise<ProducerIdentity> {
    this.checkNotFatal('initialize the producer id');
    const txnId = this.transactionalId;
    const build = (v: number) => {
      const request = defaultInitProducerIdRequest();
      request.transactionalId = txnId;
      request.transactionTimeoutMs = this.#transactionTimeoutMs;
      if (v >= 3 && this.#identity !== null && txnId === null) {
        request.producerId = this.#identity.producerId;
        request.producerEpoch = this.#identity.producerEpoch;
      }
      return request;
    };
    const action = txnId === null ? 'get a producer id' : `initialize transactions for '${txnId}'`;
    const check = ({ body }: { body: InitProducerIdResponse }) => throwIfError(action, body.errorCode);
    let response: InitProducerIdResponse;
    try {
      if (txnId === null) {
        response = await withRetries(async () => {
          const r = await this.#cluster.sendAny<InitProducerIdResponse>(ApiKey.InitProducerId, build);
          check(r);
          return r.body;
        }, this.#cluster.retry);
      } else {
        const r = await this.#cluster.sendToCoordinator<InitProducerIdResponse>(
          'transaction',
          txnId,
          ApiKey.InitProducerId,
          build,
          check,
          { retry: { retriable: retriableForTxn } },
        );
        response = r.body;
      }
    } catch (error) {
      this.#failIfFatal(error);
      throw error;
    }
    this.#identity = { producerId: response.producerId, producerEpoch: response.producerEpoch };
    if (txnId !== null) this.#state = 'ready';
    return this.#identity;
  }

  beginTransaction(): void {
    this.#requireTransactional('begin a transaction');
    if (this.#state !== 'ready') {
      throw new ClientStateError(
        `Cannot begin a transaction on '${this.transactionalId}': state is ${this.#state}, not ready`,
      );
    }
    this.#partitionsInTxn.clear();
    this.#offsetsAdded = false;
    this.#state = 'inTransaction';
  }

  /**
   * Takes over a transaction another instance of this transactional id left open, by its producer
   * id and epoch, to add offsets and end it: the second phase of a two-phase commit after the
   * first instance crashed (Flink's resumeTransaction). Nothing is sent until then.
   */
  resume(identity: ProducerIdentity): void {
    const txnId = this.transactionalId;
    if (txnId === null)
      throw new ClientStateError('Cannot resume a transaction: the producer has no transactionalId');
    if (this.#state !== 'uninitialized' && this.#state !== 'ready') {
      throw new ClientStateError(
        `Cannot resume a transaction of '${txnId}': state is ${this.#state}, not uninitialized or ready`,
      );
    }
    this.#identity = { ...identity };
    this.#partitionsInTxn.clear();
    this.#offsetsAdded = false;
    this.#resumed = true;
    this.#state = 'inTransaction';
  }

  /** Registers partitions with the coordinator before the producer writes to them in this transaction. */
  async addPartitions(partitions: readonly { topic: string; partition: number }[]): Promise<void> {
    const txnId = this.#requireTransactional('add partitions to a transaction');
    const missing = partitions.filter((p) => !this.#partitionsInTxn.has(`${p.topic}\0${p.partition}`));
    if (missing.length === 0) return;
    const id = this.#requireIdentity();
    const byTopic = new Map<string, number[]>();
    for (const p of missing) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p.partition]);
    const action = `add ${missing.length} partitions to transaction '${txnId}'`;
    try {
      await this.#cluster.sendToCoordinator<AddPartitionsToTxnResponse>(
        'transaction',
        txnId,
        ApiKey.AddPartitionsToTxn,
        () => {
          const request = defaultAddPartitionsToTxnRequest();
          request.v3AndBelowTransactionalId = txnId;
          request.v3AndBelowProducerId = id.producerId;
          request.v3AndBelowProducerEpoch = id.producerEpoch;
          request.v3AndBelowTopics = [...byTopic].map(([name, ps]) => ({ name, partitions: ps }));
          return request;
        },
        ({ body }) => {
          throwIfError(action, body.errorCode);
          for (const t of body.resultsByTopicV3AndBelow) {
            for (const p of t.resultsByPartition) {
              // OPERATION_NOT_ATTEMPTED marks partitions skipped because another one failed.
              if (p.partitionErrorCode === ErrorCode.operationNotAttempted) continue;
              throwIfError(`${action} ('${t.name}'-${p.partitionIndex})`, p.partitionErrorCode);
            }
          }
        },
        { maxVersion: 3, retry: { retriable: retriableForTxn } },
      );
    } catch (error) {
      this.#failIfFatal(error);
      throw error;
    }
    for (const p of missing) this.#partitionsInTxn.add(`${p.topic}\0${p.partition}`);
  }

  /** Adds consumed offsets to the transaction: they commit or abort with its records. */
  async sendOffsets(offsets: readonly TopicPartitionOffset[], group: ConsumerGroupMetadata): Promise<void> {
    const txnId = this.#requireTransactional('send offsets to a transaction');
    if (this.#state !== 'inTransaction') {
      throw new ClientStateError(
        `Cannot send offsets to transaction '${txnId}': state is ${this.#state}, not inTransaction`,
      );
    }
    const id = this.#requireIdentity();
    try {
      await this.#cluster.sendToCoordinator<AddOffsetsToTxnResponse>(
        'transaction',
        txnId,
        ApiKey.AddOffsetsToTxn,
        () => ({ ...defaultAddOffsetsToTxnRequest(), transactionalId: txnId, ...id, groupId: group.groupId }),
        ({ body }) => throwIfError(`add group '${group.groupId}' to transaction '${txnId}'`, body.errorCode),
        { retry: { retriable: retriableForTxn } },
      );
      this.#offsetsAdded = true;
      await this.#commitTxnOffsets(txnId, id, offsets, group);
    } catch (error) {
      this.#failIfFatal(error);
      throw error;
    }
  }

  async #commitTxnOffsets(
    txnId: string,
    id: ProducerIdentity,
    offsets: readonly TopicPartitionOffset[],
    group: ConsumerGroupMetadata,
  ): Promise<void> {
    const byTopic = new Map<string, TopicPartitionOffset[]>();
    for (const o of offsets) byTopic.set(o.topic, [...(byTopic.get(o.topic) ?? []), o]);
    await this.#cluster.sendToCoordinator<TxnOffsetCommitResponse>(
      'group',
      group.groupId,
      ApiKey.TxnOffsetCommit,
      (v) => {
        const request = defaultTxnOffsetCommitRequest();
        request.transactionalId = txnId;
        request.groupId = group.groupId;
        request.producerId = id.producerId;
        request.producerEpoch = id.producerEpoch;
        if (v >= 3) {
          request.generationId = group.generationId;
          request.memberId = group.memberId;
          request.groupInstanceId = group.groupInstanceId;
        }
        request.topics = [...byTopic].map(([name, os]) => ({
          name,
          partitions: os.map((o) => ({
            partitionIndex: o.partition,
            committedOffset: o.offset,
            committedLeaderEpoch: -1,
            committedMetadata: o.metadata ?? '',
          })),
        }));
        return request;
      },
      ({ body }) => {
        for (const t of body.topics) {
          for (const p of t.partitions) {
            throwIfError(
              `commit offsets of '${t.name}'-${p.partitionIndex} in transaction '${txnId}'`,
              p.errorCode,
            );
          }
        }
      },
      { retry: { retriable: retriableForTxn } },
    );
  }

  /** Ends the transaction; the producer has flushed (commit) or given up (abort) its batches. */
  async endTransaction(commit: boolean): Promise<void> {
    const txnId = this.#requireTransactional(commit ? 'commit a transaction' : 'abort a transaction');
    const verb = commit ? 'commit' : 'abort';
    if (this.#state !== 'inTransaction' && this.#state !== (commit ? 'committing' : 'aborting')) {
      throw new ClientStateError(
        `Cannot ${verb} transaction '${txnId}': state is ${this.#state}, not inTransaction`,
      );
    }
    this.#state = commit ? 'committing' : 'aborting';
    // Nothing was registered with the coordinator: there is nothing for it to end.
    if (this.#partitionsInTxn.size === 0 && !this.#offsetsAdded && !this.#resumed) {
      this.#state = 'ready';
      return;
    }
    const id = this.#requireIdentity();
    try {
      await this.#cluster.sendToCoordinator<EndTxnResponse>(
        'transaction',
        txnId,
        ApiKey.EndTxn,
        () => ({ ...defaultEndTxnRequest(), transactionalId: txnId, ...id, committed: commit }),
        ({ body }) => throwIfError(`${verb} transaction '${txnId}'`, body.errorCode),
        { maxVersion: 4, retry: { retriable: retriableForTxn } },
      );
    } catch (error) {
      this.#failIfFatal(error);
      throw error;
    }
    this.#partitionsInTxn.clear();
    this.#offsetsAdded = false;
    this.#resumed = false;
    this.#state = 'ready';
  }

  #requireTransactional(action: string): string {
    this.checkNotFatal(action);
    if (this.transactionalId === null)
      throw new ClientStateError(`Cannot ${action}: the producer has no transactionalId`);
    if (this.#state === 'uninitialized') {
      throw new ClientStateError(
        `Cannot ${action}: call initTransactions() first for '${this.transactionalId}'`,
      );
    }
    return this.transactionalId;
  }

  #requireIdentity(): ProducerIdentity {
    if (this.#identity === null) throw new ClientStateError('The producer has no producer id yet');
    return this.#identity;
  }

  #failIfFatal(error: unknown): void {
    if (error instanceof KafkaError && fatalCodes.has(error.code)) {
      this.#state = 'fatal';
      this.#fatal = error;
    }
  }
}

/** Transaction calls also retry CONCURRENT_TRANSACTIONS (the previous transaction is still ending). */
function retriableForTxn(error: unknown): boolean {
  if (error instanceof KafkaError) return error.retriable || error.code === ErrorCode.concurrentTransactions;
  return (error as { retriable?: unknown })?.retriable === true;
}
