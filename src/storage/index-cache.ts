// Sealed segments' index files, read whole on first lookup and kept while they fit in a byte
// budget; the least recently used is evicted. Active segments keep their own entries instead.
import { storageLimits } from '../limits.ts';

export class IndexCache {
  readonly #bytesMax: number;
  /** Map order is recency: the first key is the least recently used. */
  readonly #entries = new Map<string, Buffer>();
  #bytes = 0;

  constructor(bytesMax: number = storageLimits.indexCacheBytesMax) {
    this.#bytesMax = bytesMax;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get(path: string): Buffer | undefined {
    const value = this.#entries.get(path);
    if (value === undefined) return undefined;
    this.#entries.delete(path);
    this.#entries.set(path, value);
    return value;
  }

  set(path: string, value: Buffer): void {
    this.delete(path);
    if (value.length > this.#bytesMax) return;
    this.#entries.set(path, value);
    this.#bytes += value.length;
    // Bounded by the number of entries: each iteration removes one.
    for (const [oldPath, old] of this.#entries) {
      if (this.#bytes <= this.#bytesMax) break;
      this.#entries.delete(oldPath);
      this.#bytes -= old.length;
    }
  }

  delete(path: string): void {
    const old = this.#entries.get(path);
    if (old === undefined) return;
    this.#entries.delete(path);
    this.#bytes -= old.length;
  }
}
