// The last `capacity` items of a feed (spikes, alerts, scored messages), newest last, each kept
// once by its key: a replayed record (a follower reopened, a job's output read again) does not
// show twice. The key set always holds exactly the keys of the items in the ring.
export class KeyedRing<T> {
  readonly capacity: number;
  readonly #keyOf: (item: T) => string;
  readonly #items: T[] = [];
  readonly #keys = new Set<string>();

  constructor(capacity: number, keyOf: (item: T) => string) {
    if (!Number.isSafeInteger(capacity) || capacity < 1)
      throw new Error(`Cannot create a keyed ring: capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.#keyOf = keyOf;
  }

  get length(): number {
    return this.#items.length;
  }

  /** Adds the item unless its key is already held; false when it was a repeat. */
  add(item: T): boolean {
    const key = this.#keyOf(item);
    if (this.#keys.has(key)) return false;
    this.#items.push(item);
    this.#keys.add(key);
    if (this.#items.length > this.capacity) {
      const dropped = this.#items.shift() as T;
      this.#keys.delete(this.#keyOf(dropped));
    }
    return true;
  }

  /** Up to `limit` items, newest first, that pass `filter`. */
  newest(limit: number, filter: (item: T) => boolean = () => true): T[] {
    const out: T[] = [];
    for (let i = this.#items.length - 1; i >= 0 && out.length < limit; i--) {
      const item = this.#items[i] as T;
      if (filter(item)) out.push(item);
    }
    return out;
  }
}
