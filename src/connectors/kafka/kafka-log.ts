// The engine's log binding for any Kafka cluster (Sluice's broker or Apache Kafka) over Sluice's
// own client: an admin client for topics, end offsets and committed offsets; a consumer in assign
// mode per partition reader; a transactional producer per transactional id. Worker threads build
// their own from the same bootstrap.
import { Admin } from '../../client/admin.ts';
import { KafkaError } from '../../client/errors.ts';
import { fetchCommittedOffsets } from '../../client/group-offsets.ts';
import { listOffsets } from '../../client/list-offsets.ts';
import { EngineError } from '../../engine/engine-error.ts';
import type {
  ConsumedOffsets,
  Log,
  PartitionReader,
  ReaderOptions,
  TransactionalLogWriter,
  TransactionHandle,
} from '../../engine/log/log.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import { KafkaPartitionReader } from './kafka-reader.ts';
import { KafkaTransactionalWriter } from './kafka-transactional-writer.ts';

export interface KafkaLogOptions {
  /** "host:port", or several comma separated. */
  readonly bootstrap: string;
}

export function kafkaLog(options: KafkaLogOptions): Log {
  return new KafkaLog(options.bootstrap);
}

class KafkaLog implements Log {
  readonly description: string;
  readonly bootstrap: string;
  readonly #admin: Admin;
  readonly #open = new Set<{ close(): Promise<void> }>();

  constructor(bootstrap: string) {
    this.bootstrap = bootstrap;
    this.description = `Kafka at ${bootstrap}`;
    this.#admin = new Admin({ bootstrap, clientId: 'sluice-engine' });
  }

  async partitionCount(topic: string): Promise<number> {
    try {
      const [described] = await this.#admin.describeTopics([topic]);
      return described!.partitions.length;
    } catch (error) {
      throw new EngineError(
        'source_failed',
        `Cannot find topic '${topic}' on ${this.description}: ${(error as Error).message}`,
      );
    }
  }

  async ensureTopic(topic: string, partitions: number): Promise<void> {
    try {
      await this.#admin.createTopics([{ topic, partitions }]);
    } catch (error) {
      if (error instanceof KafkaError && error.code === ErrorCode.topicAlreadyExists) return;
      throw error;
    }
  }

  async endOffset(topic: string, partition: number, readCommitted: boolean): Promise<number> {
    const [found] = await listOffsets(
      this.#admin.cluster,
      [{ topic, partition, spec: 'latest' }],
      readCommitted ? 'read_committed' : 'read_uncommitted',
    );
    return Number(found!.offset);
  }

  async committedOffsets(groupId: string, topic: string): Promise<Map<number, number>> {
    // Not requireStable: offsets pending in a crashed run's transaction wait for this job's own
    // restart to abort them.
    const committed = await fetchCommittedOffsets(this.#admin.cluster, groupId, null, false);
    const offsets = new Map<number, number>();
    for (const c of committed)
      if (c.topic === topic && c.offset >= 0n) offsets.set(c.partition, Number(c.offset));
    return offsets;
  }

  async openReader(
    topic: string,
    partition: number,
    offset: number,
    options: ReaderOptions,
  ): Promise<PartitionReader> {
    const reader = new KafkaPartitionReader(this.bootstrap, topic, partition, offset, options);
    return this.#track(reader);
  }

  transactionalWriter(transactionalId: string, transactionTimeoutMs: number): TransactionalLogWriter {
    return this.#track(new KafkaTransactionalWriter(this.bootstrap, transactionalId, transactionTimeoutMs));
  }

  async commitTransaction(handle: TransactionHandle, consumed: readonly ConsumedOffsets[]): Promise<void> {
    const writer = new KafkaTransactionalWriter(this.bootstrap, handle.transactionalId, 60_000);
    try {
      writer.resume(handle);
      await writer.addOffsets(consumed);
      await writer.commit();
    } finally {
      await writer.close();
    }
  }

  async close(): Promise<void> {
    for (const c of [...this.#open]) await c.close().catch(() => undefined);
    this.#open.clear();
    this.#admin.close();
  }

  /** Closed with the log unless closed before; closing twice is harmless for both kinds. */
  #track<T extends { close(): Promise<void> }>(closable: T): T {
    const close = closable.close.bind(closable);
    this.#open.add(closable);
    closable.close = () => {
      this.#open.delete(closable);
      return close();
    };
    return closable;
  }
}
