// A token bucket per exchange: `take()` resolves when a request may start, in call order.
// `pauseUntil()` holds every request back after a 429/5xx (the exchange-wide backoff).
import type { Clock } from './clock.ts';

export class RateLimiter {
  readonly #clock: Clock;
  readonly #intervalMs: number;
  readonly #burst: number;
  #tokens: number;
  #refilledAt: number;
  #pausedUntil = 0;
  /** The previous take(); each waits for it, so waiters are served in order. Waiters are bounded
   * by the caller (one per market at most). */
  #tail: Promise<void> = Promise.resolve();

  constructor(requestsPerSecond: number, burst: number, clock: Clock) {
    if (!(requestsPerSecond > 0) || !Number.isFinite(requestsPerSecond)) {
      throw new RangeError(
        `Cannot create rate limiter: requestsPerSecond must be > 0, got ${requestsPerSecond}`,
      );
    }
    if (!Number.isInteger(burst) || burst < 1) {
      throw new RangeError(`Cannot create rate limiter: burst must be an integer >= 1, got ${burst}`);
    }
    this.#clock = clock;
    this.#intervalMs = 1000 / requestsPerSecond;
    this.#burst = burst;
    this.#tokens = burst;
    this.#refilledAt = clock.now();
  }

  pauseUntil(atMs: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, atMs);
  }

  take(signal?: AbortSignal): Promise<void> {
    const turn = this.#tail.then(() => this.#wait(signal));
    // A failed (aborted) turn must not block the next one.
    this.#tail = turn.catch(() => undefined);
    return turn;
  }

  async #wait(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.#clock.now();
      this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#refilledAt) / this.#intervalMs);
      this.#refilledAt = now;
      const waitMs = Math.max(
        this.#pausedUntil - now,
        this.#tokens >= 1 ? 0 : (1 - this.#tokens) * this.#intervalMs,
      );
      if (waitMs <= 0) {
        this.#tokens -= 1;
        return;
      }
      await this.#clock.sleep(Math.ceil(waitMs), signal);
    }
  }
}
