// End to end over TCP with kafkajs (classic protocol): three consumers in one group share a
// six-partition topic, one leaves half-way, and every record is consumed with the committed
// offsets landing on the end of every partition.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { type RunningBroker, startBroker } from '../broker/broker.ts';
import { groupCoordinatorNoun } from './coordinator-noun.ts';

const TOPIC = 'orders';
const PARTITIONS = 6;
const PER_PARTITION = 50;

let broker: RunningBroker;

before(async () => {
  broker = await startBroker({
    nouns: [groupCoordinatorNoun],
    config: { 'group.initial.rebalance.delay.ms': '200' },
  });
});

after(async () => {
  await broker.close();
});

async function waitFor(
  condition: () => boolean,
  what: string,
  timeoutMs = 30_000,
  poll?: () => Promise<void>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await poll?.();
    if (condition()) return;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('three kafkajs consumers share a topic, one leaves mid-way, and every record is consumed and committed', async () => {
  const kafka = new Kafka({
    clientId: 'e2e',
    brokers: [broker.bootstrap],
    logLevel: logLevel.NOTHING,
    retry: { retries: 10, initialRetryTime: 100 },
  });
  const admin = kafka.admin();
  const producer = kafka.producer();
  const consumers = [0, 1, 2].map(() =>
    kafka.consumer({
      groupId: 'e2e-group',
      sessionTimeout: 10_000,
      heartbeatInterval: 300,
      rebalanceTimeout: 10_000,
      maxWaitTimeInMs: 100,
    }),
  );
  const disconnected = new Set<number>();
  try {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS }] });
    await producer.connect();
    const produce = async (round: number) => {
      for (let p = 0; p < PARTITIONS; p++) {
        const messages = Array.from({ length: PER_PARTITION / 2 }, (_, i) => ({
          partition: p,
          value: `${p}-${round}-${i}`,
        }));
        await producer.send({ topic: TOPIC, messages });
      }
    };

    const seen = new Set<string>();
    const byConsumer = [new Set<number>(), new Set<number>(), new Set<number>()];
    for (const [i, consumer] of consumers.entries()) {
      await consumer.connect();
      await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
      await consumer.run({
        autoCommitInterval: 100,
        eachMessage: async ({ partition, message }) => {
          seen.add(message.value?.toString() ?? '');
          byConsumer[i]?.add(partition);
        },
      });
    }
    // Produce once all three are in one stable generation, so that the work is shared.
    const stableWithThree = async () => {
      const g = (await admin.describeGroups(['e2e-group'])).groups[0];
      return g?.state === 'Stable' && g.members.length === 3;
    };
    let ready = false;
    await waitFor(
      () => ready,
      'a stable group of three',
      30_000,
      async () => {
        ready = await stableWithThree();
      },
    );
    await produce(0);
    await waitFor(() => seen.size === PARTITIONS * (PER_PARTITION / 2), 'the first half');
    assert.equal(byConsumer.filter((s) => s.size > 0).length, 3, 'every member consumed some partitions');

    // One member leaves (LeaveGroup); the others take over its partitions.
    await consumers[2]?.disconnect();
    disconnected.add(2);
    await produce(1);
    await waitFor(() => seen.size === PARTITIONS * PER_PARTITION, 'the second half');
    for (const i of [0, 1]) {
      await consumers[i]?.disconnect();
      disconnected.add(i);
    }

    const committed = await admin.fetchOffsets({ groupId: 'e2e-group', topics: [TOPIC] });
    const offsets = committed[0]?.partitions
      .map((p) => [p.partition, p.offset])
      .sort((a, b) => Number(a[0]) - Number(b[0]));
    assert.deepEqual(
      offsets,
      Array.from({ length: PARTITIONS }, (_, p) => [p, String(PER_PARTITION)]),
    );
    const groups = await admin.listGroups();
    assert.deepEqual(
      groups.groups.map((g) => g.groupId),
      ['e2e-group'],
    );
    const described = await admin.describeGroups(['e2e-group']);
    assert.equal(described.groups[0]?.state, 'Empty');
    await admin.deleteGroups(['e2e-group']);
    assert.deepEqual((await admin.listGroups()).groups, []);
  } finally {
    // Connected kafkajs clients keep reconnecting (and the process alive) until disconnected.
    for (const [i, consumer] of consumers.entries()) if (!disconnected.has(i)) await consumer.disconnect();
    await producer.disconnect();
    await admin.disconnect();
  }
});
