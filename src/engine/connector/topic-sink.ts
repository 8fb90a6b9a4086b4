// A topic as an exactly-once sink: each sink task writes through transactional producers of its
// own, and a checkpoint's output, together with the source offsets that checkpoint consumed,
// becomes visible in one log transaction per task when the checkpoint completes.
//
// A task alternates between two transactional ids, `<prefix>-<task>-0` and `-1`: after barrier n
// the records of epoch n+1 go into the other id's transaction while transaction n waits for
// checkpoint n to be stored (the controller commits n before it starts n+1, so two suffice).
//   write  serialize and buffer (bounded: the runtime awaits flush when full);
//   seal   at barrier n: the open transaction's handle (id, producer id, epoch) is the
//          committable the checkpoint stores;
//   flush  the pre-commit: buffered records are appended and acknowledged;
//   commit add the checkpoint's consumed offsets (TxnOffsetCommit) and EndTxn(commit); after a
//          restore, the restored handles are committed by producer id and epoch (Flink's resume),
//          which is idempotent;
//   abort  at start, after those commits: InitProducerId on both ids fences every earlier
//          incarnation (a crashed run, a zombie) and aborts what it left open.
// So the output topic, read with read_committed, holds each result once.
import { partitionForKey } from '../../client/murmur2.ts';
import { engineLimits } from '../../limits.ts';
import { EngineError } from '../engine-error.ts';
import type {
  ConsumedOffsets,
  Log,
  LogAppend,
  TransactionalLogWriter,
  TransactionHandle,
} from '../log/log.ts';
import type { EngineRecord } from '../record.ts';
import { jsonSerde } from '../serde/json-serde.ts';
import type { Serde } from '../serde/serde.ts';
import { stringSerde } from '../serde/string-serde.ts';
import { type JobEnvironment, requireLog } from './environment.ts';
import type { TwoPhaseCommitSink, TwoPhaseCommitWriter } from './two-phase-commit-sink.ts';

export interface TopicSinkOptions<K, V> {
  /** Value serde; default JSON. */
  readonly serde?: Serde<V>;
  /** Key serde; default UTF-8 string. Null keys stay null. */
  readonly keySerde?: Serde<K>;
  /**
   * The partition of a record; default: Kafka's (murmur2 of the key bytes), and for records
   * without a key the sink task's index modulo the partitions.
   */
  readonly partition?: (
    record: EngineRecord<K, V>,
    partitions: number,
    keyBytes: Uint8Array | null,
  ) => number;
  /** Prefix of the sink tasks' transactional ids; default `<job>.<topic>`. Unique per job and sink. */
  readonly transactionalIdPrefix?: string;
  /**
   * transaction.timeout.ms: how long a checkpoint's transaction may stay open. A job restarted
   * later than this after a crash between storing a checkpoint and committing it finds that
   * transaction aborted and fails rather than lose output silently. Default 10 minutes.
   */
  readonly transactionTimeoutMs?: number;
  /** Partitions to create the topic with when it does not exist; default: it must exist. */
  readonly createPartitions?: number;
}

const transactionTimeoutMsDefault = 10 * 60 * 1000;

/** What a checkpoint stores for one sealed transaction. */
export interface SealedTransaction extends TransactionHandle {
  /** Records the transaction holds (0: only offsets, if any, will be in it). */
  readonly records: number;
}

interface Slot {
  readonly writer: TransactionalLogWriter;
  handle: TransactionHandle | null;
  state: 'free' | 'open' | 'sealed';
  /** Serialized records not yet appended, per partition. */
  pending: Map<number, LogAppend[]>;
  records: number;
}

class TopicSinkWriter<K, V> implements TwoPhaseCommitWriter<K, V, SealedTransaction> {
  readonly #topic: string;
  readonly #log: Log;
  readonly #task: number;
  readonly #partitions: number;
  readonly #options: TopicSinkOptions<K, V>;
  readonly #keySerde: Serde<K>;
  readonly #valueSerde: Serde<V>;
  readonly #slots: Slot[];
  #open: Slot | null = null;
  #buffered = 0;

  constructor(
    topic: string,
    log: Log,
    task: number,
    partitions: number,
    prefix: string,
    options: TopicSinkOptions<K, V>,
  ) {
    this.#topic = topic;
    this.#log = log;
    this.#task = task;
    this.#partitions = partitions;
    this.#options = options;
    this.#keySerde = options.keySerde ?? (stringSerde() as unknown as Serde<K>);
    this.#valueSerde = options.serde ?? jsonSerde<V>();
    const timeoutMs = options.transactionTimeoutMs ?? transactionTimeoutMsDefault;
    this.#slots = [0, 1].map((slot) => ({
      writer: log.transactionalWriter(`${prefix}-${task}-${slot}`, timeoutMs),
      handle: null,
      state: 'free' as const,
      pending: new Map(),
      records: 0,
    }));
  }

  write(records: readonly EngineRecord<K, V>[]): void {
    const slot = this.#openSlot();
    const topic = this.#topic;
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      const key = r.key === null || r.key === undefined ? null : this.#keySerde.serialize(r.key, topic);
      const value =
        r.value === null || r.value === undefined ? null : this.#valueSerde.serialize(r.value, topic);
      const partition = this.#partitionOf(r, key);
      let list = slot.pending.get(partition);
      if (list === undefined) {
        list = [];
        slot.pending.set(partition, list);
      }
      list.push({ key, value, headers: r.headers, timestampMs: r.timestamp });
    }
    slot.records += records.length;
    this.#buffered += records.length;
  }

  needsFlush(): boolean {
    return this.#buffered >= engineLimits.logSinkBufferedRecordsMax;
  }

  seal(_checkpointId: number): SealedTransaction {
    // Every checkpoint gets a transaction, empty or not, so its consumed offsets commit too.
    const slot = this.#openSlot();
    this.#open = null;
    slot.state = 'sealed';
    return { ...slot.handle!, records: slot.records };
  }

  async flush(): Promise<void> {
    for (const slot of this.#slots) {
      if (slot.pending.size === 0) continue;
      const pending = slot.pending;
      slot.pending = new Map();
      await Promise.all([...pending].map(([p, records]) => slot.writer.append(this.#topic, p, records)));
    }
    this.#buffered = 0;
  }

  async commit(
    committables: readonly SealedTransaction[],
    consumed: readonly ConsumedOffsets[],
  ): Promise<void> {
    for (const c of committables) {
      const slot = this.#slots.find((s) => s.state === 'sealed' && sameTransaction(s.handle, c));
      if (slot !== undefined) {
        await slot.writer.addOffsets(consumed);
        await slot.writer.commit();
        slot.state = 'free';
        slot.records = 0;
        continue;
      }
      // Sealed by an earlier run (restored from its checkpoint): finish it by its identity.
      if (c.records === 0 && consumed.length === 0) continue;
      try {
        await this.#log.commitTransaction(c, consumed);
      } catch (error) {
        throw new EngineError(
          'sink_failed',
          `Cannot commit transaction '${c.transactionalId}' (producer ${c.producerId} epoch ${c.producerEpoch}, ${c.records} records) that a restored checkpoint of sink '${this.#topic}' task ${this.#task} names; if the log aborted it (its transaction timeout passed) that output is lost: ${(error as Error).message}`,
        );
      }
    }
  }

  async abortLeftovers(): Promise<void> {
    for (const slot of this.#slots) {
      if (slot.state !== 'free') continue;
      slot.handle = await slot.writer.init();
    }
  }

  async close(): Promise<void> {
    // An open or sealed transaction stays open in the log: no checkpoint committed it, and the
    // next run's abortLeftovers (InitProducerId) aborts it.
    for (const slot of this.#slots) await slot.writer.close();
  }

  #openSlot(): Slot {
    if (this.#open !== null) return this.#open;
    const slot = this.#slots.find((s) => s.state === 'free' && s.handle !== null);
    if (slot === undefined) {
      throw new EngineError(
        'sink_failed',
        `Sink '${this.#topic}' task ${this.#task} has no free transaction: two checkpoints' transactions are still uncommitted`,
      );
    }
    slot.state = 'open';
    slot.records = 0;
    this.#open = slot;
    return slot;
  }

  #partitionOf(record: EngineRecord<K, V>, key: Uint8Array | null): number {
    const n = this.#partitions;
    const chosen = this.#options.partition?.(record, n, key);
    if (chosen !== undefined) {
      if (!(Number.isInteger(chosen) && chosen >= 0 && chosen < n)) {
        throw new EngineError(
          'sink_failed',
          `Sink '${this.#topic}': the partition function returned ${chosen}, not a partition of 0..${n - 1}`,
        );
      }
      return chosen;
    }
    return key === null ? this.#task % n : partitionForKey(key, n);
  }
}

function sameTransaction(a: TransactionHandle | null, b: TransactionHandle): boolean {
  return (
    a !== null &&
    a.transactionalId === b.transactionalId &&
    a.producerId === b.producerId &&
    a.producerEpoch === b.producerEpoch
  );
}

export class TopicSink<K, V> implements TwoPhaseCommitSink<K, V, SealedTransaction> {
  readonly transactional = true;
  readonly name: string;
  readonly topic: string;
  readonly #options: TopicSinkOptions<K, V>;

  constructor(topic: string, options: TopicSinkOptions<K, V> = {}) {
    if (topic === '') throw new EngineError('invalid_job', 'Cannot write a topic with an empty name');
    this.name = `topic:${topic}`;
    this.topic = topic;
    this.#options = options;
  }

  async openWriter(
    taskIndex: number,
    _parallelism: number,
    environment: JobEnvironment,
  ): Promise<TwoPhaseCommitWriter<K, V, SealedTransaction>> {
    const log = requireLog(environment, `topicSink('${this.topic}')`);
    const create = this.#options.createPartitions;
    if (create !== undefined) await log.ensureTopic(this.topic, create);
    let partitions: number;
    try {
      partitions = await log.partitionCount(this.topic);
    } catch (error) {
      throw new EngineError(
        'sink_failed',
        `Cannot write topic '${this.topic}': ${(error as Error).message} (create it, or give createPartitions)`,
      );
    }
    const prefix = this.#options.transactionalIdPrefix ?? `${environment.job}.${this.topic}`;
    return new TopicSinkWriter(this.topic, log, taskIndex, partitions, prefix, this.#options);
  }
}

/** `stream.to(topicSink('out', { serde: json() }))`. */
export function topicSink<K = string, V = unknown>(
  topic: string,
  options: TopicSinkOptions<K, V> = {},
): TopicSink<K, V> {
  return new TopicSink(topic, options);
}
