// kafkajs: admin, plain/gzip/idempotent/transactional producers, and a group consumer that
// commits, heartbeats and leaves. kafkajs ships only gzip among the codecs.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { type Scenario, type ScenarioContext, withTimeout } from '../scenario.ts';

const recordsPerBatch = 5;

async function produceAll(ctx: ScenarioContext, kafka: Kafka, topic: string): Promise<void> {
  const messages = (tag: string) =>
    Array.from({ length: recordsPerBatch }, (_, i) => ({
      key: `k${i}`,
      value: `kafkajs ${tag} ${i}`,
      headers: { h: `v${i}` },
    }));
  const plain = kafka.producer({ allowAutoTopicCreation: false });
  await plain.connect();
  await plain.send({ topic, messages: messages('none'), acks: -1 });
  await plain.send({ topic, messages: messages('gzip'), acks: -1, compression: CompressionTypes.GZIP });
  await plain.disconnect();
  ctx.log('plain producer: none + gzip');

  const idempotent = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await idempotent.connect();
  await idempotent.send({ topic, messages: messages('idempotent'), acks: -1 });
  await idempotent.disconnect();
  ctx.log('idempotent producer');
}

async function transactional(ctx: ScenarioContext, kafka: Kafka, topic: string): Promise<void> {
  const producer = kafka.producer({
    transactionalId: `golden-kafkajs-txn-${Date.now()}`,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  const committed = await producer.transaction();
  await committed.send({ topic, messages: [{ key: 'tx', value: 'committed' }] });
  await committed.sendOffsets({
    consumerGroupId: ctx.group('txn'),
    topics: [{ topic, partitions: [{ partition: 0, offset: '1' }] }],
  });
  await committed.commit();
  // The broker writes the commit markers after answering EndTxn; a transaction begun before they
  // are written gets CONCURRENT_TRANSACTIONS, which kafkajs retries. Wait so the capture is clean.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const aborted = await producer.transaction();
  await aborted.send({ topic, messages: [{ key: 'tx', value: 'aborted' }] });
  await aborted.abort();
  await producer.disconnect();
  ctx.log('transactional producer: commit with offsets, abort');
}

async function consumeWithGroup(ctx: ScenarioContext, kafka: Kafka, topic: string): Promise<void> {
  const groupId = ctx.group('consumer');
  // Short fetch waits: kafkajs heartbeats between fetches, so an idle long poll would hide them.
  const consumer = kafka.consumer({
    groupId,
    heartbeatInterval: 300,
    sessionTimeout: 10_000,
    maxWaitTimeInMs: 100,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const want = recordsPerBatch * 3;
  let seen = 0;
  const allSeen = new Promise<void>((resolve) => {
    void consumer.run({
      autoCommitInterval: 200,
      eachMessage: async () => {
        seen++;
        if (seen >= want) resolve();
      },
    });
  });
  await withTimeout(allSeen, 30_000, `kafkajs consumer saw ${seen} of ${want} records`);
  // Stay in the group long enough for heartbeats and an auto-commit.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  await consumer.commitOffsets([{ topic, partition: 0, offset: String(want) }]);
  await consumer.disconnect();
  ctx.log(`group consumer read ${seen} records`);
}

async function adminCalls(ctx: ScenarioContext, kafka: Kafka, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.fetchTopicOffsets(topic);
  await admin.fetchOffsets({ groupId: ctx.group('consumer'), topics: [topic] });
  await admin.describeGroups([ctx.group('consumer')]);
  await admin.listGroups();
  await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: topic }] });
  await admin.createPartitions({ topicPartitions: [{ topic, count: 2 }] });
  await admin.deleteTopics({ topics: [topic] });
  await admin.disconnect();
  ctx.log('admin: offsets, groups, configs, partitions, delete');
}

export const kafkajsScenario: Scenario = {
  client: 'kafkajs',
  async describe() {
    const require = createRequire(import.meta.url);
    const pkg = JSON.parse(readFileSync(require.resolve('kafkajs/package.json'), 'utf8')) as {
      version: string;
    };
    return `kafkajs ${pkg.version}`;
  },
  async check() {},
  async run(ctx) {
    const kafka = new Kafka({
      clientId: 'sluice-golden-kafkajs',
      brokers: [ctx.bootstrap],
      logLevel: logLevel.WARN,
      retry: { retries: 5 },
    });
    const topic = ctx.topic('main');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic, numPartitions: 1, replicationFactor: 1 }],
      waitForLeaders: true,
    });
    await admin.disconnect();
    ctx.log(`created ${topic}`);
    await produceAll(ctx, kafka, topic);
    await consumeWithGroup(ctx, kafka, topic);
    await transactional(ctx, kafka, topic);
    await adminCalls(ctx, kafka, topic);
  },
};
