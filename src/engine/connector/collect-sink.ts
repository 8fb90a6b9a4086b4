// A sink that keeps every record in memory, in arrival order, for tests, benchmarks and
// programs that consume results directly. Bounded: exceeding recordsMax fails the job.
import { EngineError } from '../engine-error.ts';
import type { EngineRecord } from '../record.ts';
import type { Sink, SinkWriter } from './sink.ts';

export class CollectSink<K, V> implements Sink<K, V> {
  readonly name: string;
  readonly records: EngineRecord<K, V>[] = [];
  readonly #recordsMax: number;

  constructor(name: string, recordsMax: number) {
    this.name = name;
    this.#recordsMax = recordsMax;
  }

  values(): V[] {
    return this.records.map((r) => r.value);
  }

  openWriter(): Promise<SinkWriter<K, V>> {
    const records = this.records;
    const recordsMax = this.#recordsMax;
    const name = this.name;
    return Promise.resolve({
      write(batch: readonly EngineRecord<K, V>[]): void {
        if (records.length + batch.length > recordsMax) {
          throw new EngineError(
            'sink_failed',
            `Collect sink '${name}' would exceed its limit of ${recordsMax} records`,
          );
        }
        for (const r of batch) records.push(r);
      },
      needsFlush: () => false,
      flush: () => Promise.resolve(),
      close: () => Promise.resolve(),
    });
  }
}
