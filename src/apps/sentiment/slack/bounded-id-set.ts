// A set of ids that forgets its oldest entries past a bound: enough to recognise the retries and
// replays that arrive soon after the original, without growing for the life of the process.

export class BoundedIdSet {
  readonly #ids = new Set<string>();
  readonly #max: number;

  constructor(max: number, initial: Iterable<string> = []) {
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`Cannot create a BoundedIdSet: max must be a positive integer, got ${max}`);
    this.#max = max;
    for (const id of initial) this.add(id);
  }

  has(id: string): boolean {
    return this.#ids.has(id);
  }

  add(id: string): void {
    // Re-adding moves the id to the newest end, so ids still being seen are kept longest.
    this.#ids.delete(id);
    this.#ids.add(id);
    while (this.#ids.size > this.#max) {
      const oldest = this.#ids.values().next();
      if (oldest.done === true) break;
      this.#ids.delete(oldest.value);
    }
  }

  delete(id: string): void {
    this.#ids.delete(id);
  }

  get size(): number {
    return this.#ids.size;
  }

  /** Oldest first. */
  values(): string[] {
    return [...this.#ids];
  }
}
