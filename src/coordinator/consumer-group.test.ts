import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode } from '../protocol/error-codes.ts';
import type { TopicPartitionsList } from './assignment.ts';
import type { ConsumerHeartbeatRequest, ConsumerHeartbeatResult } from './consumer-group.ts';
import { heartbeatRequest as hb, joinRequest, openFixture } from './coordinator-fixture.ts';

/** The next heartbeat of a member that owns exactly what it was last given. */
function next(
  memberId: string,
  previous: ConsumerHeartbeatResult,
  owned: TopicPartitionsList[],
): ConsumerHeartbeatRequest {
  return hb({
    memberId,
    memberEpoch: previous.memberEpoch,
    rebalanceTimeoutMs: -1,
    subscribedTopicNames: null,
    ownedTopicPartitions: owned,
  });
}

function partitions(list: TopicPartitionsList[] | null | undefined): number[] {
  return (list ?? []).flatMap((t) => t.partitions).sort((a, b) => a - b);
}

test('the first member of a consumer group is given every partition at epoch 1', async () => {
  const f = await openFixture();
  const t = f.topics.put('t', 6);
  const r = f.coordinator.consumerGroupHeartbeat('g', hb({ memberId: 'a' }), 1);
  assert.equal(r.errorCode, ErrorCode.none);
  assert.equal(r.memberEpoch, 1);
  assert.equal(r.heartbeatIntervalMs, 1_000);
  assert.deepEqual(r.assignment, [{ topicId: t.id, partitions: [0, 1, 2, 3, 4, 5] }]);
  const described = f.coordinator.consumerGroupDescribe(['g'])[0];
  assert.equal(described?.groupState, 'Stable');
  assert.equal(described?.assignorName, 'uniform');
  await f.coordinator.close();
});

test('a second member gets partitions only after the first has revoked them', async () => {
  const f = await openFixture();
  const t = f.topics.put('t', 6);
  const c = f.coordinator;
  const a1 = c.consumerGroupHeartbeat('g', hb({ memberId: 'a' }), 1);
  const b1 = c.consumerGroupHeartbeat('g', hb({ memberId: 'b' }), 1);
  assert.equal(b1.memberEpoch, 2);
  assert.deepEqual(b1.assignment, [], 'everything is still owned by a');
  assert.equal(c.consumerGroupDescribe(['g'])[0]?.groupState, 'Reconciling');

  const a2 = c.consumerGroupHeartbeat('g', next('a', a1, a1.assignment ?? []), 1);
  assert.equal(a2.memberEpoch, 1, 'a stays at its epoch until it has revoked');
  assert.equal(partitions(a2.assignment).length, 3);
  // b asks again: the partitions a must give up are not released yet.
  const b2 = c.consumerGroupHeartbeat('g', next('b', b1, []), 1);
  assert.equal(b2.assignment, null);

  const a3 = c.consumerGroupHeartbeat('g', next('a', a2, a2.assignment ?? []), 1);
  assert.equal(a3.memberEpoch, 2);
  const b3 = c.consumerGroupHeartbeat('g', next('b', b2, []), 1);
  assert.equal(b3.memberEpoch, 2);
  const all = [...partitions(a2.assignment), ...partitions(b3.assignment)].sort();
  assert.deepEqual(all, [0, 1, 2, 3, 4, 5]);
  assert.equal(b3.assignment?.[0]?.topicId, t.id);
  assert.equal(c.consumerGroupDescribe(['g'])[0]?.groupState, 'Stable');
  await c.close();
});

test('heartbeats with a wrong epoch are fenced and unknown members are rejected', async () => {
  const f = await openFixture();
  f.topics.put('t', 2);
  const c = f.coordinator;
  const a1 = c.consumerGroupHeartbeat('g', hb({ memberId: 'a' }), 1);
  assert.equal(
    c.consumerGroupHeartbeat('g', { ...next('a', a1, []), memberEpoch: 7 }, 1).errorCode,
    ErrorCode.fencedMemberEpoch,
  );
  assert.equal(
    c.consumerGroupHeartbeat('g', { ...next('x', a1, []) }, 1).errorCode,
    ErrorCode.unknownMemberId,
  );
  assert.equal(
    c.consumerGroupHeartbeat('nope', { ...next('a', a1, []) }, 1).errorCode,
    ErrorCode.unknownMemberId,
  );
  // The previous epoch is accepted when the member owns no more than it is assigned.
  c.consumerGroupHeartbeat('g', hb({ memberId: 'b' }), 1);
  const a2 = c.consumerGroupHeartbeat('g', next('a', a1, a1.assignment ?? []), 1);
  const a3 = c.consumerGroupHeartbeat('g', next('a', a2, a2.assignment ?? []), 1);
  assert.equal(a3.memberEpoch, 2);
  const late = c.consumerGroupHeartbeat('g', { ...next('a', a1, a2.assignment ?? []), memberEpoch: 1 }, 1);
  assert.equal(late.errorCode, ErrorCode.none);
  await c.close();
});

test('invalid ConsumerGroupHeartbeat requests are refused before touching the group', async () => {
  const f = await openFixture();
  const c = f.coordinator;
  assert.equal(c.consumerGroupHeartbeat('', hb({}), 1).errorCode, ErrorCode.invalidRequest);
  assert.equal(c.consumerGroupHeartbeat('g', hb({ memberId: '' }), 1).errorCode, ErrorCode.invalidRequest);
  assert.equal(
    c.consumerGroupHeartbeat('g', hb({ memberId: '' }), 0).errorCode,
    ErrorCode.none,
    'v0 lets the coordinator pick the id',
  );
  assert.equal(
    c.consumerGroupHeartbeat('g', hb({ rebalanceTimeoutMs: -1 }), 1).errorCode,
    ErrorCode.invalidRequest,
  );
  assert.equal(
    c.consumerGroupHeartbeat('g', hb({ subscribedTopicNames: null }), 1).errorCode,
    ErrorCode.invalidRequest,
  );
  assert.equal(
    c.consumerGroupHeartbeat('g', hb({ serverAssignor: 'sticky' }), 1).errorCode,
    ErrorCode.unsupportedAssignor,
  );
  assert.equal(
    c.consumerGroupHeartbeat('g', hb({ subscribedTopicRegex: '(' }), 1).errorCode,
    ErrorCode.invalidRequest,
  );
  assert.equal(c.consumerGroupHeartbeat('g', hb({ memberEpoch: -2 }), 1).errorCode, ErrorCode.invalidRequest);
  await c.close();
});

test('a member leaving with epoch -1 frees its partitions for the others', async () => {
  const f = await openFixture();
  f.topics.put('t', 4);
  const c = f.coordinator;
  const a1 = c.consumerGroupHeartbeat('g', hb({ memberId: 'a' }), 1);
  const b1 = c.consumerGroupHeartbeat('g', hb({ memberId: 'b' }), 1);
  const a2 = c.consumerGroupHeartbeat('g', next('a', a1, a1.assignment ?? []), 1);
  const a3 = c.consumerGroupHeartbeat('g', next('a', a2, a2.assignment ?? []), 1);
  const b2 = c.consumerGroupHeartbeat('g', next('b', b1, []), 1);
  assert.equal(partitions(b2.assignment).length, 2);
  const left = c.consumerGroupHeartbeat('g', { ...next('a', a3, []), memberEpoch: -1 }, 1);
  assert.equal(left.memberEpoch, -1);
  const b3 = c.consumerGroupHeartbeat('g', next('b', b2, b2.assignment ?? []), 1);
  assert.deepEqual(partitions(b3.assignment), [0, 1, 2, 3]);
  assert.equal(b3.memberEpoch, 3, 'epochs: a joined 1, b joined 2, a left 3');
  await c.close();
});

test('a member that stops heartbeating is fenced after the session timeout', async () => {
  const f = await openFixture();
  f.topics.put('t', 2);
  const c = f.coordinator;
  c.consumerGroupHeartbeat('g', hb({ memberId: 'a' }), 1);
  let b = c.consumerGroupHeartbeat('g', hb({ memberId: 'b' }), 1);
  let owned = b.assignment ?? [];
  for (let i = 0; i < 11; i++) {
    await f.advance(1_000);
    b = c.consumerGroupHeartbeat('g', next('b', b, owned), 1);
    owned = b.assignment ?? owned;
  }
  assert.deepEqual(partitions(owned), [0, 1], 'a was silent for 11 s: b owns everything');
  assert.equal(c.consumerGroupDescribe(['g'])[0]?.members.length, 1);
  await c.close();
});

test('a member that does not revoke within its rebalance timeout is fenced', async () => {
  const f = await openFixture();
  f.topics.put('t', 2);
  const c = f.coordinator;
  const a1 = c.consumerGroupHeartbeat('g', hb({ memberId: 'a', rebalanceTimeoutMs: 3_000 }), 1);
  let b = c.consumerGroupHeartbeat('g', hb({ memberId: 'b' }), 1);
  // a keeps heartbeating but keeps claiming both partitions.
  let a = c.consumerGroupHeartbeat('g', next('a', a1, a1.assignment ?? []), 1);
  for (let i = 0; i < 4 && a.errorCode === ErrorCode.none; i++) {
    await f.advance(1_000);
    a = c.consumerGroupHeartbeat('g', next('a', a, a1.assignment ?? []), 1);
    b = c.consumerGroupHeartbeat('g', next('b', b, []), 1);
  }
  assert.equal(a.errorCode, ErrorCode.unknownMemberId);
  assert.deepEqual(partitions(b.assignment), [0, 1]);
  await c.close();
});

test('a static member that leaves with -2 and rejoins keeps its partitions without a new epoch', async () => {
  const f = await openFixture();
  f.topics.put('t', 2);
  const c = f.coordinator;
  const a1 = c.consumerGroupHeartbeat('g', hb({ memberId: 'a', instanceId: 'i' }), 1);
  assert.equal(a1.memberEpoch, 1);
  const left = c.consumerGroupHeartbeat(
    'g',
    { ...next('a', a1, a1.assignment ?? []), memberEpoch: -2, instanceId: 'i' },
    1,
  );
  assert.equal(left.memberEpoch, -2);
  const taken = c.consumerGroupHeartbeat('g', hb({ memberId: 'other', instanceId: 'i' }), 1);
  assert.equal(taken.errorCode, ErrorCode.none);
  assert.equal(taken.memberEpoch, 1, 'same epoch: nothing was reassigned');
  assert.deepEqual(partitions(taken.assignment), [0, 1]);
  const again = c.consumerGroupHeartbeat('g', hb({ memberId: 'third', instanceId: 'i' }), 1);
  assert.equal(again.errorCode, ErrorCode.unreleasedInstanceId);
  await c.close();
});

test('a regex subscription picks up a topic created later with a new group epoch', async () => {
  const f = await openFixture();
  const one = f.topics.put('orders-1', 1);
  const c = f.coordinator;
  const a1 = c.consumerGroupHeartbeat(
    'g',
    hb({ memberId: 'a', subscribedTopicNames: null, subscribedTopicRegex: 'orders-.*' }),
    1,
  );
  assert.deepEqual(a1.assignment, [{ topicId: one.id, partitions: [0] }]);
  const two = f.topics.put('orders-2', 1);
  f.topics.put('other', 1);
  const a2 = c.consumerGroupHeartbeat('g', next('a', a1, a1.assignment ?? []), 1);
  assert.equal(a2.memberEpoch, 2);
  assert.deepEqual(
    a2.assignment,
    [
      { topicId: one.id, partitions: [0] },
      { topicId: two.id, partitions: [0] },
    ].sort((x, y) => (x.topicId < y.topicId ? -1 : 1)),
  );
  await c.close();
});

test('the range assignor is used when members ask for it', async () => {
  const f = await openFixture();
  const t = f.topics.put('t', 3);
  const c = f.coordinator;
  c.consumerGroupHeartbeat('g', hb({ memberId: 'a', serverAssignor: 'range' }), 1);
  assert.equal(c.consumerGroupDescribe(['g'])[0]?.assignorName, 'range');
  const d = c.consumerGroupDescribe(['g'])[0]?.members[0];
  assert.deepEqual(d?.targetAssignment.topicPartitions, [
    { topicId: t.id, topicName: 't', partitions: [0, 1, 2] },
  ]);
  await c.close();
});

test('a group is either classic or consumer: the other protocol is refused while it has members', async () => {
  const f = await openFixture();
  f.topics.put('t', 1);
  const c = f.coordinator;
  c.consumerGroupHeartbeat('g', hb({ memberId: 'a' }), 1);
  const join = await c.joinGroup('g', joinRequest());
  assert.equal(join.errorCode, ErrorCode.inconsistentGroupProtocol);
  const joinClassic = c.joinGroup('k', joinRequest());
  assert.equal((await joinClassic).errorCode, ErrorCode.memberIdRequired);
  void c.joinGroup('k', joinRequest({ memberId: (await joinClassic).memberId })); // parked in the initial delay
  assert.equal(c.consumerGroupHeartbeat('k', hb({ memberId: 'z' }), 1).errorCode, ErrorCode.groupIdNotFound);
  assert.deepEqual(
    c.listGroups([], []).map((g) => [g.groupId, g.groupType]),
    [
      ['g', 'consumer'],
      ['k', 'classic'],
    ],
  );
  assert.deepEqual(
    c.listGroups(['stable'], ['consumer']).map((g) => g.groupId),
    ['g'],
  );
  await c.close();
});
