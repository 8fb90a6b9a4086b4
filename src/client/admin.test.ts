import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Admin } from './admin.ts';
import { KafkaError } from './errors.ts';
import { Producer } from './producer.ts';
import { startTarget, type Target, targetName, targetSkipReason } from './testing/target.ts';

describe(`Admin against ${targetName()}`, { skip: targetSkipReason() }, () => {
  let target: Target;
  let admin: Admin;
  before(async () => {
    target = await startTarget();
    admin = new Admin({ bootstrap: target.bootstrap });
  });
  after(async () => {
    admin?.close();
    await target?.stop();
  });

  async function describeUntil(names: string[], want: Record<string, string>) {
    let configs = await admin.describeConfigs('topic', 'orders', names);
    for (let attempt = 0; attempt < 50; attempt++) {
      if (Object.entries(want).every(([k, v]) => configs.find((c) => c.name === k)?.value === v)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
      configs = await admin.describeConfigs('topic', 'orders', names);
    }
    return configs;
  }

  it('creates, describes, reconfigures, grows, trims and deletes a topic', async () => {
    await admin.createTopics([{ topic: 'orders', partitions: 2, configs: { 'retention.ms': '3600000' } }]);
    assert.ok((await admin.listTopics()).includes('orders'));
    await assert.rejects(
      admin.createTopics([{ topic: 'orders', partitions: 1 }]),
      (e) => e instanceof KafkaError && /'orders'.*topicAlreadyExists \(36\)/.test(e.message),
    );

    const configs = await admin.describeConfigs('topic', 'orders', ['retention.ms', 'cleanup.policy']);
    assert.equal(configs.find((c) => c.name === 'retention.ms')?.value, '3600000');
    await admin.alterConfigs('topic', 'orders', [
      { name: 'retention.ms', value: '7200000' },
      { name: 'cleanup.policy', value: 'compact' },
    ]);
    // Kafka applies a topic's new configs through its metadata log: a describe right after the
    // alter may still show the old values, so read until the change shows (bounded).
    const altered = await describeUntil(['retention.ms', 'cleanup.policy'], {
      'retention.ms': '7200000',
      'cleanup.policy': 'compact',
    });
    assert.equal(altered.find((c) => c.name === 'retention.ms')?.value, '7200000');
    assert.equal(altered.find((c) => c.name === 'cleanup.policy')?.value, 'compact');
    await admin.alterConfigs('topic', 'orders', [{ name: 'cleanup.policy', op: 'delete' }]);
    const reset = await describeUntil(['cleanup.policy'], { 'cleanup.policy': 'delete' });
    assert.equal(reset[0]?.value, 'delete');

    const producer = new Producer({ bootstrap: target.bootstrap });
    const before = Date.now();
    await producer.sendBatch(
      Array.from({ length: 10 }, (_, i) => ({
        topic: 'orders',
        partition: 0,
        value: `v${i}`,
        timestamp: before + i * 1000,
      })),
    );
    await producer.close();
    const [described] = await admin.describeTopics(['orders'], { offsets: true });
    assert.equal(described?.partitions.length, 2);
    assert.equal(described?.partitions[0]?.earliestOffset, 0n);
    assert.equal(
      described?.partitions[0]?.latestOffset,
      10n,
      JSON.stringify(described?.partitions, (_k, v) => (typeof v === 'bigint' ? String(v) : v)),
    );
    assert.equal(described?.partitions[1]?.latestOffset, 0n);
    const [byTime] = await admin.listOffsets([
      { topic: 'orders', partition: 0, spec: { timestamp: before + 3500 } },
    ]);
    assert.equal(byTime?.offset, 4n);

    const [trimmed] = await admin.deleteRecords([{ topic: 'orders', partition: 0, offset: 6n }]);
    assert.equal(trimmed?.lowWatermark, 6n);
    const [earliest] = await admin.listOffsets([{ topic: 'orders', partition: 0, spec: 'earliest' }]);
    assert.equal(earliest?.offset, 6n);

    await admin.createPartitions('orders', 5);
    const [grown] = await admin.describeTopics(['orders']);
    assert.equal(grown?.partitions.length, 5);

    await admin.deleteTopics(['orders']);
    // Kafka removes a deleted topic from its metadata asynchronously: list until it is gone.
    let listed = await admin.listTopics();
    for (let attempt = 0; attempt < 50 && listed.includes('orders'); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      listed = await admin.listTopics();
    }
    assert.ok(!listed.includes('orders'), 'the deleted topic is still listed after 5 s');
  });

  it('describes the cluster with its one broker', async () => {
    const cluster = await admin.describeCluster();
    assert.equal(cluster.brokers.length, 1);
    assert.ok(cluster.clusterId.length > 0);
    assert.equal(`${cluster.brokers[0]?.host}:${cluster.brokers[0]?.port}`, target.bootstrap);
  });

  it('sets, lists and resets the offsets of an empty group, then deletes it', async () => {
    await admin.createTopics([{ topic: 'events', partitions: 2 }]);
    const producer = new Producer({ bootstrap: target.bootstrap });
    await producer.sendBatch(
      Array.from({ length: 8 }, (_, i) => ({ topic: 'events', partition: i % 2, value: `e${i}` })),
    );
    await producer.close();

    await admin.alterConsumerGroupOffsets('readers', [
      { topic: 'events', partition: 0, offset: 1n },
      { topic: 'events', partition: 1, offset: 2n },
    ]);
    const listed = await admin.listConsumerGroupOffsets('readers');
    assert.deepEqual(listed.map((o) => [o.partition, o.offset]).sort(), [
      [0, 1n],
      [1, 2n],
    ]);
    assert.ok((await admin.listGroups()).some((g) => g.groupId === 'readers'));
    await admin.resetConsumerGroupOffsets('readers', 'events', 'latest');
    assert.deepEqual(
      (await admin.listConsumerGroupOffsets('readers')).map((o) => o.offset),
      [4n, 4n],
    );
    await admin.resetConsumerGroupOffsets('readers', 'events', 'earliest', [1]);
    const afterReset = await admin.listConsumerGroupOffsets('readers', [{ topic: 'events', partition: 1 }]);
    assert.equal(afterReset[0]?.offset, 0n);
    const [group] = await admin.describeGroups(['readers']);
    assert.equal(group?.state, 'Empty');
    await admin.deleteGroups(['readers']);
    assert.ok(!(await admin.listGroups()).some((g) => g.groupId === 'readers'));
  });
});
