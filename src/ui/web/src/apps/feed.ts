// A bounded list of the newest items first (the alerts feeds): adding past `max` drops the oldest.
export class Feed<T> {
  readonly #items: T[] = [];
  readonly #keys = new Set<string>();
  readonly #max: number;
  readonly #keyOf: (item: T) => string;

  constructor(max: number, keyOf: (item: T) => string) {
    this.#max = max;
    this.#keyOf = keyOf;
  }

  get items(): readonly T[] {
    return this.#items;
  }

  /** Items oldest first; the feed shows them newest first. Repeats are ignored. */
  addAll(items: readonly T[]): void {
    for (const item of items) this.add(item);
  }

  add(item: T): boolean {
    const key = this.#keyOf(item);
    if (this.#keys.has(key)) return false;
    this.#keys.add(key);
    this.#items.unshift(item);
    const dropped = this.#items.length > this.#max ? this.#items.pop() : undefined;
    if (dropped !== undefined) this.#keys.delete(this.#keyOf(dropped));
    return true;
  }
}
