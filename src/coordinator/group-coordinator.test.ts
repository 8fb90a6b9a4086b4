import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode } from '../protocol/error-codes.ts';
import { joinRequest, memberIdFor, openFixture, syncRequest, track } from './coordinator-fixture.ts';
import { ManualCoordinatorClock } from './coordinator-timers.ts';
import { GroupCoordinator, type OffsetCommitInput } from './group-coordinator.ts';
import { MemoryOffsetsLog } from './memory-offsets-log.ts';
import { decodeOffsetsKey } from './offsets-records.ts';
import { MemoryTopicCatalog } from './topic-catalog.ts';

function commitInput(
  groupId: string,
  offsets: Record<string, bigint>,
  overrides: Partial<OffsetCommitInput> = {},
): OffsetCommitInput {
  const byTopic = new Map<
    string,
    {
      partitionIndex: number;
      committedOffset: bigint;
      committedLeaderEpoch: number;
      committedMetadata: string | null;
    }[]
  >();
  for (const [tp, offset] of Object.entries(offsets)) {
    const [topic, partition] = tp.split(':') as [string, string];
    const list = byTopic.get(topic) ?? [];
    list.push({
      partitionIndex: Number(partition),
      committedOffset: offset,
      committedLeaderEpoch: 3,
      committedMetadata: 'meta',
    });
    byTopic.set(topic, list);
  }
  return {
    groupId,
    generationIdOrMemberEpoch: -1,
    memberId: '',
    groupInstanceId: null,
    retentionTimeMs: -1,
    apiVersion: 8,
    topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })),
    ...overrides,
  };
}

function fetched(f: Awaited<ReturnType<typeof openFixture>>, groupId: string) {
  const result = f.coordinator.fetchOffsets({
    groupId,
    memberId: null,
    memberEpoch: -1,
    topics: null,
    requireStable: false,
  });
  const out: Record<string, bigint> = {};
  for (const t of result.topics)
    for (const p of t.partitions) out[`${t.name}:${p.partitionIndex}`] = p.committedOffset;
  return out;
}

test('committed offsets are persisted in __consumer_offsets and rebuilt after a restart', async () => {
  const f = await openFixture();
  f.topics.put('t', 3);
  const results = await f.coordinator.commitOffsets(commitInput('g', { 't:0': 10n, 't:2': 7n }));
  assert.deepEqual(
    results[0]?.partitions.map((p) => p.errorCode),
    [ErrorCode.none, ErrorCode.none],
  );
  await f.coordinator.commitOffsets(commitInput('g', { 't:0': 12n }));
  await f.coordinator.commitOffsets(commitInput('other', { 't:1': 1n }));
  await f.reopen();
  assert.deepEqual(fetched(f, 'g'), { 't:0': 12n, 't:2': 7n });
  assert.deepEqual(fetched(f, 'other'), { 't:1': 1n });
  const one = f.coordinator.fetchOffsets({
    groupId: 'g',
    memberId: null,
    memberEpoch: -1,
    topics: [{ name: 't', partitionIndexes: [0, 1] }],
    requireStable: true,
  });
  assert.deepEqual(one.topics[0]?.partitions, [
    { partitionIndex: 0, committedOffset: 12n, committedLeaderEpoch: 3, metadata: 'meta', errorCode: 0 },
    { partitionIndex: 1, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode: 0 },
  ]);
  await f.coordinator.close();
});

test('each group is stored in the __consumer_offsets partition its id hashes to', async () => {
  const f = await openFixture();
  f.topics.put('t', 1);
  await f.coordinator.commitOffsets(commitInput('my-group', { 't:0': 1n }));
  const seen: number[] = [];
  for (let p = 0; p < f.log.partitions; p++) {
    for await (const r of f.log.readAll(p)) if (decodeOffsetsKey(r.key)?.groupId === 'my-group') seen.push(p);
  }
  assert.deepEqual(seen, [1906497762 % 4]);
  await f.coordinator.close();
});

test('commits for unknown topics or with oversized metadata fail per partition', async () => {
  const f = await openFixture();
  f.topics.put('t', 1);
  const input = commitInput('g', { 't:0': 1n, 't:5': 1n, 'missing:0': 1n });
  const big = input.topics[0]?.partitions[0];
  if (big !== undefined) big.committedMetadata = 'x'.repeat(5000);
  const results = await f.coordinator.commitOffsets(input);
  assert.deepEqual(
    results.map((t) => t.partitions.map((p) => p.errorCode)),
    [
      [ErrorCode.offsetMetadataTooLarge, ErrorCode.unknownTopicOrPartition],
      [ErrorCode.unknownTopicOrPartition],
    ],
  );
  await f.coordinator.close();
});

test('DeleteGroups refuses groups with members and tombstones empty ones so they stay deleted', async () => {
  const f = await openFixture();
  f.topics.put('t', 1);
  await f.coordinator.commitOffsets(commitInput('empty', { 't:0': 1n }));
  const member = await memberIdFor(f.coordinator, 'busy');
  track(f.coordinator.joinGroup('busy', joinRequest({ memberId: member })));
  await f.advance(100);
  const results = await f.coordinator.deleteGroups(['empty', 'busy', 'missing']);
  assert.deepEqual(
    results.map((r) => r.errorCode),
    [ErrorCode.none, ErrorCode.nonEmptyGroup, ErrorCode.groupIdNotFound],
  );
  await f.reopen();
  assert.deepEqual(fetched(f, 'empty'), {});
  assert.equal(f.coordinator.group('empty'), undefined);
  await f.coordinator.close();
});

test('OffsetDelete removes offsets of topics the group no longer subscribes to, durably', async () => {
  const f = await openFixture();
  f.topics.put('t', 2);
  f.topics.put('u', 1);
  await f.coordinator.commitOffsets(commitInput('g', { 't:0': 1n, 't:1': 2n, 'u:0': 3n }));
  const result = await f.coordinator.deleteOffsets('g', [{ name: 't', partitions: [0] }]);
  assert.deepEqual(result, {
    errorCode: 0,
    topics: [{ name: 't', partitions: [{ partitionIndex: 0, errorCode: 0 }] }],
  });
  assert.equal((await f.coordinator.deleteOffsets('nope', [])).errorCode, ErrorCode.groupIdNotFound);
  await f.reopen();
  assert.deepEqual(fetched(f, 'g'), { 't:1': 2n, 'u:0': 3n });
  await f.coordinator.close();
});

test('OffsetDelete refuses topics a consumer group is subscribed to', async () => {
  const f = await openFixture();
  f.topics.put('t', 1);
  const c = f.coordinator;
  const member = c.consumerGroupHeartbeat(
    'g',
    {
      memberId: 'a',
      memberEpoch: 0,
      instanceId: null,
      rackId: null,
      rebalanceTimeoutMs: 1000,
      subscribedTopicNames: ['t'],
      subscribedTopicRegex: null,
      serverAssignor: null,
      ownedTopicPartitions: [],
      clientId: 'c',
      clientHost: 'h',
    },
    1,
  );
  const commit = await c.commitOffsets(
    commitInput(
      'g',
      { 't:0': 4n },
      { memberId: 'a', generationIdOrMemberEpoch: member.memberEpoch, apiVersion: 9 },
    ),
  );
  assert.equal(commit[0]?.partitions[0]?.errorCode, ErrorCode.none);
  const stale = await c.commitOffsets(
    commitInput('g', { 't:0': 5n }, { memberId: 'a', generationIdOrMemberEpoch: 0, apiVersion: 9 }),
  );
  assert.equal(stale[0]?.partitions[0]?.errorCode, ErrorCode.staleMemberEpoch);
  const fetchStale = c.fetchOffsets({
    groupId: 'g',
    memberId: 'a',
    memberEpoch: 9,
    topics: null,
    requireStable: false,
  });
  assert.equal(fetchStale.errorCode, ErrorCode.staleMemberEpoch);
  const result = await c.deleteOffsets('g', [{ name: 't', partitions: [0] }]);
  assert.equal(result.topics[0]?.partitions[0]?.errorCode, ErrorCode.groupSubscribedToTopic);
  await c.close();
});

test('offsets of an empty group expire after the retention time and the group goes with them', async () => {
  const f = await openFixture({ offsetsRetentionMs: 60_000, offsetsRetentionCheckIntervalMs: 10_000 });
  f.topics.put('t', 1);
  await f.coordinator.commitOffsets(commitInput('g', { 't:0': 1n }));
  await f.coordinator.commitOffsets(commitInput('h', { 't:0': 1n }, { retentionTimeMs: 5_000 }));
  await f.advance(10_000);
  assert.deepEqual(fetched(f, 'h'), {}, 'an explicit retention time (v2-v4) wins');
  assert.deepEqual(fetched(f, 'g'), { 't:0': 1n });
  await f.advance(60_000);
  assert.deepEqual(fetched(f, 'g'), {});
  assert.equal(f.coordinator.group('g'), undefined);
  await f.reopen();
  assert.equal(f.coordinator.group('g'), undefined);
  await f.coordinator.close();
});

test('a classic group comes back after a restart with its generation and members (classic-group-restore.test.ts)', async () => {
  const f = await openFixture();
  const c = f.coordinator;
  const a = await memberIdFor(c, 'g');
  const join = track(c.joinGroup('g', joinRequest({ memberId: a })));
  await f.advance(100);
  assert.equal(join.value?.generationId, 1);
  await c.syncGroup('g', syncRequest(a, 1, [{ memberId: a, assignment: Buffer.from('x') }]));
  const d = await f.reopen();
  assert.equal(d.heartbeat('g', a, null, 1), ErrorCode.none);
  const described = d.describeGroups(['g'])[0];
  assert.equal(described?.groupState, 'Stable');
  assert.equal(described?.protocolType, 'consumer');
  assert.deepEqual(described?.members[0]?.memberAssignment, Buffer.from('x'));
  await d.close();
});

test('close() answers parked joins with NOT_COORDINATOR so clients look for the coordinator again', async () => {
  const f = await openFixture();
  const c = f.coordinator;
  const a = await memberIdFor(c, 'g');
  const parked = c.joinGroup('g', joinRequest({ memberId: a }));
  await c.close();
  assert.equal((await parked).errorCode, ErrorCode.notCoordinator);
});

test('a KIP-848 member moved to a new epoch by a leaver still commits its own partitions with the epoch before, as Kafka 4.3+ does (KIP-1251)', async () => {
  const f = await openFixture();
  const t = f.topics.put('t', 6);
  const c = f.coordinator;
  const heartbeat = (memberId: string, memberEpoch: number, owned: number[] | null) =>
    c.consumerGroupHeartbeat(
      'g',
      {
        memberId,
        memberEpoch,
        instanceId: null,
        rackId: null,
        rebalanceTimeoutMs: 5_000,
        subscribedTopicNames: ['t'],
        subscribedTopicRegex: null,
        serverAssignor: null,
        ownedTopicPartitions:
          owned === null ? null : owned.length === 0 ? [] : [{ topicId: t.id, partitions: owned }],
        clientId: 'c',
        clientHost: 'h',
      },
      1,
    );
  const owned = (r: { assignment: { partitions: number[] }[] | null }) =>
    (r.assignment ?? []).flatMap((a) => a.partitions).sort((x, y) => x - y);
  // Three members settle on two partitions each, all at one epoch.
  const held = new Map<string, { epoch: number; partitions: number[] }>();
  for (const m of ['a', 'b', 'c']) {
    const r = heartbeat(m, 0, []);
    held.set(m, { epoch: r.memberEpoch, partitions: owned(r) });
  }
  for (let round = 0; round < 4; round++) {
    for (const [m, h] of held) {
      const r = heartbeat(m, h.epoch, h.partitions);
      assert.equal(r.errorCode, ErrorCode.none);
      held.set(m, { epoch: r.memberEpoch, partitions: r.assignment === null ? h.partitions : owned(r) });
    }
  }
  assert.equal(c.consumerGroupDescribe(['g'])[0]?.groupState, 'Stable');
  const a = held.get('a');
  const leaver = held.get('c');
  assert.ok(a !== undefined && leaver !== undefined && a.partitions.length === 2);
  const settledEpoch = a.epoch;

  // c leaves; a's next heartbeat moves it to the new epoch with some of c's partitions.
  assert.equal(heartbeat('c', -1, null).errorCode, ErrorCode.none);
  const moved = heartbeat('a', settledEpoch, a.partitions);
  assert.ok(moved.memberEpoch > settledEpoch, 'a is at a new epoch');
  const gained = owned(moved).filter((p) => !a.partitions.includes(p));
  assert.ok(gained.length > 0 && gained.every((p) => leaver.partitions.includes(p)), 'a gained c partitions');

  const commit = (partitions: number[], memberEpoch: number) =>
    c.commitOffsets(
      commitInput('g', Object.fromEntries(partitions.map((p) => [`t:${p}`, 9n])), {
        memberId: 'a',
        generationIdOrMemberEpoch: memberEpoch,
        apiVersion: 9,
      }),
    );
  const codes = (results: Awaited<ReturnType<typeof commit>>) =>
    results.flatMap((r) => r.partitions.map((p) => p.errorCode));
  // The commit a sent before that heartbeat's response arrived: its old partitions, old epoch.
  assert.deepEqual(codes(await commit(a.partitions, settledEpoch)), [ErrorCode.none, ErrorCode.none]);
  // A partition given at the new epoch cannot be committed with an older one: the whole commit fails.
  assert.deepEqual(codes(await commit([...a.partitions, gained[0] ?? -1], settledEpoch)), [
    ErrorCode.staleMemberEpoch,
    ErrorCode.staleMemberEpoch,
    ErrorCode.staleMemberEpoch,
  ]);
  // Partitions a never held, an epoch older than their assignment, or an epoch from the future.
  const foreign = held.get('b')?.partitions ?? [];
  assert.deepEqual(codes(await commit(foreign.slice(0, 1), settledEpoch)), [ErrorCode.staleMemberEpoch]);
  assert.deepEqual(codes(await commit(a.partitions.slice(0, 1), 0)), [ErrorCode.staleMemberEpoch]);
  assert.deepEqual(codes(await commit(a.partitions.slice(0, 1), moved.memberEpoch + 1)), [
    ErrorCode.staleMemberEpoch,
  ]);
  // The current epoch commits everything a holds.
  assert.deepEqual(
    codes(await commit(owned(moved), moved.memberEpoch)),
    owned(moved).map(() => ErrorCode.none),
  );
  await c.close();
});

test('a RequireStable OffsetFetch answers UNSTABLE_OFFSET_COMMIT for partitions with pending transactional offsets (KIP-447)', async () => {
  const pending = new Set<string>();
  const coordinator = await GroupCoordinator.open({
    log: new MemoryOffsetsLog(4),
    topics: new MemoryTopicCatalog(),
    clock: new ManualCoordinatorClock(1_000_000),
    config: { offsetsTopicPartitions: 4 },
    transactions: () => ({
      hasPendingOffsets: (groupId, topic, partition) => pending.has(`${groupId}/${topic}/${partition}`),
    }),
  });
  await coordinator.commitTransactionalOffsets('g', [
    { topic: 't', partition: 0, offset: 5n, leaderEpoch: 2, metadata: 'm' },
    { topic: 't', partition: 1, offset: 9n, leaderEpoch: 2, metadata: 'm' },
  ]);
  pending.add('g/t/0');
  pending.add('g/t/2');
  pending.add('fresh/t/0');
  const fetch = (
    groupId: string,
    requireStable: boolean,
    topics: { name: string; partitionIndexes: number[] }[] | null = [
      { name: 't', partitionIndexes: [0, 1, 2] },
    ],
  ) => coordinator.fetchOffsets({ groupId, memberId: null, memberEpoch: -1, topics, requireStable });
  const unstable = { committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode: 88 };

  assert.equal(ErrorCode.unstableOffsetCommit, 88);
  assert.equal(coordinator.hasPendingTransactionalOffsets('g', 't', 0), true);
  assert.equal(coordinator.hasPendingTransactionalOffsets('g', 't', 1), false);
  assert.deepEqual(fetch('g', true).topics[0]?.partitions, [
    { partitionIndex: 0, ...unstable },
    { partitionIndex: 1, committedOffset: 9n, committedLeaderEpoch: 2, metadata: 'm', errorCode: 0 },
    { partitionIndex: 2, ...unstable },
  ]);
  // Without RequireStable the last committed offset (or none) is answered, as before.
  assert.deepEqual(
    fetch('g', false).topics[0]?.partitions.map((p) => [p.committedOffset, p.errorCode]),
    [
      [5n, 0],
      [9n, 0],
      [-1n, 0],
    ],
  );
  // A group that exists only through its pending transaction is still unstable.
  assert.deepEqual(fetch('fresh', true, [{ name: 't', partitionIndexes: [0, 1] }]).topics[0]?.partitions, [
    { partitionIndex: 0, ...unstable },
    { partitionIndex: 1, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode: 0 },
  ]);
  // "All topics" lists the partitions with a committed offset, the pending ones as unstable.
  assert.deepEqual(
    fetch('g', true, null).topics.map((t) => t.partitions.map((p) => [p.partitionIndex, p.errorCode])),
    [
      [
        [0, 88],
        [1, 0],
      ],
    ],
  );
  pending.clear();
  assert.deepEqual(
    fetch('g', true).topics[0]?.partitions.map((p) => [p.committedOffset, p.errorCode]),
    [
      [5n, 0],
      [9n, 0],
      [-1n, 0],
    ],
  );
  await coordinator.close();
});
