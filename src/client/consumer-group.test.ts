import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Admin } from './admin.ts';
import { Consumer, type TopicPartition } from './consumer.ts';
import { Producer } from './producer.ts';
import { startTarget, type Target, targetName, targetSkipReason } from './testing/target.ts';

const topic = 'shared';
const partitions = 6;

/** Reads from a consumer in the background until stopped, counting values seen. */
function drain(consumer: Consumer, seen: Map<string, number>): { stop: () => Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running) {
      const batch = await consumer.nextBatch(200);
      for (const r of batch?.records ?? []) {
        const v = r.value!.toString();
        seen.set(v, (seen.get(v) ?? 0) + 1);
      }
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

async function until(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe(`Consumer group against ${targetName()}`, { skip: targetSkipReason() }, () => {
  let target: Target;
  let admin: Admin;
  before(async () => {
    target = await startTarget();
    admin = new Admin({ bootstrap: target.bootstrap });
    await admin.createTopics([{ topic, partitions }]);
  });
  after(async () => {
    admin?.close();
    await target?.stop();
  });

  it('shares 6 partitions among 3 members, rebalances to 2 when one leaves, and commits every offset', async () => {
    const producer = new Producer({ bootstrap: target.bootstrap });
    await producer.sendBatch(
      Array.from({ length: 600 }, (_, i) => ({ topic, partition: i % partitions, value: `a${i}` })),
    );

    const assignments = new Map<number, TopicPartition[]>();
    const consumers = [0, 1, 2].map(
      (n) =>
        new Consumer({
          bootstrap: target.bootstrap,
          groupId: 'trio',
          autoOffsetReset: 'earliest',
          sessionTimeoutMs: 6_000,
          rebalanceTimeoutMs: 10_000,
          heartbeatIntervalMs: 300,
          autoCommitIntervalMs: 500,
          onAssigned: (tps) => assignments.set(n, tps),
        }),
    );
    const seen = new Map<string, number>();
    for (const c of consumers) c.subscribe([topic]);
    const readers = consumers.map((c) => drain(c, seen));
    try {
      await until('each member owns 2 partitions', () =>
        [0, 1, 2].every((n) => consumers[n]!.assignment().length === 2),
      );
      const owned = consumers.flatMap((c) => c.assignment().map((p) => p.partition)).sort();
      assert.deepEqual(owned, [0, 1, 2, 3, 4, 5]);
      await until('the first 600 records are read', () => seen.size === 600);

      await readers[2]!.stop();
      await consumers[2]!.close();
      await until(
        'the two remaining members own 3 partitions each',
        () => consumers[0]!.assignment().length === 3 && consumers[1]!.assignment().length === 3,
      );
      await producer.sendBatch(
        Array.from({ length: 600 }, (_, i) => ({ topic, partition: i % partitions, value: `b${i}` })),
      );
      await until('all 1200 records are read', () => seen.size === 1200);
    } finally {
      await Promise.all(readers.slice(0, 2).map((r) => r.stop()));
      await Promise.all(consumers.slice(0, 2).map((c) => c.close()));
      await producer.close();
    }
    const committed = await admin.listConsumerGroupOffsets('trio');
    assert.deepEqual(
      committed.map((o) => [o.partition, o.offset]).sort((a, b) => Number(a[0]) - Number(b[0])),
      Array.from({ length: partitions }, (_, p) => [p, 200n]),
    );
    const [group] = await admin.describeGroups(['trio']);
    assert.equal(group?.state, 'Empty');
  });
});
