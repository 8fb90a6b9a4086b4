// An exactly-once JSON-lines sink: a directory of part files, one per sink task and checkpoint.
// Records of the open transaction go to a hidden temp file `.part-<task>-<nonce>.tmp`; at a
// checkpoint barrier the transaction is sealed under the checkpoint's id, flush() writes and
// fsyncs it (the pre-commit), and once the checkpoint is stored commit() renames it to
// `part-<task>-<checkpoint>.jsonl` and fsyncs the directory. A crash before the checkpoint is
// stored leaves temp files that the restarted writer deletes (abortLeftovers); a crash after it
// leaves temp files the restored snapshot names, which commit() renames then. Readers see only
// `part-*.jsonl` files: exactly the output of completed checkpoints, each record once.
import { randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { syncDirectory } from '../../engine/checkpoint/local-checkpoint-storage.ts';
import type {
  TwoPhaseCommitSink,
  TwoPhaseCommitWriter,
} from '../../engine/connector/two-phase-commit-sink.ts';
import { EngineError } from '../../engine/engine-error.ts';
import type { EngineRecord } from '../../engine/record.ts';
import { engineLimits } from '../../limits.ts';

/** What a checkpoint stores for one sealed transaction: where it is and where it goes. */
export interface PartFile {
  readonly temp: string;
  readonly final: string;
}

interface Transaction {
  readonly temp: string;
  handle: FileHandle | null;
  parts: string[];
}

export interface TransactionalJsonlSinkOptions<K, V> {
  /** What to write for a record; default: its value. */
  readonly format?: (record: EngineRecord<K, V>) => unknown;
}

/** `part-0003-0000000000000042.jsonl`: task-major, checkpoint order within a task; end of input last. */
export function partFileName(taskIndex: number, checkpointId: number): string {
  const epoch =
    checkpointId === Number.POSITIVE_INFINITY ? '9'.repeat(16) : String(checkpointId).padStart(16, '0');
  return `part-${String(taskIndex).padStart(4, '0')}-${epoch}.jsonl`;
}

class Writer<K, V> implements TwoPhaseCommitWriter<K, V, PartFile> {
  readonly #directory: string;
  readonly #task: number;
  readonly #format: ((record: EngineRecord<K, V>) => unknown) | null;
  #open: Transaction | null = null;
  /** Sealed, not yet written out and fsynced. */
  #sealed: Transaction[] = [];
  #bufferedChars = 0;

  constructor(directory: string, task: number, format: ((record: EngineRecord<K, V>) => unknown) | null) {
    this.#directory = directory;
    this.#task = task;
    this.#format = format;
  }

  write(records: readonly EngineRecord<K, V>[]): void {
    const format = this.#format;
    let text = '';
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      text += `${JSON.stringify(format === null ? r.value : format(r))}\n`;
    }
    this.#open ??= { temp: this.#tempName(), handle: null, parts: [] };
    this.#open.parts.push(text);
    this.#bufferedChars += text.length;
  }

  needsFlush(): boolean {
    return this.#bufferedChars >= engineLimits.fileSinkBufferBytesMax;
  }

  seal(checkpointId: number): PartFile | null {
    const txn = this.#open;
    if (txn === null) return null;
    this.#open = null;
    this.#sealed.push(txn);
    return { temp: txn.temp, final: join(this.#directory, partFileName(this.#task, checkpointId)) };
  }

  /** Writes the open transaction's buffer, and writes, fsyncs and closes sealed ones. */
  async flush(): Promise<void> {
    const sealed = this.#sealed;
    this.#sealed = [];
    for (const txn of sealed) {
      await this.#writeOut(txn);
      await txn.handle!.sync();
      await txn.handle!.close();
      txn.handle = null;
    }
    if (this.#open !== null) await this.#writeOut(this.#open);
    this.#bufferedChars = 0;
  }

  async commit(committables: readonly PartFile[]): Promise<void> {
    for (const part of committables) {
      try {
        await rename(part.temp, part.final);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        // Committed before a crash: the final file is there. Neither there: data was lost.
        const done = await stat(part.final).then(
          () => true,
          () => false,
        );
        if (!done) {
          throw new EngineError(
            'sink_failed',
            `Cannot commit '${part.final}': neither it nor its pre-committed temp file '${part.temp}' exists`,
          );
        }
      }
    }
    if (committables.length > 0) await syncDirectory(this.#directory);
  }

  async abortLeftovers(): Promise<void> {
    const prefix = `.part-${String(this.#task).padStart(4, '0')}-`;
    const keep = new Set([this.#open?.temp, ...this.#sealed.map((t) => t.temp)]);
    for (const name of await readdir(this.#directory)) {
      const path = join(this.#directory, name);
      if (name.startsWith(prefix) && name.endsWith('.tmp') && !keep.has(path))
        await rm(path, { force: true });
    }
  }

  async close(): Promise<void> {
    // An unsealed transaction at close belongs to no checkpoint: it stays a temp file and the
    // next start aborts it.
    const txn = this.#open;
    if (txn?.handle != null) await txn.handle.close();
  }

  async #writeOut(txn: Transaction): Promise<void> {
    if (txn.parts.length === 0 && txn.handle !== null) return;
    txn.handle ??= await open(txn.temp, 'w');
    const text = txn.parts.join('');
    txn.parts = [];
    if (text.length > 0) await txn.handle.write(text);
  }

  #tempName(): string {
    const nonce = randomBytes(6).toString('hex');
    return join(this.#directory, `.part-${String(this.#task).padStart(4, '0')}-${nonce}.tmp`);
  }
}

export class TransactionalJsonlSink<K, V> implements TwoPhaseCommitSink<K, V, PartFile> {
  readonly transactional = true;
  readonly name: string;
  readonly #directory: string;
  readonly #format: ((record: EngineRecord<K, V>) => unknown) | null;

  constructor(directory: string, options: TransactionalJsonlSinkOptions<K, V> = {}) {
    this.name = `files:${directory}`;
    this.#directory = directory;
    this.#format = options.format ?? null;
  }

  async openWriter(taskIndex: number): Promise<TwoPhaseCommitWriter<K, V, PartFile>> {
    try {
      await mkdir(this.#directory, { recursive: true });
    } catch (error) {
      throw new EngineError(
        'sink_failed',
        `Cannot create output directory '${this.#directory}': ${(error as Error).message}`,
      );
    }
    return new Writer(this.#directory, taskIndex, this.#format);
  }
}

/** The committed output of a TransactionalJsonlSink: every part file's lines, in file-name order. */
export async function readCommittedJsonl(directory: string): Promise<string[]> {
  const names = (await readdir(directory))
    .filter((n) => n.startsWith('part-') && n.endsWith('.jsonl'))
    .sort();
  const lines: string[] = [];
  for (const name of names) {
    for (const line of (await readFile(join(directory, name), 'utf8')).split('\n'))
      if (line.length > 0) lines.push(line);
  }
  return lines;
}
