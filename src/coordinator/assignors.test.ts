import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Assignment, assignmentFromList, assignmentSize, assignmentToList } from './assignment.ts';
import type { AssignorMember } from './assignor.ts';
import { rangeAssignor } from './range-assignor.ts';
import { uniformAssignor } from './uniform-assignor.ts';

function member(memberId: string, topics: string[], previous: Assignment = new Map()): AssignorMember {
  return { memberId, instanceId: null, rackId: null, subscribedTopicIds: new Set(topics), previous };
}

function allAssigned(result: Map<string, Assignment>): string[] {
  const out: string[] = [];
  for (const a of result.values())
    for (const { topicId, partitions } of assignmentToList(a))
      for (const p of partitions) out.push(`${topicId}-${p}`);
  return out.sort();
}

test('range splits each topic into contiguous ranges, the first members taking the extra partitions', () => {
  const result = rangeAssignor.assign({
    members: [member('b', ['t']), member('a', ['t'])],
    topicPartitions: new Map([['t', 5]]),
  });
  assert.deepEqual(assignmentToList(result.get('a') as Assignment), [
    { topicId: 't', partitions: [0, 1, 2] },
  ]);
  assert.deepEqual(assignmentToList(result.get('b') as Assignment), [{ topicId: 't', partitions: [3, 4] }]);
});

test('uniform assigns every partition exactly once and balances to within one', () => {
  const result = uniformAssignor.assign({
    members: [member('a', ['t', 'u']), member('b', ['t', 'u']), member('c', ['t', 'u'])],
    topicPartitions: new Map([
      ['t', 6],
      ['u', 1],
    ]),
  });
  const all = allAssigned(result);
  assert.equal(all.length, 7);
  assert.equal(new Set(all).size, 7);
  const sizes = [...result.values()].map(assignmentSize).sort();
  assert.deepEqual(sizes, [2, 2, 3]);
});

test('uniform keeps partitions with their previous owners when a member joins', () => {
  const first = uniformAssignor.assign({
    members: [member('a', ['t']), member('b', ['t'])],
    topicPartitions: new Map([['t', 6]]),
  });
  const second = uniformAssignor.assign({
    members: [member('a', ['t'], first.get('a')), member('b', ['t'], first.get('b')), member('c', ['t'])],
    topicPartitions: new Map([['t', 6]]),
  });
  for (const id of ['a', 'b']) {
    const before = first.get(id) as Assignment;
    const after = second.get(id) as Assignment;
    assert.equal(assignmentSize(after), 2);
    for (const p of after.get('t') ?? []) assert.ok(before.get('t')?.has(p), `${id} kept partition ${p}`);
  }
  assert.equal(assignmentSize(second.get('c') as Assignment), 2);
});

test('uniform respects heterogeneous subscriptions and still balances what it can', () => {
  const result = uniformAssignor.assign({
    members: [member('a', ['t']), member('b', ['t', 'u']), member('c', ['u'])],
    topicPartitions: new Map([
      ['t', 4],
      ['u', 2],
    ]),
  });
  assert.equal(allAssigned(result).length, 6);
  for (const { topicId } of assignmentToList(result.get('a') as Assignment)) assert.equal(topicId, 't');
  for (const { topicId } of assignmentToList(result.get('c') as Assignment)) assert.equal(topicId, 'u');
  const sizes = [...result.values()].map(assignmentSize);
  assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `sizes ${sizes}`);
  assert.deepEqual(assignmentFromList([{ topicId: 'x', partitions: [] }]).size, 0);
});
