// Runs a partition's mutations one at a time, in arrival order: the queue is the single owner of
// the partition's mutable state, so a check and the use of what it checked never straddle another
// mutation. Depth is bounded; a full queue refuses work instead of buffering without limit.

export class SerialQueue {
  readonly #depthMax: number;
  #tail: Promise<unknown> = Promise.resolve();
  #depth = 0;

  constructor(depthMax: number) {
    this.#depthMax = depthMax;
  }

  get depth(): number {
    return this.#depth;
  }

  get isFull(): boolean {
    return this.#depth >= this.#depthMax;
  }

  /** Runs `task` after every task queued before it; the caller checks isFull first. */
  run<T>(task: () => Promise<T>): Promise<T> {
    if (this.isFull) throw new Error(`SerialQueue over its depth limit ${this.#depthMax}`);
    this.#depth++;
    const result = this.#tail.then(task);
    this.#tail = result.then(
      () => this.#depth--,
      () => this.#depth--,
    );
    return result;
  }
}
