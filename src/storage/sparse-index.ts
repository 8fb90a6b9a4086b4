// One sparse index file (offset or time) of fixed-size entries in key order. While its segment is
// active the entries live in memory (bounded by segment.index.bytes) and reach the file on flush;
// once sealed the file is the truth and lookups read it through the shared IndexCache.
import type { FileHandle, FileSystem } from './fs/file-system.ts';
import type { IndexCache } from './index-cache.ts';

export class SparseIndex {
  #path: string;
  readonly entryBytes: number;
  readonly #fs: FileSystem;
  readonly #cache: IndexCache;
  #entriesMax: number;
  /** Active only: entries in memory, `#count` of them valid; undefined once sealed. */
  #memory: Buffer | undefined;
  #count: number;
  #writtenCount: number;
  #file: FileHandle | undefined;
  #unsynced = false;

  private constructor(
    fs: FileSystem,
    cache: IndexCache,
    path: string,
    entryBytes: number,
    entriesMax: number,
    memory: Buffer | undefined,
    count: number,
    file: FileHandle | undefined,
  ) {
    this.#fs = fs;
    this.#cache = cache;
    this.#path = path;
    this.entryBytes = entryBytes;
    this.#entriesMax = entriesMax;
    this.#memory = memory;
    this.#count = count;
    this.#writtenCount = count;
    this.#file = file;
  }

  /** An active index holding `initial` (already on disk, or to be written by the next flush if `dirty`). */
  static async openActive(
    fs: FileSystem,
    cache: IndexCache,
    path: string,
    entryBytes: number,
    entriesMax: number,
    initial: Buffer,
    dirty: boolean,
  ): Promise<SparseIndex> {
    const file = await fs.open(path, 'readWrite');
    const memory = Buffer.alloc(Math.max(initial.length, entryBytes * 64));
    initial.copy(memory);
    const index = new SparseIndex(
      fs,
      cache,
      path,
      entryBytes,
      entriesMax,
      memory,
      initial.length / entryBytes,
      file,
    );
    if (dirty) {
      index.#writtenCount = 0;
      await file.truncate(0);
    }
    return index;
  }

  static sealed(
    fs: FileSystem,
    cache: IndexCache,
    path: string,
    entryBytes: number,
    count: number,
  ): SparseIndex {
    return new SparseIndex(fs, cache, path, entryBytes, count, undefined, count, undefined);
  }

  get path(): string {
    return this.#path;
  }

  /** Follows a rename of the file (compaction swap); forgets any cached copy under the old name. */
  renameTo(path: string): void {
    this.#cache.delete(this.#path);
    this.#path = path;
  }

  /** Keeps the entries in memory from now on (a sealed index about to be replaced on disk). */
  async pin(): Promise<void> {
    if (this.#memory !== undefined) return;
    const entries = Buffer.from(await this.entries());
    this.#cache.delete(this.#path);
    this.#memory = entries;
    this.#entriesMax = this.#count;
  }

  get count(): number {
    return this.#count;
  }

  get isFull(): boolean {
    return this.#count >= this.#entriesMax;
  }

  /** Appends one entry to an active index; the caller has checked order and isFull. */
  append(write: (buf: Buffer, at: number) => void): void {
    if (this.#memory === undefined) throw new Error(`Cannot append to sealed index ${this.#path}`);
    if (this.isFull) throw new Error(`Cannot append to full index ${this.#path} (${this.#count} entries)`);
    const at = this.#count * this.entryBytes;
    if (at + this.entryBytes > this.#memory.length) {
      const grown = Buffer.alloc(Math.min(this.#memory.length * 2, this.#entriesMax * this.entryBytes));
      this.#memory.copy(grown);
      this.#memory = grown;
    }
    write(this.#memory, at);
    this.#count++;
  }

  /** All entries: from memory while active, else from the cache or the file. */
  async entries(): Promise<Buffer> {
    if (this.#memory !== undefined) return this.#memory.subarray(0, this.#count * this.entryBytes);
    const cached = this.#cache.get(this.#path);
    if (cached !== undefined) return cached;
    const whole = this.#count === 0 ? Buffer.alloc(0) : await this.#fs.readFile(this.#path);
    const entries = whole.subarray(0, this.#count * this.entryBytes);
    this.#cache.set(this.#path, entries);
    return entries;
  }

  /** Writes entries not yet on disk. Safe to call concurrently: each call claims its range first. */
  async writePending(): Promise<void> {
    if (this.#memory === undefined || this.#file === undefined) return;
    const from = this.#writtenCount;
    const to = this.#count;
    if (to === from) return;
    this.#writtenCount = to;
    this.#unsynced = true;
    const bytes = Buffer.from(this.#memory.subarray(from * this.entryBytes, to * this.entryBytes));
    await this.#file.write(bytes, from * this.entryBytes);
  }

  async sync(): Promise<void> {
    if (this.#file === undefined || !this.#unsynced) return;
    this.#unsynced = false;
    await this.#file.sync();
  }

  /** Writes what is pending, fsyncs, then drops the in-memory entries and the handle. */
  async seal(): Promise<void> {
    await this.writePending();
    await this.sync();
    this.#memory = undefined;
    await this.#close();
  }

  async close(): Promise<void> {
    await this.#close();
  }

  forget(): void {
    this.#cache.delete(this.#path);
  }

  async #close(): Promise<void> {
    const file = this.#file;
    this.#file = undefined;
    await file?.close();
  }
}

/** Index of the last entry whose key is <= `key`, or -1; `keyAt` reads the key of entry i. */
export function floorEntry(count: number, keyAt: (i: number) => number, key: number): number {
  let low = 0;
  let high = count - 1;
  let found = -1;
  // Binary search: at most log2(count) + 1 iterations.
  while (low <= high) {
    const mid = (low + high) >>> 1;
    if (keyAt(mid) <= key) {
      found = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return found;
}
