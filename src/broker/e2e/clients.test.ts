// Real clients against a real broker over TCP: kafkajs (admin, producer) and @platformatic/kafka
// (producer, non-group fetch), then a restart on the same data directory.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Consumer, Producer, stringDeserializers, stringSerializers } from '@platformatic/kafka';
import kafkajs from 'kafkajs';

const { Kafka, logLevel } = kafkajs;

import { type RunningBroker, startBroker } from '../broker.ts';

const TOPIC = 'e2e-orders';
const PARTITIONS = 6;
const BASE_TIMESTAMP = 1_750_000_000_000;

interface Seen {
  partition: number;
  offset: bigint;
  key: string;
  value: string;
  headers: Record<string, string>;
  timestamp: bigint;
}

/** Every record of the topic, read partition by partition with @platformatic/kafka's non-group fetch. */
async function readAll(bootstrap: string, topic: string, partitions: number): Promise<Seen[]> {
  const consumer = new Consumer({
    clientId: 'e2e-reader',
    groupId: 'unused-by-fetch',
    bootstrapBrokers: [bootstrap],
    deserializers: stringDeserializers,
  });
  try {
    const metadata = await consumer.metadata({ topics: [topic] });
    const topicId = metadata.topics.get(topic)?.id ?? '';
    const [nodeId] = [...metadata.brokers.keys()];
    const seen: Seen[] = [];
    for (let partition = 0; partition < partitions; partition++) {
      let fetchOffset = 0n;
      // Bounded: each round either advances the offset or ends the partition.
      for (let round = 0; round < 100; round++) {
        const response = await consumer.fetch({
          node: nodeId ?? 1,
          maxWaitTime: 10,
          topics: [
            {
              topicId,
              partitions: [
                {
                  partition,
                  fetchOffset,
                  partitionMaxBytes: 1024 * 1024,
                  currentLeaderEpoch: -1,
                  lastFetchedEpoch: -1,
                },
              ],
            },
          ],
        });
        const data = response.responses[0]?.partitions[0];
        assert.equal(data?.errorCode, 0);
        const batches = data?.records ?? [];
        let advanced = false;
        for (const batch of batches) {
          for (const r of batch.records) {
            const offset = batch.firstOffset + BigInt(r.offsetDelta);
            if (offset < fetchOffset) continue;
            seen.push({
              partition,
              offset,
              key: r.key?.toString() ?? '',
              value: r.value?.toString() ?? '',
              headers: Object.fromEntries(
                r.headers.map(([k, v]) => [k?.toString() ?? '', v?.toString() ?? '']),
              ),
              timestamp: batch.firstTimestamp + r.timestampDelta,
            });
            fetchOffset = offset + 1n;
            advanced = true;
          }
        }
        if (!advanced) break;
      }
    }
    return seen;
  } finally {
    await consumer.close();
  }
}

describe('real clients against the broker', () => {
  let dataDir: string;
  let broker: RunningBroker;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sluice-e2e-'));
    broker = await startBroker({ dataDir });
  });
  after(async () => {
    await broker.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('kafkajs creates a 6-partition topic and produces keyed records with headers that read back exactly', async () => {
    const kafka = new Kafka({ clientId: 'e2e', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    assert.equal(await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS }] }), true);
    const metadata = await admin.fetchTopicMetadata({ topics: [TOPIC] });
    assert.equal(metadata.topics[0]?.partitions.length, PARTITIONS);
    await admin.disconnect();

    const producer = kafka.producer();
    await producer.connect();
    const messages = Array.from({ length: 60 }, (_, i) => ({
      key: `customer-${i % 12}`,
      value: `order-${i}`,
      headers: { source: 'kafkajs', seq: String(i) },
      timestamp: String(BASE_TIMESTAMP + i),
    }));
    const acks = await producer.send({ topic: TOPIC, acks: -1, messages });
    await producer.disconnect();
    assert.ok(acks.every((a) => a.errorCode === 0));

    const seen = await readAll(broker.bootstrap, TOPIC, PARTITIONS);
    assert.equal(seen.length, 60);
    const byValue = new Map(seen.map((s) => [s.value, s]));
    for (const [i, m] of messages.entries()) {
      const s = byValue.get(m.value);
      assert.ok(s, `record ${m.value} read back`);
      assert.equal(s.key, m.key);
      assert.deepEqual(s.headers, m.headers);
      assert.equal(s.timestamp, BigInt(BASE_TIMESTAMP + i));
    }
    // The same key always lands in the same partition, and offsets there count up from 0 without gaps.
    const partitionOfKey = new Map<string, number>();
    for (const s of seen) {
      assert.equal(partitionOfKey.get(s.key) ?? s.partition, s.partition);
      partitionOfKey.set(s.key, s.partition);
    }
    for (let p = 0; p < PARTITIONS; p++) {
      const offsets = seen.filter((s) => s.partition === p).map((s) => s.offset);
      assert.deepEqual(
        offsets,
        offsets.map((_, i) => BigInt(i)),
      );
    }
    assert.ok(new Set(seen.map((s) => s.partition)).size > 1, 'keys spread over partitions');
  });

  it('@platformatic/kafka produces to an explicit partition and reads its records back in order', async () => {
    const producer = new Producer({
      clientId: 'e2e-plt',
      bootstrapBrokers: [broker.bootstrap],
      serializers: stringSerializers,
    });
    try {
      const result = await producer.send({
        acks: -1,
        messages: Array.from({ length: 5 }, (_, i) => ({
          topic: TOPIC,
          partition: 5,
          key: 'plt',
          value: `plt-${i}`,
          headers: { client: 'platformatic' },
          timestamp: BigInt(BASE_TIMESTAMP + 1000 + i),
        })),
      });
      assert.equal(result.offsets?.[0]?.partition, 5);
    } finally {
      await producer.close();
    }
    const seen = (await readAll(broker.bootstrap, TOPIC, PARTITIONS)).filter((s) => s.key === 'plt');
    assert.deepEqual(
      seen.map((s) => s.value),
      ['plt-0', 'plt-1', 'plt-2', 'plt-3', 'plt-4'],
    );
    assert.deepEqual(seen[0]?.headers, { client: 'platformatic' });
    assert.equal(seen[4]?.timestamp, BigInt(BASE_TIMESTAMP + 1004));
  });

  it('a broker restarted on the same data directory serves the same records and cluster id', async () => {
    const before = await readAll(broker.bootstrap, TOPIC, PARTITIONS);
    const clusterId = broker.clusterId;
    await broker.close();
    broker = await startBroker({ dataDir });
    assert.equal(broker.clusterId, clusterId);
    const after = await readAll(broker.bootstrap, TOPIC, PARTITIONS);
    assert.equal(after.length, 65);
    assert.deepEqual(after, before);
  });
});
