// A Source over any LogReader: decodes key and value with serdes and keeps the record's origin.
import type { LogReader, PartitionReader } from '../log/log.ts';
import type { EngineRecord, RecordHeader } from '../record.ts';
import type { Serde } from '../serde/serde.ts';
import type { PollStatus, Source, SourcePartition } from './source.ts';

export interface LogSourceOptions<K, V> {
  readonly topic: string;
  readonly keySerde: Serde<K>;
  readonly valueSerde: Serde<V>;
  /** How long one poll may wait for new records. */
  readonly pollWaitMs: number;
}

class LogSourcePartition<K, V> implements SourcePartition<K | null, V | null> {
  readonly #reader: PartitionReader;
  readonly #options: LogSourceOptions<K, V>;
  #position: number;

  constructor(reader: PartitionReader, options: LogSourceOptions<K, V>, offset: number) {
    this.#reader = reader;
    this.#options = options;
    this.#position = offset;
  }

  async poll(out: EngineRecord<K | null, V | null>[], recordsMax: number): Promise<PollStatus> {
    const batch = await this.#reader.read(recordsMax, this.#options.pollWaitMs);
    const { topic, keySerde, valueSerde } = this.#options;
    const partition = this.#reader.partition;
    for (const r of batch.records) {
      out.push({
        key: r.key === null ? null : keySerde.deserialize(r.key, topic),
        value: r.value === null ? null : valueSerde.deserialize(r.value, topic),
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

/** Reads a topic through a LogReader; null keys and values (tombstones) stay null. */
export function logSource<K, V>(
  reader: LogReader,
  options: LogSourceOptions<K, V>,
): Source<K | null, V | null> {
  return {
    name: `log:${options.topic}`,
    partitionCount: () => reader.partitionCount(options.topic),
    async openPartition(partition, offset) {
      const partitionReader = await reader.openPartition(options.topic, partition, offset);
      return new LogSourcePartition(partitionReader, options, offset);
    },
  };
}
