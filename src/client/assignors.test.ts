import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type AssignorMember, rangeAssignor, roundRobinAssignor } from './assignors.ts';

const member = (
  memberId: string,
  topics: string[],
  groupInstanceId: string | null = null,
): AssignorMember => ({
  memberId,
  groupInstanceId,
  topics,
});

function flat(result: Map<string, { topic: string; partitions: number[] }[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [m, tps] of result) out[m] = tps.flatMap((t) => t.partitions.map((p) => `${t.topic}-${p}`));
  return out;
}

describe('rangeAssignor', () => {
  it('gives each member a consecutive range per topic, extra partitions to the first members', () => {
    const result = rangeAssignor.assign(
      [member('c', ['t']), member('a', ['t']), member('b', ['t'])],
      new Map([['t', 7]]),
    );
    assert.deepEqual(flat(result), {
      c: ['t-5', 't-6'],
      a: ['t-0', 't-1', 't-2'],
      b: ['t-3', 't-4'],
    });
  });

  it('assigns each topic separately, as Java does (so two topics of 3 on 2 members give 4 and 2)', () => {
    const result = rangeAssignor.assign(
      [member('a', ['x', 'y']), member('b', ['x', 'y'])],
      new Map([
        ['x', 3],
        ['y', 3],
      ]),
    );
    assert.deepEqual(flat(result), { a: ['x-0', 'x-1', 'y-0', 'y-1'], b: ['x-2', 'y-2'] });
  });

  it('orders static members by instance id, ahead of dynamic members', () => {
    const result = rangeAssignor.assign(
      [member('m1', ['t']), member('m2', ['t'], 'z'), member('m3', ['t'], 'a')],
      new Map([['t', 3]]),
    );
    assert.deepEqual(flat(result), { m1: ['t-2'], m2: ['t-1'], m3: ['t-0'] });
  });

  it('gives a member of a topic nobody else reads all of it, and others none of it', () => {
    const result = rangeAssignor.assign(
      [member('a', ['x']), member('b', ['y'])],
      new Map([
        ['x', 2],
        ['y', 1],
      ]),
    );
    assert.deepEqual(flat(result), { a: ['x-0', 'x-1'], b: ['y-0'] });
  });
});

describe('roundRobinAssignor', () => {
  it('deals partitions of all topics in turn over the sorted members', () => {
    const result = roundRobinAssignor.assign(
      [member('b', ['x', 'y']), member('a', ['x', 'y'])],
      new Map([
        ['x', 3],
        ['y', 3],
      ]),
    );
    assert.deepEqual(flat(result), { b: ['x-1', 'y-0', 'y-2'], a: ['x-0', 'x-2', 'y-1'] });
  });

  it("skips members not subscribed to a partition's topic", () => {
    const result = roundRobinAssignor.assign(
      [member('a', ['x']), member('b', ['x', 'y'])],
      new Map([
        ['x', 2],
        ['y', 2],
      ]),
    );
    assert.deepEqual(flat(result), { a: ['x-0'], b: ['x-1', 'y-0', 'y-1'] });
  });

  it('shares 6 partitions among 3 members two each', () => {
    const result = roundRobinAssignor.assign(
      [member('a', ['t']), member('b', ['t']), member('c', ['t'])],
      new Map([['t', 6]]),
    );
    for (const tps of result.values()) assert.equal(tps[0]?.partitions.length, 2);
  });
});
