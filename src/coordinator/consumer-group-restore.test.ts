// A restart restores KIP-848 consumer groups from their records in __consumer_offsets, as Kafka's
// coordinator replays them: members with their subscriptions, epochs, current and target
// assignments; each member's session starts at load time, so a member that keeps heartbeating
// goes on with its partitions and one that is gone expires and its partitions move.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode } from '../protocol/error-codes.ts';
import type { TopicPartitionsList } from './assignment.ts';
import type { ConsumerHeartbeatRequest } from './consumer-group.ts';
import { type Fixture, heartbeatRequest as hb, openFixture } from './coordinator-fixture.ts';
import { decodeOffsetsKey } from './offsets-records.ts';

/** A heartbeat of a member at `epoch` owning exactly `owned`. */
function beat(memberId: string, epoch: number, owned: TopicPartitionsList[]): ConsumerHeartbeatRequest {
  return hb({
    memberId,
    memberEpoch: epoch,
    rebalanceTimeoutMs: -1,
    subscribedTopicNames: null,
    ownedTopicPartitions: owned,
  });
}

function partitions(list: TopicPartitionsList[] | null | undefined): number[] {
  return (list ?? []).flatMap((t) => t.partitions).sort((a, b) => a - b);
}

interface Held {
  epoch: number;
  owned: TopicPartitionsList[];
}

/** Heartbeats every member until the group is Stable; returns what each member holds. */
function settleGroup(f: Fixture, held: Map<string, Held>): void {
  for (let round = 0; round < 10; round++) {
    for (const [id, h] of held) {
      const r = f.coordinator.consumerGroupHeartbeat('g', beat(id, h.epoch, h.owned), 1);
      assert.equal(r.errorCode, ErrorCode.none, `member ${id} heartbeats`);
      held.set(id, { epoch: r.memberEpoch, owned: r.assignment ?? h.owned });
    }
    if (f.coordinator.consumerGroupDescribe(['g'])[0]?.groupState === 'Stable') return;
  }
  assert.fail('the group did not settle');
}

/** Members a, b, c joined and settled on topic t (6 partitions). */
function stableGroupOfThree(f: Fixture, staticC = false): Map<string, Held> {
  f.topics.put('t', 6);
  const held = new Map<string, Held>();
  for (const id of ['a', 'b', 'c']) {
    const instanceId = staticC && id === 'c' ? 'instance-c' : null;
    const r = f.coordinator.consumerGroupHeartbeat('g', hb({ memberId: id, instanceId }), 1);
    assert.equal(r.errorCode, ErrorCode.none);
    held.set(id, { epoch: r.memberEpoch, owned: r.assignment ?? [] });
  }
  settleGroup(f, held);
  return held;
}

test('after a restart a KIP-848 member heartbeats at the same epoch and keeps its partitions', async () => {
  const f = await openFixture();
  const held = stableGroupOfThree(f);
  const before = f.coordinator.consumerGroupDescribe(['g'])[0];
  f.clock.advance(5_000);
  const d = await f.reopen();

  assert.deepEqual(d.consumerGroupDescribe(['g'])[0], before, 'members, epochs and assignments are back');
  for (const [id, h] of held) {
    const r = d.consumerGroupHeartbeat('g', beat(id, h.epoch, h.owned), 1);
    assert.equal(r.errorCode, ErrorCode.none, `${id} is known after the restart`);
    assert.equal(r.memberEpoch, h.epoch, `${id} stays at its epoch`);
    assert.equal(r.assignment, null, `${id} gets no new assignment`);
  }
  const after = d.consumerGroupDescribe(['g'])[0];
  assert.equal(after?.groupState, 'Stable');
  assert.equal(after?.groupEpoch, before?.groupEpoch, 'no rebalance');
  // An offset commit with the restored epoch is accepted (the member epoch is current).
  const a = held.get('a') as Held;
  const [committed] = await d.commitOffsets({
    groupId: 'g',
    generationIdOrMemberEpoch: a.epoch,
    memberId: 'a',
    groupInstanceId: null,
    retentionTimeMs: -1,
    apiVersion: 9,
    topics: [
      {
        name: 't',
        partitions: [
          {
            partitionIndex: partitions(a.owned)[0] as number,
            committedOffset: 1n,
            committedLeaderEpoch: -1,
            committedMetadata: null,
          },
        ],
      },
    ],
  });
  assert.equal(committed?.partitions[0]?.errorCode, ErrorCode.none);
  await d.close();
});

test('a restored member that stops heartbeating expires and its partitions go to the others', async () => {
  const f = await openFixture();
  const held = stableGroupOfThree(f);
  const epochBefore = f.coordinator.consumerGroupDescribe(['g'])[0]?.groupEpoch as number;
  const d = await f.reopen();
  held.delete('c');
  // a and b keep heartbeating through c's session timeout (10 s); c never comes back.
  for (let s = 0; s < 12; s++) {
    await f.advance(1_000);
    for (const [id, h] of held) {
      const r = d.consumerGroupHeartbeat('g', beat(id, h.epoch, h.owned), 1);
      assert.equal(r.errorCode, ErrorCode.none, `${id} is never fenced`);
      held.set(id, { epoch: r.memberEpoch, owned: r.assignment ?? h.owned });
    }
  }
  settleGroup(f, held);
  const described = d.consumerGroupDescribe(['g'])[0];
  assert.deepEqual(described?.members.map((m) => m.memberId).sort(), ['a', 'b'], 'c expired');
  assert.ok((described?.groupEpoch as number) > epochBefore);
  const all = [...held.values()].flatMap((h) => partitions(h.owned)).sort((x, y) => x - y);
  assert.deepEqual(all, [0, 1, 2, 3, 4, 5], "c's partitions were reassigned");
  assert.equal(d.consumerGroupHeartbeat('g', beat('c', 1, []), 1).errorCode, ErrorCode.unknownMemberId);
  await d.close();
});

test('a member that left before the restart stays gone; the others keep their new epoch', async () => {
  const f = await openFixture();
  const held = stableGroupOfThree(f);
  const c = held.get('c') as Held;
  const left = f.coordinator.consumerGroupHeartbeat(
    'g',
    { ...beat('c', c.epoch, c.owned), memberEpoch: -1 },
    1,
  );
  assert.equal(left.errorCode, ErrorCode.none);
  held.delete('c');
  settleGroup(f, held);
  const before = f.coordinator.consumerGroupDescribe(['g'])[0];
  const d = await f.reopen();
  assert.deepEqual(d.consumerGroupDescribe(['g'])[0], before);
  assert.equal(d.consumerGroupHeartbeat('g', beat('c', c.epoch, []), 1).errorCode, ErrorCode.unknownMemberId);
  for (const [id, h] of held) {
    const r = d.consumerGroupHeartbeat('g', beat(id, h.epoch, h.owned), 1);
    assert.equal(r.errorCode, ErrorCode.none);
    assert.equal(r.memberEpoch, h.epoch);
  }
  // The leaver's records are tombstoned: compaction can drop every key of c.
  const cKeys = new Map<string, boolean>();
  for (let p = 0; p < f.log.partitions; p++) {
    for await (const record of f.log.readAll(p)) {
      const key = decodeOffsetsKey(record.key);
      if (key !== undefined && 'memberId' in key && key.memberId === 'c')
        cKeys.set(key.kind, record.value !== null);
    }
  }
  assert.deepEqual([...cKeys].sort(), [
    ['consumerCurrentAssignment', false],
    ['consumerMember', false],
    ['consumerTargetMember', false],
  ]);
  await d.close();
});

test('a member caught mid-revocation resumes it after the restart, and a static member left with -2 resumes by instance id', async () => {
  const f = await openFixture();
  const held = stableGroupOfThree(f, true);
  const c = held.get('c') as Held;
  const a = held.get('a') as Held;
  // c leaves with -2 (static): its partitions stay reserved.
  const paused = f.coordinator.consumerGroupHeartbeat(
    'g',
    { ...beat('c', c.epoch, c.owned), instanceId: 'instance-c', memberEpoch: -2 },
    1,
  );
  assert.equal(paused.errorCode, ErrorCode.none);
  // A new member d joins: a must revoke something before the group settles.
  const joined = f.coordinator.consumerGroupHeartbeat('g', hb({ memberId: 'd' }), 1);
  assert.equal(joined.errorCode, ErrorCode.none);
  const revoking = f.coordinator.consumerGroupHeartbeat('g', beat('a', a.epoch, a.owned), 1);
  assert.equal(revoking.memberEpoch, a.epoch, 'a is asked to revoke at its epoch');
  assert.ok(partitions(revoking.assignment).length < partitions(a.owned).length);
  const before = f.coordinator.consumerGroupDescribe(['g'])[0];
  const d = await f.reopen();
  assert.deepEqual(d.consumerGroupDescribe(['g'])[0], before);

  // a still owns what it must revoke: it is told the same reduced assignment again.
  const again = d.consumerGroupHeartbeat('g', beat('a', a.epoch, a.owned), 1);
  assert.equal(again.errorCode, ErrorCode.none);
  assert.deepEqual(partitions(again.assignment), partitions(revoking.assignment));
  // The static member resumes with a new member id from its reserved partitions (no
  // UNRELEASED_INSTANCE_ID), moving on to the current assignment epoch with what it keeps.
  const resumed = d.consumerGroupHeartbeat('g', hb({ memberId: 'c2', instanceId: 'instance-c' }), 1);
  assert.equal(resumed.errorCode, ErrorCode.none);
  assert.equal(resumed.memberEpoch, before?.assignmentEpoch);
  const kept = partitions(resumed.assignment);
  assert.ok(kept.length > 0 && kept.every((p) => partitions(c.owned).includes(p)));
  assert.equal(d.consumerGroupDescribe(['g'])[0]?.groupEpoch, before?.groupEpoch, 'no new epoch');
  await d.close();
});
