// A classic consumer group survives a broker restart: the coordinator restores the group's
// members and assignments from __consumer_offsets, so a consumer that keeps heartbeating carries
// on in the same generation, with the same partitions, and no rebalance.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Admin } from '../../client/admin.ts';
import { Consumer, type TopicPartition } from '../../client/consumer.ts';
import { Producer } from '../../client/producer.ts';
import type { GroupCoordinator } from '../../coordinator/group-coordinator.ts';
import { type RunningBroker, startBroker } from '../broker.ts';

const TOPIC = 'restart-orders';
const PARTITIONS = 4;
const GROUP = 'restart-group';

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function produce(bootstrap: string, prefix: string, count: number): Promise<void> {
  const producer = new Producer({ bootstrap });
  try {
    await producer.sendBatch(
      Array.from({ length: count }, (_, i) => ({
        topic: TOPIC,
        partition: i % PARTITIONS,
        value: `${prefix}${i}`,
      })),
    );
  } finally {
    await producer.close();
  }
}

function groups(broker: RunningBroker): GroupCoordinator {
  const coordinator = (broker.services.nouns as { groups?: GroupCoordinator }).groups;
  assert.ok(coordinator !== undefined, 'the broker runs a group coordinator');
  return coordinator;
}

describe('a classic consumer group across a broker restart', () => {
  let dataDir: string;
  let broker: RunningBroker;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sluice-group-restart-'));
    broker = await startBroker({ dataDir });
  });
  after(async () => {
    await broker.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps its member, generation and assignment: the consumer goes on without a rebalance', async () => {
    const admin = new Admin({ bootstrap: broker.bootstrap });
    await admin.createTopics([{ topic: TOPIC, partitions: PARTITIONS }]);
    admin.close();
    await produce(broker.bootstrap, 'a', 40);

    const assignments: TopicPartition[][] = [];
    let revocations = 0;
    const consumer = new Consumer({
      bootstrap: broker.bootstrap,
      groupId: GROUP,
      autoOffsetReset: 'earliest',
      sessionTimeoutMs: 10_000,
      rebalanceTimeoutMs: 10_000,
      heartbeatIntervalMs: 200,
      autoCommitIntervalMs: 200,
      onAssigned: (tps) => assignments.push(tps),
      onRevoked: (tps) => {
        if (tps.length > 0) revocations++;
      },
    });
    const seen = new Set<string>();
    let reading = true;
    consumer.subscribe([TOPIC]);
    const reader = (async () => {
      while (reading) {
        const batch = await consumer.nextBatch(100);
        for (const r of batch?.records ?? []) seen.add(r.value?.toString() ?? '');
      }
    })();
    try {
      await until('the first 40 records are read', () => seen.size === 40);
      const before = consumer.groupMetadata();
      assert.ok(before.generationId > 0);
      assert.equal(assignments.length, 1);
      assert.equal(assignments[0]?.length, PARTITIONS);
      const port = broker.port;

      await broker.close();
      broker = await startBroker({ dataDir, port });

      // Restored at once from __consumer_offsets, before the consumer is back.
      const restored = groups(broker).describeGroups([GROUP])[0];
      assert.equal(restored?.groupState, 'Stable');
      assert.deepEqual(
        restored?.members.map((m) => m.memberId),
        [before.memberId],
      );

      await produce(broker.bootstrap, 'b', 40);
      await until('the 40 records produced after the restart are read', () => seen.size === 80);
      // Several heartbeats after the restart, all in the restored generation.
      await new Promise((r) => setTimeout(r, 1_000));
      assert.deepEqual(consumer.groupMetadata(), before, 'same member id and generation');
      assert.equal(assignments.length, 1, 'no new assignment');
      assert.equal(revocations, 0, 'no partition was revoked');
      const group = groups(broker).group(GROUP);
      assert.equal(group?.type, 'classic');
      if (group?.type === 'classic') {
        assert.equal(group.state, 'Stable');
        assert.equal(group.generationId, before.generationId);
      }
      const admin2 = new Admin({ bootstrap: broker.bootstrap });
      try {
        const [described] = await admin2.describeGroups([GROUP]);
        assert.equal(described?.state, 'Stable');
        assert.deepEqual(
          described?.members.map((m) => m.memberId),
          [before.memberId],
        );
        assert.deepEqual(
          described?.members[0]?.assignment.flatMap((t) => t.partitions.map((p) => `${t.topic}:${p}`)).sort(),
          Array.from({ length: PARTITIONS }, (_, p) => `${TOPIC}:${p}`),
        );
      } finally {
        admin2.close();
      }
    } finally {
      reading = false;
      await reader;
      await consumer.close();
    }
    assert.equal(seen.size, 80);
  });
});
