// What the runtime writes to. One writer per task; writes are synchronous into a bounded
// buffer, and the runtime awaits flush() when the writer says it is full, at checkpoints and at
// the end, so backpressure reaches the sources.
import type { EngineRecord } from '../record.ts';
import type { JobEnvironment } from './environment.ts';

export interface SinkWriter<K, V> {
  write(records: readonly EngineRecord<K, V>[]): void;
  /** True when the buffer is at its limit and the runtime must await flush() before more writes. */
  needsFlush(): boolean;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface Sink<K, V> {
  readonly name: string;
  /** Opens the writer of one task of the sink's stage. */
  openWriter(taskIndex: number, parallelism: number, environment: JobEnvironment): Promise<SinkWriter<K, V>>;
}
