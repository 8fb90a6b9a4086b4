import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRetryAfterMs } from './http-get.ts';
import { RateLimiter } from './rate-limiter.ts';
import { FakeClock } from './testing/fake-clock.ts';

describe('RateLimiter', () => {
  /** When each of `n` back-to-back takes got through, in ms after the first could start. */
  async function startTimes(requestsPerSecond: number, burst: number, n: number): Promise<number[]> {
    const clock = new FakeClock();
    const start = clock.now();
    const limiter = new RateLimiter(requestsPerSecond, burst, clock);
    const startedAt: number[] = [];
    for (let i = 0; i < n; i++) {
      await limiter.take();
      startedAt.push(clock.now() - start);
    }
    return startedAt;
  }

  it('spaces requests at the rate after the burst', async () => {
    assert.deepEqual(await startTimes(2, 1, 5), [0, 500, 1000, 1500, 2000]);
  });

  it('lets a burst through at once, then refills', async () => {
    assert.deepEqual(await startTimes(10, 3, 5), [0, 0, 0, 100, 200]);
  });

  it('serves concurrent callers in order, one interval apart', async () => {
    const clock = new FakeClock();
    const start = clock.now();
    const limiter = new RateLimiter(4, 1, clock);
    const order: [number, number][] = [];
    await Promise.all(
      [0, 1, 2, 3].map((i) => limiter.take().then(() => order.push([i, clock.now() - start]))),
    );
    assert.deepEqual(order, [
      [0, 0],
      [1, 250],
      [2, 500],
      [3, 750],
    ]);
  });

  it('holds every request until a pause ends', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(100, 5, clock);
    limiter.pauseUntil(clock.now() + 7_000);
    await limiter.take();
    assert.deepEqual(clock.sleeps, [7_000]);
  });

  it('refuses a rate that is not positive', () => {
    assert.throws(() => new RateLimiter(0, 1, new FakeClock()), /requestsPerSecond must be > 0, got 0/);
  });
});

describe('parseRetryAfterMs()', () => {
  const now = Date.UTC(2024, 0, 1);
  it('reads seconds and HTTP dates, ignores garbage, clips absurd values', () => {
    assert.equal(parseRetryAfterMs('7', now), 7_000);
    assert.equal(parseRetryAfterMs(new Date(now + 3_000).toUTCString(), now), 3_000);
    assert.equal(parseRetryAfterMs('soon', now), null);
    assert.equal(parseRetryAfterMs(null, now), null);
    assert.equal(parseRetryAfterMs('86400', now), 300_000);
  });
});
