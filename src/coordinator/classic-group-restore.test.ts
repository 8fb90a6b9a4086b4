// A restart restores classic groups from their GroupMetadata records in __consumer_offsets, as
// Kafka's coordinator loads them: Stable at the last stable generation with its members and
// assignments (or Empty), each member's session starting at load time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode } from '../protocol/error-codes.ts';
import {
  type Fixture,
  joinRequest,
  memberIdFor,
  openFixture,
  settle,
  syncRequest,
  track,
} from './coordinator-fixture.ts';

/** Members a (leader, assignment 'A') and b ('B') in generation 1 of group 'g', Stable. */
async function stableGroupOfTwo(f: Fixture, instanceB: string | null = null) {
  const c = f.coordinator;
  const a = await memberIdFor(c, 'g');
  const b = instanceB === null ? await memberIdFor(c, 'g') : '';
  const joinA = track(c.joinGroup('g', joinRequest({ memberId: a })));
  const joinB = track(c.joinGroup('g', joinRequest({ memberId: b, groupInstanceId: instanceB })));
  await f.advance(200); // the initial delay, extended once for b
  assert.equal(joinA.value?.generationId, 1);
  const bId = joinB.value?.memberId as string;
  const syncB = track(c.syncGroup('g', { ...syncRequest(bId, 1), groupInstanceId: instanceB }));
  await c.syncGroup(
    'g',
    syncRequest(a, 1, [
      { memberId: a, assignment: Buffer.from('A') },
      { memberId: bId, assignment: Buffer.from('B') },
    ]),
  );
  await settle();
  assert.deepEqual(syncB.value?.assignment, Buffer.from('B'));
  return { a, b: bId };
}

test('after a restart a stable classic group is Stable again: same members, generation and assignments', async () => {
  const f = await openFixture();
  const { a, b } = await stableGroupOfTwo(f);
  const before = f.coordinator.describeGroups(['g']);
  f.clock.advance(5_000); // the broker was down for a while
  const d = await f.reopen();

  assert.equal(d.heartbeat('g', a, null, 1), ErrorCode.none);
  assert.equal(d.heartbeat('g', b, null, 1), ErrorCode.none);
  assert.deepEqual(d.describeGroups(['g']), before);
  const described = d.describeGroups(['g'])[0];
  assert.equal(described?.groupState, 'Stable');
  assert.equal(described?.protocolData, 'range');
  assert.deepEqual(
    described?.members.map((m) => [m.memberId, m.memberAssignment.toString(), m.memberMetadata.toString()]),
    [
      [a, 'A', 'm'],
      [b, 'B', 'm'],
    ],
  );
  const group = d.group('g');
  assert.equal(group?.type, 'classic');
  if (group?.type === 'classic') {
    assert.equal(group.generationId, 1);
    assert.equal(group.leaderId, a);
  }
  // SyncGroup in the stable generation answers the stored assignment.
  const sync = await d.syncGroup('g', syncRequest(b, 1));
  assert.equal(sync.errorCode, ErrorCode.none);
  assert.deepEqual(sync.assignment, Buffer.from('B'));
  assert.equal(sync.protocolName, 'range');
  // A follower rejoining with the same metadata gets the current generation: no rebalance.
  const rejoin = await d.joinGroup('g', joinRequest({ memberId: b }));
  assert.equal(rejoin.errorCode, ErrorCode.none);
  assert.equal(rejoin.generationId, 1);
  assert.equal(rejoin.leader, a);
  // Commits in that generation are accepted.
  f.topics.put('t', 1);
  const commit = await d.commitOffsets({
    groupId: 'g',
    generationIdOrMemberEpoch: 1,
    memberId: a,
    groupInstanceId: null,
    retentionTimeMs: -1,
    apiVersion: 8,
    topics: [
      {
        name: 't',
        partitions: [
          { partitionIndex: 0, committedOffset: 3n, committedLeaderEpoch: -1, committedMetadata: null },
        ],
      },
    ],
  });
  assert.equal(commit[0]?.partitions[0]?.errorCode, ErrorCode.none);
  await d.close();
});

test('sessions of restored members start at load time; one that stops heartbeating expires and the group rebalances', async () => {
  const f = await openFixture();
  const { a, b } = await stableGroupOfTwo(f);
  f.clock.advance(60_000); // down for longer than the 10 s session timeout
  const d = await f.reopen();
  d.runDueTimers();
  assert.equal(d.describeGroups(['g'])[0]?.members.length, 2, 'nobody expires at load');

  // a keeps heartbeating, b is gone.
  for (let i = 0; i < 3; i++) {
    await f.advance(3_000);
    assert.equal(d.heartbeat('g', a, null, 1), ErrorCode.none);
  }
  await f.advance(1_500); // 10.5 s after the load
  assert.equal(d.heartbeat('g', b, null, 1), ErrorCode.unknownMemberId);
  assert.equal(d.describeGroups(['g'])[0]?.groupState, 'PreparingRebalance');
  assert.equal(d.heartbeat('g', a, null, 1), ErrorCode.rebalanceInProgress);
  const join = track(d.joinGroup('g', joinRequest({ memberId: a })));
  await f.advance(10);
  assert.equal(join.value?.errorCode, ErrorCode.none);
  assert.equal(join.value?.generationId, 2);
  assert.deepEqual(
    join.value?.members.map((m) => m.memberId),
    [a],
  );
  await d.close();
});

test('the latest GroupMetadata record wins: a group emptied before the restart comes back Empty at its generation', async () => {
  const f = await openFixture();
  const { a, b } = await stableGroupOfTwo(f);
  const c = f.coordinator;
  assert.deepEqual(c.leaveGroup('g', [{ memberId: b, groupInstanceId: null }]).members, [ErrorCode.none]);
  const rejoin = track(c.joinGroup('g', joinRequest({ memberId: a })));
  await f.advance(10);
  assert.equal(rejoin.value?.generationId, 2);
  await c.syncGroup('g', syncRequest(a, 2, [{ memberId: a, assignment: Buffer.from('AB') }]));

  let d = await f.reopen();
  assert.deepEqual(
    d.describeGroups(['g'])[0]?.members.map((m) => [m.memberId, m.memberAssignment.toString()]),
    [[a, 'AB']],
  );
  assert.equal(d.heartbeat('g', b, null, 2), ErrorCode.unknownMemberId);
  assert.equal(d.heartbeat('g', a, null, 1), ErrorCode.illegalGeneration);
  assert.deepEqual(d.leaveGroup('g', [{ memberId: a, groupInstanceId: null }]).members, [ErrorCode.none]);
  await settle();

  d = await f.reopen();
  const described = d.describeGroups(['g'])[0];
  assert.equal(described?.groupState, 'Empty');
  assert.equal(described?.protocolType, 'consumer');
  assert.deepEqual(described?.members, []);
  assert.equal(d.heartbeat('g', a, null, 3), ErrorCode.unknownMemberId);
  const next = await memberIdFor(d, 'g');
  const join = track(d.joinGroup('g', joinRequest({ memberId: next })));
  await f.advance(100);
  assert.equal(join.value?.generationId, 4, 'generations continue from the stored one');
  await d.close();
});

test('a restored static member can be replaced by its instance id without a rebalance (KIP-345)', async () => {
  const f = await openFixture();
  const { a, b } = await stableGroupOfTwo(f, 'instance-b');
  const d = await f.reopen();
  assert.equal(d.heartbeat('g', b, 'instance-b', 1), ErrorCode.none);
  assert.equal(d.heartbeat('g', a, 'instance-b', 1), ErrorCode.fencedInstanceId);
  // The static member restarts too and rejoins without its member id.
  const join = await d.joinGroup('g', joinRequest({ groupInstanceId: 'instance-b' }));
  assert.equal(join.errorCode, ErrorCode.none);
  assert.equal(join.generationId, 1);
  assert.notEqual(join.memberId, b);
  assert.equal(d.heartbeat('g', b, 'instance-b', 1), ErrorCode.fencedInstanceId);
  const sync = await d.syncGroup('g', { ...syncRequest(join.memberId, 1), groupInstanceId: 'instance-b' });
  assert.deepEqual(sync.assignment, Buffer.from('B'));
  assert.equal(d.describeGroups(['g'])[0]?.groupState, 'Stable');
  await d.close();
});
