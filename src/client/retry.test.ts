import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode } from '../protocol/error-codes.ts';
import { ClientStateError, KafkaError } from './errors.ts';
import { backoffMs, withRetries } from './retry.ts';

describe('backoffMs()', () => {
  it('doubles from the initial wait and stops at the maximum', () => {
    const mid = () => 0.5;
    const waits = [0, 1, 2, 3, 4, 10].map((a) => backoffMs(a, { initialMs: 100, maxMs: 1000, random: mid }));
    assert.deepEqual(waits, [100, 200, 400, 800, 1000, 1000]);
  });

  it('spreads each wait by at most 20% either way and never past the maximum', () => {
    assert.equal(backoffMs(0, { initialMs: 100, maxMs: 1000, random: () => 0 }), 80);
    assert.equal(backoffMs(0, { initialMs: 100, maxMs: 1000, random: () => 0.999999 }), 120);
    assert.equal(backoffMs(9, { initialMs: 100, maxMs: 1000, random: () => 0.999999 }), 1000);
  });
});

describe('withRetries()', () => {
  const noWait = async () => {};

  it('retries a retriable broker error and returns the first success', async () => {
    const seen: number[] = [];
    const result = await withRetries(
      async (attempt) => {
        seen.push(attempt);
        if (attempt < 2) throw new KafkaError("produce to 'a'-0", ErrorCode.notLeaderOrFollower);
        return 'ok';
      },
      { wait: noWait },
    );
    assert.equal(result, 'ok');
    assert.deepEqual(seen, [0, 1, 2]);
  });

  it('gives up at once on an error that is not retriable', async () => {
    let calls = 0;
    await assert.rejects(
      withRetries(
        async () => {
          calls++;
          throw new KafkaError("create topic 'a'", ErrorCode.topicAlreadyExists);
        },
        { wait: noWait },
      ),
      /topicAlreadyExists \(36\)/,
    );
    assert.equal(calls, 1);
  });

  it('stops after attemptsMax and says how many attempts failed', async () => {
    let calls = 0;
    await assert.rejects(
      withRetries(
        async () => {
          calls++;
          throw new KafkaError("produce to 'orders'-3", ErrorCode.notLeaderOrFollower);
        },
        { attemptsMax: 5, wait: noWait },
      ),
      /Cannot produce to 'orders'-3: notLeaderOrFollower \(6\) after 5 attempts/,
    );
    assert.equal(calls, 5);
  });

  it('calls onRetry before each wait with the error', async () => {
    const errors: string[] = [];
    await assert.rejects(
      withRetries(
        async () => {
          throw new KafkaError('find coordinator', ErrorCode.coordinatorNotAvailable);
        },
        { attemptsMax: 3, wait: noWait, onRetry: (e) => void errors.push((e as Error).name) },
      ),
    );
    assert.deepEqual(errors, ['KafkaError', 'KafkaError']);
  });

  it('does not retry a misuse of the API', async () => {
    let calls = 0;
    await assert.rejects(
      withRetries(async () => {
        calls++;
        throw new ClientStateError('Cannot commit: no transaction is open');
      }),
    );
    assert.equal(calls, 1);
  });
});
