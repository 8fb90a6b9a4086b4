import type { Sink, SinkWriter } from '../connector/sink.ts';
import type { EngineRecord } from '../record.ts';
import { type OperatorContext, StatelessOperator } from './operator.ts';
import type { Output } from './output.ts';

/** Hands records to a sink writer; the runtime awaits flush() when the writer is full. */
export class SinkOperator<K, V> extends StatelessOperator {
  readonly #sink: Sink<K, V>;
  #writer: SinkWriter<K, V> | null = null;

  constructor(sink: Sink<K, V>) {
    super();
    this.#sink = sink;
  }

  override async open(context: OperatorContext): Promise<void> {
    this.#writer = await this.#sink.openWriter(context.taskIndex, context.parallelism);
  }

  processBatch(records: readonly EngineRecord[], _input: number, _out: Output): void {
    this.#writerOrThrow().write(records as readonly EngineRecord<K, V>[]);
  }

  override needsFlush(): boolean {
    return this.#writerOrThrow().needsFlush();
  }

  override flush(): Promise<void> {
    return this.#writerOrThrow().flush();
  }

  override async close(): Promise<void> {
    const writer = this.#writerOrThrow();
    await writer.flush();
    await writer.close();
  }

  #writerOrThrow(): SinkWriter<K, V> {
    if (this.#writer === null) throw new Error(`Sink '${this.#sink.name}' was used before open()`);
    return this.#writer;
  }
}
