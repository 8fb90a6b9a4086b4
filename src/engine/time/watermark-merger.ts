// The watermark of an operator with several inputs: the minimum over its inputs that are not
// idle. Ended inputs count as +Infinity. It never moves backwards, even when an idle input
// comes back with an older watermark (its older records are then late, as they would be anyway).

export class WatermarkMerger {
  readonly #watermarks: number[];
  readonly #idle: boolean[];
  #current = Number.NEGATIVE_INFINITY;

  constructor(inputCount: number) {
    if (!(inputCount >= 1)) throw new RangeError(`Cannot merge watermarks of ${inputCount} inputs`);
    this.#watermarks = new Array<number>(inputCount).fill(Number.NEGATIVE_INFINITY);
    this.#idle = new Array<boolean>(inputCount).fill(false);
  }

  get current(): number {
    return this.#current;
  }

  /** True when every input is idle (and not ended): the merged stream is idle too. */
  allIdle(): boolean {
    for (let i = 0; i < this.#idle.length; i++) {
      if (!this.#idle[i] && this.#watermarks[i] !== Number.POSITIVE_INFINITY) return false;
    }
    return this.#watermarks.some((w) => w !== Number.POSITIVE_INFINITY);
  }

  /** Sets input `input`'s watermark (and marks it active); returns the merged watermark. */
  update(input: number, watermarkMs: number): number {
    this.#check(input);
    this.#idle[input] = false;
    if (watermarkMs > this.#watermarks[input]!) this.#watermarks[input] = watermarkMs;
    return this.#recompute();
  }

  setIdle(input: number, idle: boolean): number {
    this.#check(input);
    this.#idle[input] = idle;
    return this.#recompute();
  }

  #recompute(): number {
    let min = Number.POSITIVE_INFINITY;
    let active = 0;
    for (let i = 0; i < this.#watermarks.length; i++) {
      if (this.#idle[i]) continue;
      active++;
      const w = this.#watermarks[i]!;
      if (w < min) min = w;
    }
    if (active > 0 && min > this.#current) this.#current = min;
    return this.#current;
  }

  #check(input: number): void {
    if (!(input >= 0 && input < this.#watermarks.length)) {
      throw new RangeError(`Watermark input ${input} is out of range 0..${this.#watermarks.length - 1}`);
    }
  }

  snapshot(): { watermarks: number[]; current: number } {
    return { watermarks: [...this.#watermarks], current: this.#current };
  }

  restore(state: { watermarks: number[]; current: number }): void {
    for (let i = 0; i < this.#watermarks.length; i++)
      this.#watermarks[i] = state.watermarks[i] ?? Number.NEGATIVE_INFINITY;
    this.#current = state.current;
  }
}
