import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reconnectDelayMs } from './reconnect-backoff.ts';

describe('reconnectDelayMs', () => {
  it('backs off linearly by 250 ms for network errors, up to 16 s', () => {
    assert.deepEqual(
      [1, 2, 3, 4].map((n) => reconnectDelayMs('network', n)),
      [250, 500, 750, 1000],
    );
    assert.equal(reconnectDelayMs('network', 64), 16_000);
    assert.equal(reconnectDelayMs('network', 1000), 16_000);
  });

  it('backs off exponentially from 5 s for HTTP errors, up to 320 s', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7, 8].map((n) => reconnectDelayMs('http', n)),
      [5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 320_000],
    );
  });

  it('backs off exponentially from a minute for 429, with a cap, even after many attempts', () => {
    assert.deepEqual(
      [1, 2, 3].map((n) => reconnectDelayMs('rate-limit', n)),
      [60_000, 120_000, 240_000],
    );
    assert.equal(reconnectDelayMs('rate-limit', 10_000), 15 * 60_000);
  });

  it('refuses an attempt number below 1', () => {
    assert.throws(() => reconnectDelayMs('http', 0), /attempt must be an integer >= 1, got 0/);
  });
});
