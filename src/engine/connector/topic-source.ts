// A topic as a source: one task per partition, records decoded with serdes, positions stored in
// checkpoints. Bound to a log only when the job runs (runJob's `log`), so the same job reads the
// embedded broker, Sluice over TCP or Apache Kafka. Read committed by default, so a job reading
// another job's exactly-once output sees only committed transactions. Bounded: the end offset
// (last stable offset) of each partition is taken when the partition opens and the source ends
// there, so the job is a batch job that terminates with the results a stream would give for the
// same records (end of input closes every window).
import { EngineError } from '../engine-error.ts';
import type { PartitionReader } from '../log/log.ts';
import type { EngineRecord, RecordHeader } from '../record.ts';
import type { LogPositionedSource } from '../runtime/consumed-offsets.ts';
import { jsonSerde } from '../serde/json-serde.ts';
import type { Serde } from '../serde/serde.ts';
import { stringSerde } from '../serde/string-serde.ts';
import { type JobEnvironment, requireLog } from './environment.ts';
import type { PollStatus, Source, SourcePartition } from './source.ts';

export interface TopicSourceOptions<K, V> {
  /** Value serde; default JSON. */
  readonly serde?: Serde<V>;
  /** Key serde; default UTF-8 string. Null keys stay null. */
  readonly keySerde?: Serde<K>;
  /** Read to each partition's end offset at start, then end (a batch job). Default false. */
  readonly bounded?: boolean;
  /** Skip aborted and open transactions (Kafka's read_committed). Default true. */
  readonly readCommitted?: boolean;
  /** Consumer group the job's progress is committed to; default the job's name. */
  readonly groupId?: string;
  /**
   * Where a partition starts when no checkpoint says: 'committed' (the group's committed offset,
   * else the earliest), 'earliest' or 'latest'. Default 'committed'.
   */
  readonly startAt?: 'committed' | 'earliest' | 'latest';
  /** Longest one poll waits for records; default 100 ms. */
  readonly pollWaitMs?: number;
}

const pollWaitMsDefault = 100;

class TopicPartitionSource<K, V> implements SourcePartition<K, V> {
  readonly #reader: PartitionReader;
  readonly #keySerde: Serde<K>;
  readonly #valueSerde: Serde<V>;
  readonly #pollWaitMs: number;
  #position: number;

  constructor(
    reader: PartitionReader,
    keySerde: Serde<K>,
    valueSerde: Serde<V>,
    pollWaitMs: number,
    at: number,
  ) {
    this.#reader = reader;
    this.#keySerde = keySerde;
    this.#valueSerde = valueSerde;
    this.#pollWaitMs = pollWaitMs;
    this.#position = at;
  }

  async poll(out: EngineRecord<K, V>[], recordsMax: number): Promise<PollStatus> {
    const batch = await this.#reader.read(recordsMax, this.#pollWaitMs);
    const { topic, partition } = this.#reader;
    for (const r of batch.records) {
      out.push({
        // Tombstones and keyless records keep their nulls; the types describe the usual case.
        key: (r.key === null ? null : this.#keySerde.deserialize(r.key, topic)) as K,
        value: (r.value === null ? null : this.#valueSerde.deserialize(r.value, topic)) as V,
        timestamp: r.timestampMs,
        headers: r.headers as readonly RecordHeader[],
        topic,
        partition,
        offset: r.offset,
      });
    }
    this.#position = batch.nextOffset;
    if (batch.endOfLog) return 'end';
    return batch.records.length > 0 ? 'records' : 'empty';
  }

  position(): number {
    return this.#position;
  }

  close(): Promise<void> {
    return this.#reader.close();
  }
}

export class TopicSource<K, V> implements Source<K, V>, LogPositionedSource {
  readonly name: string;
  readonly logTopic: string;
  readonly #options: TopicSourceOptions<K, V>;

  constructor(topic: string, options: TopicSourceOptions<K, V> = {}) {
    if (topic === '') throw new EngineError('invalid_job', 'Cannot read a topic with an empty name');
    this.name = `topic:${topic}`;
    this.logTopic = topic;
    this.#options = options;
  }

  consumerGroup(environment: JobEnvironment): string {
    return this.#options.groupId ?? environment.job;
  }

  partitionCount(environment: JobEnvironment): Promise<number> {
    return requireLog(environment, `topicSource('${this.logTopic}')`).partitionCount(this.logTopic);
  }

  async openPartition(
    partition: number,
    offset: number | null,
    environment: JobEnvironment,
  ): Promise<SourcePartition<K, V>> {
    const log = requireLog(environment, `topicSource('${this.logTopic}')`);
    const o = this.#options;
    const readCommitted = o.readCommitted ?? true;
    const start = offset ?? (await this.#startOffset(partition, environment));
    const endOffset =
      o.bounded === true ? await log.endOffset(this.logTopic, partition, readCommitted) : null;
    const reader = await log.openReader(this.logTopic, partition, start, { readCommitted, endOffset });
    return new TopicPartitionSource(
      reader,
      o.keySerde ?? (stringSerde() as unknown as Serde<K>),
      o.serde ?? jsonSerde<V>(),
      o.pollWaitMs ?? pollWaitMsDefault,
      start,
    );
  }

  async #startOffset(partition: number, environment: JobEnvironment): Promise<number> {
    const log = requireLog(environment, `topicSource('${this.logTopic}')`);
    const startAt = this.#options.startAt ?? 'committed';
    if (startAt === 'earliest') return 0;
    if (startAt === 'latest') return log.endOffset(this.logTopic, partition, false);
    const committed = await log.committedOffsets(this.consumerGroup(environment), this.logTopic);
    return committed.get(partition) ?? 0;
  }
}

/** `job.source(topicSource('bids', { serde: json() }))`. */
export function topicSource<K = string, V = unknown>(
  topic: string,
  options: TopicSourceOptions<K, V> = {},
): TopicSource<K, V> {
  return new TopicSource(topic, options);
}
