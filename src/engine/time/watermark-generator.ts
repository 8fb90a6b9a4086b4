// Watermarks of one source partition: the largest event time seen minus the allowed
// out-of-orderness. Watermark W promises that no more records with timestamp <= W will come;
// a record at exactly maxSeen - outOfOrdernessMs is still on time.

export interface WatermarkOptions {
  /** How far behind the newest record an on-time record may be. */
  readonly outOfOrdernessMs: number;
  /**
   * After this long (processing time) without records, the partition is idle and stops holding
   * back the watermark of the operators downstream. Infinity: never idle.
   */
  readonly idleTimeoutMs: number;
}

export class WatermarkGenerator {
  readonly #outOfOrdernessMs: number;
  readonly #idleTimeoutMs: number;
  #maxTimestampMs = Number.NEGATIVE_INFINITY;
  #lastRecordAtMs: number;

  constructor(options: WatermarkOptions, nowMs: number) {
    if (!(options.outOfOrdernessMs >= 0)) {
      throw new RangeError(
        `Cannot create watermarks: outOfOrdernessMs must be >= 0, got ${options.outOfOrdernessMs}`,
      );
    }
    if (!(options.idleTimeoutMs > 0)) {
      throw new RangeError(
        `Cannot create watermarks: idleTimeoutMs must be > 0, got ${options.idleTimeoutMs}`,
      );
    }
    this.#outOfOrdernessMs = options.outOfOrdernessMs;
    this.#idleTimeoutMs = options.idleTimeoutMs;
    this.#lastRecordAtMs = nowMs;
  }

  /** Records a batch whose largest event time is `maxTimestampMs`, read at `nowMs`. */
  observe(maxTimestampMs: number, nowMs: number): void {
    if (maxTimestampMs > this.#maxTimestampMs) this.#maxTimestampMs = maxTimestampMs;
    this.#lastRecordAtMs = nowMs;
  }

  current(): number {
    return this.#maxTimestampMs - this.#outOfOrdernessMs - 1;
  }

  isIdle(nowMs: number): boolean {
    return nowMs - this.#lastRecordAtMs >= this.#idleTimeoutMs;
  }

  /** When the partition turns idle if nothing arrives (for the runtime's wait). */
  idleAtMs(): number {
    return this.#lastRecordAtMs + this.#idleTimeoutMs;
  }

  snapshot(): { maxTimestampMs: number } {
    return { maxTimestampMs: this.#maxTimestampMs };
  }

  restore(state: { maxTimestampMs: number }, nowMs: number): void {
    this.#maxTimestampMs = state.maxTimestampMs;
    this.#lastRecordAtMs = nowMs;
  }
}
