// A sink writing one JSON value per line to a file. All writers (tasks) of the stage share one
// buffer and one file; the buffer is bounded by engineLimits.fileSinkBufferBytesMax and the
// runtime awaits flush() when it is full.
import { type FileHandle, open } from 'node:fs/promises';
import type { Sink, SinkWriter } from '../../engine/connector/sink.ts';
import { EngineError } from '../../engine/engine-error.ts';
import type { EngineRecord } from '../../engine/record.ts';
import { engineLimits } from '../../limits.ts';

export interface JsonlSinkOptions<K, V> {
  /** What to write for a record; default: its value. */
  readonly format?: (record: EngineRecord<K, V>) => unknown;
}

export class JsonlFileSink<K, V> implements Sink<K, V> {
  readonly name: string;
  readonly #path: string;
  readonly #format: ((record: EngineRecord<K, V>) => unknown) | null;
  #handle: Promise<FileHandle> | null = null;
  #parts: string[] = [];
  #bufferedChars = 0;
  #openWriters = 0;
  #linesWritten = 0;

  constructor(path: string, options: JsonlSinkOptions<K, V> = {}) {
    this.name = `file:${path}`;
    this.#path = path;
    this.#format = options.format ?? null;
  }

  get linesWritten(): number {
    return this.#linesWritten;
  }

  async openWriter(): Promise<SinkWriter<K, V>> {
    this.#handle ??= open(this.#path, 'w').catch((error: unknown) => {
      throw new EngineError(
        'sink_failed',
        `Cannot open '${this.#path}' for writing: ${(error as Error).message}`,
      );
    });
    await this.#handle;
    this.#openWriters++;
    return {
      write: (records) => this.#write(records),
      needsFlush: () => this.#bufferedChars >= engineLimits.fileSinkBufferBytesMax,
      flush: () => this.#flush(),
      close: () => this.#closeWriter(),
    };
  }

  #write(records: readonly EngineRecord<K, V>[]): void {
    const format = this.#format;
    let text = '';
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      text += `${JSON.stringify(format === null ? r.value : format(r))}\n`;
    }
    this.#parts.push(text);
    this.#bufferedChars += text.length;
    this.#linesWritten += records.length;
  }

  async #flush(): Promise<void> {
    if (this.#parts.length === 0) return;
    const text = this.#parts.join('');
    this.#parts = [];
    this.#bufferedChars = 0;
    const handle = await this.#handle!;
    await handle.write(text);
  }

  async #closeWriter(): Promise<void> {
    await this.#flush();
    if (--this.#openWriters === 0 && this.#handle !== null) {
      const handle = await this.#handle;
      this.#handle = null;
      await handle.close();
    }
  }
}
