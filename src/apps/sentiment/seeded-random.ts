// A small seeded pseudo-random generator (mulberry32): the same seed gives the same sequence on
// every machine, which is what makes generated feeds and their ground truth reproducible.
export class SeededRandom {
  #state: number;

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed))
      throw new RangeError(`A random seed must be a safe integer, got ${seed}`);
    // Fold the high bits in so seeds above 2^32 still differ.
    this.#state = (seed ^ Math.floor(seed / 0x1_0000_0000)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  }

  /** Uniform integer in [0, n). */
  below(n: number): number {
    if (!(Number.isSafeInteger(n) && n > 0))
      throw new RangeError(`below() needs a positive integer, got ${n}`);
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.below(items.length)];
    if (item === undefined) throw new RangeError('Cannot pick from an empty list');
    return item;
  }
}
