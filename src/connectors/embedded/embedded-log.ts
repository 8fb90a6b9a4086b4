// The engine's log binding for a broker in this process: reads PartitionLogs, writes through the
// broker's producer-state and transaction-coordinator path, reads committed offsets from the
// group coordinator. No sockets, no encoding of requests; the semantics (read_committed,
// fencing, markers, transactional offsets) are the broker's own because the calls are.
import type { BrokerServices } from '../../broker/services.ts';
import { EngineError } from '../../engine/engine-error.ts';
import type {
  ConsumedOffsets,
  Log,
  PartitionReader,
  ReaderOptions,
  TransactionalLogWriter,
  TransactionHandle,
} from '../../engine/log/log.ts';
import { ErrorCode, errorName } from '../../protocol/error-codes.ts';
import { EmbeddedPartitionReader } from './embedded-reader.ts';
import { EmbeddedTransactionalWriter } from './embedded-transactional-writer.ts';

/** What the binding needs of a running broker (a `startBroker()` result has it). */
export interface EmbeddedBroker {
  readonly services: BrokerServices;
  readonly nodeId: number;
  /** When the broker listens, worker threads reach it here over the Kafka protocol. */
  readonly bootstrap?: string;
}

export function embeddedLog(broker: EmbeddedBroker): Log {
  return new EmbeddedLog(broker);
}

class EmbeddedLog implements Log {
  readonly description: string;
  readonly bootstrap: string | null;
  readonly #services: BrokerServices;
  readonly #readers = new Set<PartitionReader>();

  constructor(broker: EmbeddedBroker) {
    this.#services = broker.services;
    this.description = `embedded broker ${broker.nodeId}`;
    this.bootstrap = broker.bootstrap ?? null;
  }

  partitionCount(topic: string): Promise<number> {
    const meta = this.#services.logs.describeTopic(topic);
    if (meta === undefined)
      return Promise.reject(
        new EngineError('source_failed', `Topic '${topic}' does not exist on ${this.description}`),
      );
    return Promise.resolve(meta.partitions);
  }

  async ensureTopic(topic: string, partitions: number): Promise<void> {
    if (this.#services.logs.describeTopic(topic) !== undefined) return;
    try {
      await this.#services.logs.createTopic(topic, partitions);
    } catch (error) {
      // Created meanwhile by someone else: that is what was asked for.
      if (this.#services.logs.describeTopic(topic) === undefined) throw error;
    }
  }

  endOffset(topic: string, partition: number, readCommitted: boolean): Promise<number> {
    const log = this.#services.logs.partition(topic, partition);
    if (log === undefined)
      return Promise.reject(
        new EngineError('source_failed', `Cannot find the end of '${topic}'-${partition}: no such partition`),
      );
    return Promise.resolve(readCommitted ? log.lastStableOffset : log.logEndOffset);
  }

  committedOffsets(groupId: string, topic: string): Promise<Map<number, number>> {
    const groups = this.#services.nouns.groups;
    if (groups === undefined)
      return Promise.reject(new EngineError('source_failed', `${this.description} has no group coordinator`));
    // Not requireStable: offsets pending in a transaction of a crashed run are not committed,
    // and only this job's restart (which fences that run) would settle them.
    const fetched = groups.fetchOffsets({
      groupId,
      memberId: null,
      memberEpoch: -1,
      topics: null,
      requireStable: false,
    });
    if (fetched.errorCode !== ErrorCode.none) {
      return Promise.reject(
        new EngineError(
          'source_failed',
          `Cannot read committed offsets of group '${groupId}': ${errorName(fetched.errorCode)}`,
        ),
      );
    }
    const offsets = new Map<number, number>();
    for (const t of fetched.topics) {
      if (t.name !== topic) continue;
      for (const p of t.partitions)
        if (p.errorCode === ErrorCode.none && p.committedOffset >= 0n)
          offsets.set(p.partitionIndex, Number(p.committedOffset));
    }
    return Promise.resolve(offsets);
  }

  async openReader(
    topic: string,
    partition: number,
    offset: number,
    options: ReaderOptions,
  ): Promise<PartitionReader> {
    await this.partitionCount(topic);
    const reader = new EmbeddedPartitionReader(this.#services, topic, partition, offset, options);
    this.#readers.add(reader);
    return {
      topic,
      partition,
      read: (recordsMax, waitMsMax) => reader.read(recordsMax, waitMsMax),
      close: () => {
        this.#readers.delete(reader);
        return reader.close();
      },
    };
  }

  transactionalWriter(transactionalId: string, transactionTimeoutMs: number): TransactionalLogWriter {
    return new EmbeddedTransactionalWriter(this.#services, transactionalId, transactionTimeoutMs);
  }

  async commitTransaction(handle: TransactionHandle, consumed: readonly ConsumedOffsets[]): Promise<void> {
    const writer = new EmbeddedTransactionalWriter(this.#services, handle.transactionalId, 0, handle);
    await writer.addOffsets(consumed);
    await writer.commit();
  }

  async close(): Promise<void> {
    // The broker belongs to whoever started it; only this binding's readers stop waiting.
    for (const reader of [...this.#readers]) await reader.close();
    this.#readers.clear();
  }
}
