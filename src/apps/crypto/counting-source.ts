// A source that reports how many records its partitions have read, for progress bars: it wraps
// another source and counts each poll's records. The count is this thread's (in-thread runs).
import type { JobEnvironment } from '../../engine/connector/environment.ts';
import type { PollStatus, Source, SourcePartition } from '../../engine/connector/source.ts';
import type { EngineRecord } from '../../engine/record.ts';

export class CountingSource<K, V> implements Source<K, V> {
  readonly name: string;
  readonly #inner: Source<K, V>;
  readonly #onRecords: (records: number) => void;

  constructor(inner: Source<K, V>, onRecords: (records: number) => void) {
    this.name = inner.name;
    this.#inner = inner;
    this.#onRecords = onRecords;
  }

  partitionCount(environment: JobEnvironment): Promise<number> {
    return this.#inner.partitionCount(environment);
  }

  async openPartition(
    partition: number,
    offset: number | null,
    environment: JobEnvironment,
  ): Promise<SourcePartition<K, V>> {
    const inner = await this.#inner.openPartition(partition, offset, environment);
    const onRecords = this.#onRecords;
    return {
      async poll(out: EngineRecord<K, V>[], recordsMax: number): Promise<PollStatus> {
        const before = out.length;
        const status = await inner.poll(out, recordsMax);
        if (out.length > before) onRecords(out.length - before);
        return status;
      },
      position: () => inner.position(),
      close: () => inner.close(),
    };
  }
}
