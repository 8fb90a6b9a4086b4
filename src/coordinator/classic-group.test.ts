import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode } from '../protocol/error-codes.ts';
import { joinRequest, memberIdFor, openFixture, settle, syncRequest, track } from './coordinator-fixture.ts';

test('a first JoinGroup without a member id gets MEMBER_ID_REQUIRED and an id (KIP-394)', async () => {
  const f = await openFixture();
  const result = await f.coordinator.joinGroup('g', joinRequest({ clientId: 'app' }));
  assert.equal(result.errorCode, ErrorCode.memberIdRequired);
  assert.match(result.memberId, /^app-[0-9a-f-]{36}$/);
  await f.coordinator.close();
});

test('JoinGroup v0-v3 (no KIP-394) joins directly with a coordinator-assigned id', async () => {
  const f = await openFixture();
  const join = track(f.coordinator.joinGroup('g', joinRequest({ requireKnownMemberId: false })));
  await f.advance(100);
  assert.equal(join.value?.errorCode, ErrorCode.none);
  assert.equal(join.value?.generationId, 1);
  assert.equal(join.value?.leader, join.value?.memberId);
  await f.coordinator.close();
});

test('two members joining within the initial delay share generation 1 and the leader gets the member list', async () => {
  const f = await openFixture();
  const c = f.coordinator;
  const a = await memberIdFor(c, 'g');
  const b = await memberIdFor(c, 'g');
  const joinA = track(c.joinGroup('g', joinRequest({ memberId: a })));
  await f.advance(50);
  const joinB = track(c.joinGroup('g', joinRequest({ memberId: b })));
  await f.advance(50);
  // B joined during the delay, so it was extended once.
  assert.equal(joinA.value === undefined, true);
  await f.advance(100);
  assert.equal(joinA.value?.generationId, 1);
  assert.equal(joinB.value?.generationId, 1);
  assert.equal(joinA.value?.leader, a);
  assert.deepEqual(joinA.value?.members.map((m) => m.memberId).sort(), [a, b].sort());
  assert.deepEqual(joinB.value?.members, []);
  assert.equal(joinA.value?.protocolName, 'range');

  const syncB = track(c.syncGroup('g', syncRequest(b, 1)));
  await settle();
  assert.equal(syncB.value === undefined, true, 'a follower waits for the leader');
  const syncA = await c.syncGroup(
    'g',
    syncRequest(a, 1, [
      { memberId: a, assignment: Buffer.from('A') },
      { memberId: b, assignment: Buffer.from('B') },
    ]),
  );
  await settle();
  assert.deepEqual(syncA.assignment, Buffer.from('A'));
  assert.deepEqual(syncB.value?.assignment, Buffer.from('B'));
  assert.equal(c.describeGroups(['g'])[0]?.groupState, 'Stable');
  await c.close();
});

async function stableGroupOfTwo() {
  const f = await openFixture();
  const c = f.coordinator;
  const a = await memberIdFor(c, 'g');
  const b = await memberIdFor(c, 'g');
  const joinA = track(c.joinGroup('g', joinRequest({ memberId: a })));
  const joinB = track(c.joinGroup('g', joinRequest({ memberId: b })));
  await f.advance(200);
  const leader = joinA.value?.leader === a ? a : b;
  assert.equal(joinB.value?.generationId, 1);
  const syncs = [
    c.syncGroup(
      'g',
      syncRequest(
        a,
        1,
        leader === a
          ? [
              { memberId: a, assignment: Buffer.from('A') },
              { memberId: b, assignment: Buffer.from('B') },
            ]
          : [],
      ),
    ),
    c.syncGroup(
      'g',
      syncRequest(
        b,
        1,
        leader === b
          ? [
              { memberId: a, assignment: Buffer.from('A') },
              { memberId: b, assignment: Buffer.from('B') },
            ]
          : [],
      ),
    ),
  ];
  await Promise.all(syncs);
  return { f, c, a, b };
}

test('heartbeats are answered by generation: current is fine, stale is ILLEGAL_GENERATION, strangers UNKNOWN_MEMBER_ID', async () => {
  const { c, a } = await stableGroupOfTwo();
  assert.equal(c.heartbeat('g', a, null, 1), ErrorCode.none);
  assert.equal(c.heartbeat('g', a, null, 0), ErrorCode.illegalGeneration);
  assert.equal(c.heartbeat('g', 'nobody', null, 1), ErrorCode.unknownMemberId);
  assert.equal(c.heartbeat('missing', a, null, 1), ErrorCode.unknownMemberId);
  await c.close();
});

test('a member whose session expires is removed and the others are told to rejoin', async () => {
  const { f, c, a, b } = await stableGroupOfTwo();
  await f.advance(6_000);
  assert.equal(c.heartbeat('g', a, null, 1), ErrorCode.none);
  await f.advance(6_000); // b silent for 12 s > 10 s session timeout
  assert.equal(c.heartbeat('g', b, null, 1), ErrorCode.unknownMemberId);
  assert.equal(c.heartbeat('g', a, null, 1), ErrorCode.rebalanceInProgress);
  const rejoin = track(c.joinGroup('g', joinRequest({ memberId: a })));
  await settle();
  assert.equal(rejoin.value?.generationId, 2, 'the only member rejoined: the join completes at once');
  assert.deepEqual(
    rejoin.value?.members.map((m) => m.memberId),
    [a],
  );
  await c.close();
});

test('members that do not rejoin within the rebalance timeout are removed from the new generation', async () => {
  const { f, c, a, b } = await stableGroupOfTwo();
  const changed = track(
    c.joinGroup(
      'g',
      joinRequest({ memberId: a, protocols: [{ name: 'range', metadata: Buffer.from('changed') }] }),
    ),
  );
  await settle();
  assert.equal(changed.value === undefined, true);
  // b keeps heartbeating but never rejoins.
  for (let i = 0; i < 6; i++) {
    await f.advance(5_000);
    assert.equal(
      c.heartbeat('g', b, null, 1),
      i < 5 ? ErrorCode.rebalanceInProgress : ErrorCode.unknownMemberId,
    );
  }
  assert.equal(changed.value?.generationId, 2);
  assert.deepEqual(
    changed.value?.members.map((m) => m.memberId),
    [a],
  );
  await c.close();
});

test('LeaveGroup answers each member of a batch and rebalances the rest', async () => {
  const { c, a, b } = await stableGroupOfTwo();
  const result = c.leaveGroup('g', [
    { memberId: b, groupInstanceId: null },
    { memberId: 'ghost', groupInstanceId: null },
  ]);
  assert.deepEqual(result, {
    errorCode: ErrorCode.none,
    members: [ErrorCode.none, ErrorCode.unknownMemberId],
  });
  assert.equal(c.heartbeat('g', a, null, 1), ErrorCode.rebalanceInProgress);
  assert.deepEqual(c.leaveGroup('missing', []), { errorCode: ErrorCode.unknownMemberId, members: [] });
  await c.close();
});

test('a member that joins but never syncs is removed when the sync phase times out', async () => {
  const f = await openFixture();
  const c = f.coordinator;
  const a = await memberIdFor(c, 'g');
  const b = await memberIdFor(c, 'g');
  track(c.joinGroup('g', joinRequest({ memberId: a, rebalanceTimeoutMs: 5_000 })));
  track(c.joinGroup('g', joinRequest({ memberId: b, rebalanceTimeoutMs: 5_000 })));
  await f.advance(200);
  const leader = c.describeGroups(['g'])[0]?.members.length === 2 ? a : b;
  await c.syncGroup('g', syncRequest(a, 1, []));
  // Only a synced (as leader or follower); keep a alive past the sync deadline.
  for (let i = 0; i < 3; i++) {
    await f.advance(2_000);
    c.heartbeat('g', a, null, 1);
  }
  assert.ok(leader.length > 0);
  assert.equal(c.heartbeat('g', b, null, 1), ErrorCode.unknownMemberId);
  await c.close();
});

test('SyncGroup v5 rejects a protocol type or name that differs from the group', async () => {
  const { c, a } = await stableGroupOfTwo();
  const wrongType = await c.syncGroup('g', { ...syncRequest(a, 1), protocolType: 'connect' });
  assert.equal(wrongType.errorCode, ErrorCode.inconsistentGroupProtocol);
  const wrongName = await c.syncGroup('g', {
    ...syncRequest(a, 1),
    protocolType: 'consumer',
    protocolName: 'roundrobin',
  });
  assert.equal(wrongName.errorCode, ErrorCode.inconsistentGroupProtocol);
  const ok = await c.syncGroup('g', {
    ...syncRequest(a, 1),
    protocolType: 'consumer',
    protocolName: 'range',
  });
  assert.deepEqual(ok.assignment, Buffer.from('A'));
  await c.close();
});

test('JoinGroup rejects a protocol the group cannot share and a session timeout out of range', async () => {
  const { c } = await stableGroupOfTwo();
  const other = await c.joinGroup(
    'g',
    joinRequest({ protocols: [{ name: 'sticky', metadata: Buffer.alloc(0) }] }),
  );
  assert.equal(other.errorCode, ErrorCode.inconsistentGroupProtocol);
  const tooShort = await c.joinGroup('g', joinRequest({ sessionTimeoutMs: 10 }));
  assert.equal(tooShort.errorCode, ErrorCode.invalidSessionTimeout);
  const noGroup = await c.joinGroup('', joinRequest());
  assert.equal(noGroup.errorCode, ErrorCode.invalidGroupId);
  await c.close();
});

test('a static member rejoining with unchanged metadata takes over without a rebalance (KIP-345)', async () => {
  const f = await openFixture();
  const c = f.coordinator;
  const first = track(c.joinGroup('g', joinRequest({ groupInstanceId: 'i-1' })));
  await f.advance(100);
  const oldId = first.value?.memberId as string;
  assert.equal(first.value?.generationId, 1);
  await c.syncGroup('g', {
    ...syncRequest(oldId, 1, [{ memberId: oldId, assignment: Buffer.from('P') }]),
    groupInstanceId: 'i-1',
  });

  const again = await c.joinGroup('g', joinRequest({ groupInstanceId: 'i-1' }));
  assert.equal(again.errorCode, ErrorCode.none);
  assert.notEqual(again.memberId, oldId);
  assert.equal(again.generationId, 1, 'same generation: no rebalance');
  assert.equal(again.skipAssignment, true, 'the static leader is told to keep the assignment');
  const sync = await c.syncGroup('g', { ...syncRequest(again.memberId, 1), groupInstanceId: 'i-1' });
  assert.deepEqual(sync.assignment, Buffer.from('P'));
  assert.equal(c.heartbeat('g', oldId, 'i-1', 1), ErrorCode.fencedInstanceId);
  assert.equal(c.describeGroups(['g'])[0]?.groupState, 'Stable');
  await c.close();
});

test('a static member rejoining with changed metadata triggers a rebalance', async () => {
  const f = await openFixture();
  const c = f.coordinator;
  const first = track(c.joinGroup('g', joinRequest({ groupInstanceId: 'i-1' })));
  await f.advance(100);
  const oldId = first.value?.memberId as string;
  await c.syncGroup('g', { ...syncRequest(oldId, 1, []), groupInstanceId: 'i-1' });
  const again = track(
    c.joinGroup(
      'g',
      joinRequest({ groupInstanceId: 'i-1', protocols: [{ name: 'range', metadata: Buffer.from('new') }] }),
    ),
  );
  await settle();
  assert.equal(again.value?.generationId, 2);
  assert.deepEqual(c.leaveGroup('g', [{ memberId: oldId, groupInstanceId: 'i-1' }]).members, [
    ErrorCode.fencedInstanceId,
  ]);
  assert.equal(c.describeGroups(['g'])[0]?.groupState, 'CompletingRebalance');
  assert.deepEqual(c.leaveGroup('g', [{ memberId: '', groupInstanceId: 'i-1' }]).members, [ErrorCode.none]);
  assert.equal(
    c.describeGroups(['g'])[0]?.groupState,
    'Empty',
    'the only member left: the rebalance ends empty',
  );
  await c.close();
});

test('offset commits are fenced by generation and member, and allowed without a generation in an empty group', async () => {
  const f = await openFixture();
  f.topics.put('t', 2);
  const { c, a } = await (async () => {
    const s = await stableGroupOfTwoOn(f);
    return s;
  })();
  const commit = (generationIdOrMemberEpoch: number, memberId: string, groupId = 'g') =>
    c.commitOffsets({
      groupId,
      generationIdOrMemberEpoch,
      memberId,
      groupInstanceId: null,
      retentionTimeMs: -1,
      apiVersion: 8,
      topics: [
        {
          name: 't',
          partitions: [
            { partitionIndex: 0, committedOffset: 5n, committedLeaderEpoch: -1, committedMetadata: null },
          ],
        },
      ],
    });
  const code = async (p: ReturnType<typeof commit>) => (await p)[0]?.partitions[0]?.errorCode;
  assert.equal(await code(commit(1, a)), ErrorCode.none);
  assert.equal(await code(commit(0, a)), ErrorCode.illegalGeneration);
  assert.equal(await code(commit(1, 'ghost')), ErrorCode.unknownMemberId);
  assert.equal(
    await code(commit(-1, '')),
    ErrorCode.unknownMemberId,
    'a non-member cannot commit to an active group',
  );
  assert.equal(await code(commit(-1, '', 'simple')), ErrorCode.none);
  assert.equal(await code(commit(3, 'x', 'nogroup')), ErrorCode.illegalGeneration);
  assert.equal(
    c.fetchOffsets({ groupId: 'g', memberId: null, memberEpoch: -1, topics: null, requireStable: false })
      .topics[0]?.partitions[0]?.committedOffset,
    5n,
  );
  // A rebalance in CompletingRebalance refuses commits until the member has synced.
  await c.close();
});

async function stableGroupOfTwoOn(f: Awaited<ReturnType<typeof openFixture>>) {
  const c = f.coordinator;
  const a = await memberIdFor(c, 'g');
  const b = await memberIdFor(c, 'g');
  const joinA = track(c.joinGroup('g', joinRequest({ memberId: a })));
  track(c.joinGroup('g', joinRequest({ memberId: b })));
  await f.advance(200);
  const leader = joinA.value?.leader;
  await Promise.all([c.syncGroup('g', syncRequest(a, 1, [])), c.syncGroup('g', syncRequest(b, 1, []))]);
  return { c, a, b, leader };
}
