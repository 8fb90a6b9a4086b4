// A clock whose sleep returns at once after moving virtual time forward, recording how long
// each sleep was: rate limits and backoff become exact, instant assertions.
import type { Clock } from '../clock.ts';

export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  #nowMs: number;

  constructor(startMs = 1_700_000_000_000) {
    this.#nowMs = startMs;
  }

  now(): number {
    return this.#nowMs;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    this.sleeps.push(ms);
    this.#nowMs += ms;
    // Yield to I/O so a loop of sleeps never starves the HTTP server under test.
    await new Promise((resolve) => setImmediate(resolve));
    if (signal?.aborted) throw signal.reason;
  }
}
