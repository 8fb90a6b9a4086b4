// A bounded source over a JSON-lines file: one partition, offset = index of the non-empty line.
// Reads in chunks (engineLimits.fileReadChunkBytes) and parses lines only when polled, so a
// file of any size runs in bounded memory.
import { type FileHandle, open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import type { PollStatus, Source, SourcePartition } from '../../engine/connector/source.ts';
import { EngineError } from '../../engine/engine-error.ts';
import { type EngineRecord, noHeaders } from '../../engine/record.ts';
import { engineLimits } from '../../limits.ts';

export interface JsonlSourceOptions<T> {
  /** Event time of a value (epoch ms); default 0. Cheaper here than as a DSL extractor. */
  readonly timestamp?: (value: T) => number;
}

class JsonlPartition<T> implements SourcePartition<null, T> {
  readonly #path: string;
  readonly #handle: FileHandle;
  readonly #timestamp: ((value: T) => number) | null;
  readonly #decoder = new StringDecoder('utf8');
  readonly #chunk = Buffer.allocUnsafe(engineLimits.fileReadChunkBytes);
  #lines: string[] = [];
  #head = 0;
  #carry = '';
  #eof = false;
  #lineNumber = 0; // physical lines consumed, for errors
  #offset = 0; // non-empty lines returned or skipped
  #skip: number;

  constructor(path: string, handle: FileHandle, options: JsonlSourceOptions<T>, offset: number) {
    this.#path = path;
    this.#handle = handle;
    this.#timestamp = options.timestamp ?? null;
    this.#skip = offset;
  }

  async poll(out: EngineRecord<null, T>[], recordsMax: number): Promise<PollStatus> {
    let n = 0;
    while (n < recordsMax) {
      if (this.#head >= this.#lines.length) {
        if (this.#eof) break;
        await this.#fill();
        continue;
      }
      const line = this.#lines[this.#head++]!;
      this.#lineNumber++;
      if (line.trim().length === 0) continue;
      if (this.#skip > 0) {
        this.#skip--;
        this.#offset++;
        continue;
      }
      let value: T;
      try {
        value = JSON.parse(line) as T;
      } catch (error) {
        throw new EngineError(
          'source_failed',
          `Cannot parse line ${this.#lineNumber} of '${this.#path}' as JSON (${(error as Error).message}): ${line.slice(0, 80)}`,
        );
      }
      out.push({
        key: null,
        value,
        timestamp: this.#timestamp === null ? 0 : this.#timestamp(value),
        headers: noHeaders,
        topic: this.#path,
        partition: 0,
        offset: this.#offset++,
      });
      n++;
    }
    const done = this.#eof && this.#head >= this.#lines.length;
    return done ? 'end' : n > 0 ? 'records' : 'empty';
  }

  position(): number {
    return this.#offset;
  }

  close(): Promise<void> {
    return this.#handle.close();
  }

  async #fill(): Promise<void> {
    const { bytesRead } = await this.#handle.read(this.#chunk, 0, this.#chunk.length, null);
    let text = this.#carry;
    if (bytesRead === 0) {
      this.#eof = true;
      text += this.#decoder.end();
      this.#lines = text.length > 0 ? [text] : [];
      this.#carry = '';
    } else {
      text += this.#decoder.write(this.#chunk.subarray(0, bytesRead));
      const lines = text.split('\n');
      this.#carry = lines.pop()!;
      this.#lines = lines;
      if (this.#carry.length > engineLimits.fileLineBytesMax) {
        throw new EngineError(
          'source_failed',
          `Line ${this.#lineNumber + lines.length + 1} of '${this.#path}' is longer than ${engineLimits.fileLineBytesMax} bytes`,
        );
      }
    }
    this.#head = 0;
  }
}

export class JsonlFileSource<T> implements Source<null, T> {
  readonly name: string;
  readonly #path: string;
  readonly #options: JsonlSourceOptions<T>;

  constructor(path: string, options: JsonlSourceOptions<T> = {}) {
    this.name = `file:${path}`;
    this.#path = path;
    this.#options = options;
  }

  partitionCount(): Promise<number> {
    return Promise.resolve(1);
  }

  async openPartition(partition: number, offset: number | null): Promise<SourcePartition<null, T>> {
    if (partition !== 0)
      throw new EngineError('source_failed', `File '${this.#path}' has one partition, not ${partition}`);
    let handle: FileHandle;
    try {
      handle = await open(this.#path, 'r');
    } catch (error) {
      throw new EngineError(
        'source_failed',
        `Cannot open '${this.#path}' for reading: ${(error as Error).message}`,
      );
    }
    return new JsonlPartition(this.#path, handle, this.#options, offset ?? 0);
  }
}
