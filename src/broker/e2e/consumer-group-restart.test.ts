// A KIP-848 consumer group survives a broker restart: the coordinator replays the group's member,
// target and current-assignment records from __consumer_offsets, so members that keep sending
// ConsumerGroupHeartbeat with their id and epoch carry on with their partitions, no rebalance.
// Driven by a raw ConsumerGroupHeartbeat client (Sluice's own client has no KIP-848 mode).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Admin } from '../../client/admin.ts';
import type { GroupCoordinator } from '../../coordinator/group-coordinator.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import type {
  ConsumerGroupHeartbeatRequest,
  ConsumerGroupHeartbeatRequestTopicPartitions,
} from '../../protocol/generated/consumer-group-heartbeat-request.ts';
import type { ConsumerGroupHeartbeatResponse } from '../../protocol/generated/consumer-group-heartbeat-response.ts';
import { type RunningBroker, startBroker } from '../broker.ts';
import { WireClient } from '../testing/wire-client.ts';

const TOPIC = 'kip848-restart';
const PARTITIONS = 4;
const GROUP = 'kip848-restart-group';
const CONSUMER_GROUP_HEARTBEAT = 68;

interface Member {
  memberId: string;
  epoch: number;
  owned: ConsumerGroupHeartbeatRequestTopicPartitions[];
}

function heartbeat(
  client: WireClient,
  overrides: Partial<ConsumerGroupHeartbeatRequest>,
): Promise<ConsumerGroupHeartbeatResponse> {
  const body: ConsumerGroupHeartbeatRequest = {
    groupId: GROUP,
    memberId: '',
    memberEpoch: 0,
    instanceId: null,
    rackId: null,
    rebalanceTimeoutMs: -1,
    subscribedTopicNames: null,
    subscribedTopicRegex: null,
    serverAssignor: null,
    topicPartitions: null,
    ...overrides,
  };
  return client.request<ConsumerGroupHeartbeatResponse>(CONSUMER_GROUP_HEARTBEAT, 1, body);
}

/** One heartbeat of a member owning what it was last given; updates it from the response. */
async function beat(client: WireClient, m: Member): Promise<ConsumerGroupHeartbeatResponse> {
  const r = await heartbeat(client, { memberId: m.memberId, memberEpoch: m.epoch, topicPartitions: m.owned });
  if (r.errorCode === ErrorCode.none) {
    m.epoch = r.memberEpoch;
    if (r.assignment !== null) m.owned = r.assignment.topicPartitions;
  }
  return r;
}

function partitionsOf(m: Member): number[] {
  return m.owned.flatMap((t) => t.partitions).sort((a, b) => a - b);
}

describe('a KIP-848 consumer group across a broker restart', () => {
  let dataDir: string;
  let broker: RunningBroker;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sluice-kip848-restart-'));
    broker = await startBroker({ dataDir });
  });
  after(async () => {
    await broker.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps members, epochs and partitions: heartbeats go on at the same epoch', async () => {
    const admin = new Admin({ bootstrap: broker.bootstrap });
    await admin.createTopics([{ topic: TOPIC, partitions: PARTITIONS }]);
    admin.close();

    let client = await WireClient.connect(broker.port);
    const members: Member[] = [];
    for (const memberId of ['member-a', 'member-b']) {
      const r = await heartbeat(client, {
        memberId,
        rebalanceTimeoutMs: 10_000,
        subscribedTopicNames: [TOPIC],
        topicPartitions: [],
      });
      assert.equal(r.errorCode, ErrorCode.none);
      members.push({ memberId, epoch: r.memberEpoch, owned: r.assignment?.topicPartitions ?? [] });
    }
    // Reconcile until both hold two partitions at the same epoch.
    for (let round = 0; round < 10; round++) {
      for (const m of members) assert.equal((await beat(client, m)).errorCode, ErrorCode.none);
      if (members.every((m) => partitionsOf(m).length === 2 && m.epoch === members[0]?.epoch)) break;
    }
    const settled = members.map((m) => ({ epoch: m.epoch, partitions: partitionsOf(m) }));
    assert.deepEqual(
      settled.flatMap((s) => s.partitions).sort((a, b) => a - b),
      [0, 1, 2, 3],
    );
    assert.equal(settled[0]?.epoch, settled[1]?.epoch);
    await client.close();

    const port = broker.port;
    await broker.close();
    broker = await startBroker({ dataDir, port });
    client = await WireClient.connect(broker.port);
    try {
      for (const [i, m] of members.entries()) {
        const r = await beat(client, m);
        assert.equal(r.errorCode, ErrorCode.none, `${m.memberId} is known after the restart`);
        assert.equal(r.memberEpoch, settled[i]?.epoch, `${m.memberId} keeps its epoch`);
        assert.equal(r.assignment, null, `${m.memberId} gets no new assignment`);
        assert.deepEqual(partitionsOf(m), settled[i]?.partitions);
      }
      const described = (
        broker.services.nouns as { groups?: GroupCoordinator }
      ).groups?.consumerGroupDescribe([GROUP])[0];
      assert.equal(described?.groupState, 'Stable');
      assert.equal(described?.groupEpoch, settled[0]?.epoch, 'no rebalance');
      // A member leaving moves the other to a new epoch with everything.
      const [a, b] = members as [Member, Member];
      const left = await heartbeat(client, { memberId: b.memberId, memberEpoch: -1 });
      assert.equal(left.errorCode, ErrorCode.none);
      for (let round = 0; round < 5 && partitionsOf(a).length < PARTITIONS; round++) await beat(client, a);
      assert.deepEqual(partitionsOf(a), [0, 1, 2, 3]);
      assert.ok(a.epoch > (settled[0]?.epoch as number));
    } finally {
      await client.close();
    }
  });
});
