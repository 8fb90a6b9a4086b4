// End to end over TCP with @platformatic/kafka: two members of one group consume a six-partition
// topic, once with the classic protocol and once with KIP-848's `consumer` protocol, and commit.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  Admin,
  Consumer,
  GroupProtocols,
  type Message,
  MessagesStreamFallbackModes,
  MessagesStreamModes,
  Producer,
  stringDeserializers,
  stringSerializers,
} from '@platformatic/kafka';
import { type RunningBroker, startBroker } from '../broker/broker.ts';
import { groupCoordinatorNoun } from './coordinator-noun.ts';

const PARTITIONS = 6;
const RECORDS = 120;
let broker: RunningBroker;

before(async () => {
  broker = await startBroker({
    nouns: [groupCoordinatorNoun],
    config: { 'group.initial.rebalance.delay.ms': '200', 'group.consumer.heartbeat.interval.ms': '300' },
  });
});

after(async () => {
  await broker.close();
});

async function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

for (const protocol of ['classic', 'consumer'] as const) {
  test(`two @platformatic/kafka members (${protocol} protocol) consume every record of a topic and commit it`, async () => {
    const topic = `pk-${protocol}`;
    const groupId = `pk-group-${protocol}`;
    const bootstrapBrokers = [broker.bootstrap];
    const admin = new Admin({ clientId: 'pk', bootstrapBrokers });
    const producer = new Producer({ clientId: 'pk', bootstrapBrokers, serializers: stringSerializers });
    const members: Consumer<string, string, string, string>[] = [];
    const streams: { close(): Promise<void> }[] = [];
    try {
      await admin.createTopics({ topics: [topic], partitions: PARTITIONS, replicas: 1 });
      await producer.send({
        messages: Array.from({ length: RECORDS }, (_, i) => ({
          topic,
          partition: i % PARTITIONS,
          value: `v${i}`,
        })),
      });
      const seen = new Set<string>();
      for (let i = 0; i < 2; i++) {
        const common = {
          clientId: `pk-${i}`,
          groupId,
          bootstrapBrokers,
          deserializers: stringDeserializers,
          maxWaitTime: 100,
        };
        const member =
          protocol === 'consumer'
            ? new Consumer({ ...common, groupProtocol: GroupProtocols.CONSUMER })
            : new Consumer({ ...common, heartbeatInterval: 300 });
        members.push(member);
        const stream = await member.consume({
          topics: [topic],
          mode: MessagesStreamModes.COMMITTED,
          fallbackMode: MessagesStreamFallbackModes.EARLIEST,
          autocommit: 100,
        });
        streams.push(stream);
        stream.on('data', (m: Message<string, string, string, string>) => {
          seen.add(m.value);
        });
      }
      await waitFor(() => seen.size === RECORDS, `${RECORDS} records`);
      const described = broker.services.nouns.groups?.describeGroups([groupId])[0];
      assert.equal(described?.protocolType, 'consumer');
      assert.equal(broker.services.nouns.groups?.group(groupId)?.type, protocol);
      // Autocommit runs every 100 ms: wait until every partition's offset reached its end.
      const committed = () =>
        broker.services.nouns.groups
          ?.fetchOffsets({ groupId, memberId: null, memberEpoch: -1, topics: null, requireStable: false })
          .topics[0]?.partitions.map((p) => p.committedOffset) ?? [];
      await waitFor(
        () =>
          committed().length === PARTITIONS && committed().every((o) => o === BigInt(RECORDS / PARTITIONS)),
        'committed offsets',
      );
    } finally {
      // Streams first: a stream's autocommit timer outlives its consumer's close() otherwise.
      for (const s of streams) await s.close();
      for (const m of members) await m.close(true);
      await producer.close();
      await admin.close();
    }
  });
}
