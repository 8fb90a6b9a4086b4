import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemberState } from './driver.ts';
import { coverage } from './group-scenario.ts';

function took(member: MemberState, partition: number, offsets: readonly number[]): void {
  member.took(offsets.map((o) => ({ partition, offset: BigInt(o) })));
}

describe('coverage()', () => {
  it('holds once the members together consumed every offset of every range, and not before', () => {
    const a = new MemberState('a');
    const b = new MemberState('b');
    const covered = coverage([a, b], [0n, 2n], [2n, 4n]);
    took(a, 0, [0, 1]);
    assert.equal(covered(), false);
    took(b, 1, [2]);
    assert.equal(covered(), false);
    took(b, 1, [3]);
    assert.equal(covered(), true);
  });

  it('counts an offset delivered twice (again after a rebalance, or to two members) once', () => {
    const a = new MemberState('a');
    const b = new MemberState('b');
    const covered = coverage([a, b], [0n], [3n]);
    took(a, 0, [0, 1]);
    took(b, 0, [1]);
    took(a, 0, [1]);
    assert.equal(covered(), false);
    took(b, 0, [2]);
    assert.equal(covered(), true);
  });

  it('ignores offsets outside the ranges and partitions that are not asked for', () => {
    const a = new MemberState('a');
    const covered = coverage([a], [5n, 0n], [7n, 0n]);
    took(a, 0, [3, 4, 7, 8]);
    took(a, 1, [0, 1]);
    took(a, 2, [5, 6]);
    assert.equal(covered(), false);
    took(a, 0, [5, 6]);
    assert.equal(covered(), true);
  });

  it('counts records a member consumed before the check was created', () => {
    const a = new MemberState('a');
    took(a, 0, [0, 1]);
    assert.equal(coverage([a], [0n], [2n])(), true);
  });
});
