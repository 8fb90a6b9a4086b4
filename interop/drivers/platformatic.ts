// @platformatic/kafka in-process: Admin (CreateTopics, DescribeConfigs, IncrementalAlterConfigs),
// Producer with its codecs, Fetch without a group to read a topic back by assignment; group members consume its message
// stream (committed offsets, commits coalesced per event-loop turn).
// Its zstd is node:zlib's, which Node 20 lacks (zlib.zstdCompressSync appears in Node 22.15).
import { readFileSync } from 'node:fs';
import zlib from 'node:zlib';
import {
  Admin,
  type CommitOptionsPartition,
  ConfigResourceTypes,
  Consumer,
  GroupProtocols,
  IncrementalAlterConfigOperationTypes,
  type Message,
  MessagesStreamFallbackModes,
  MessagesStreamModes,
  Producer,
  stringDeserializers,
  stringSerializers,
} from '@platformatic/kafka';
import { type ClientDriver, type GroupMember, type GroupProtocol, MemberState } from '../suite/driver.ts';
import type { Codec, ReadRecord } from '../suite/records.ts';
import { endOffsets } from '../suite/reference.ts';

const packageJson = new URL('../../node_modules/@platformatic/kafka/package.json', import.meta.url);
const version = (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
const sendChunkRecords = 1000;
const clientId = 'sluice-interop-platformatic';
const fetchRoundsMax = 10_000;

async function withAdmin<T>(bootstrap: string, use: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = new Admin({ clientId, bootstrapBrokers: [bootstrap] });
  try {
    return await use(admin);
  } finally {
    await admin.close();
  }
}

function consumer(bootstrap: string, groupId: string, protocol: GroupProtocol = 'classic') {
  const common = {
    clientId,
    groupId,
    bootstrapBrokers: [bootstrap],
    deserializers: stringDeserializers,
    maxWaitTime: 100,
  };
  return protocol === 'consumer'
    ? new Consumer({ ...common, groupProtocol: GroupProtocols.CONSUMER })
    : new Consumer({ ...common, heartbeatInterval: 300 });
}

/** Reads by assignment: Fetch requests per partition (the consumer's non-group API). */
async function readAll(bootstrap: string, topic: string, partitions: number): Promise<ReadRecord[]> {
  const ends = await endOffsets(bootstrap, topic);
  const c = new Consumer({ clientId, groupId: 'unused-by-fetch', bootstrapBrokers: [bootstrap] });
  const out: ReadRecord[] = [];
  try {
    const metadata = await c.metadata({ topics: [topic] });
    const topicId = metadata.topics.get(topic)?.id ?? '';
    const node = [...metadata.brokers.keys()][0] ?? 1;
    for (let partition = 0; partition < partitions; partition++) {
      let fetchOffset = 0n;
      const end = ends[partition] ?? 0n;
      // Bounded: every round advances the offset or fails.
      for (let round = 0; fetchOffset < end; round++) {
        if (round >= fetchRoundsMax)
          throw new Error(`Fetch of ${topic}[${partition}] stalled at ${fetchOffset}`);
        const response = await c.fetch({
          node,
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
        if (data?.errorCode !== 0)
          throw new Error(`Fetch of ${topic}[${partition}]@${fetchOffset}: error ${data?.errorCode}`);
        for (const batch of data.records ?? []) {
          for (const r of batch.records) {
            const offset = batch.firstOffset + BigInt(r.offsetDelta);
            if (offset < fetchOffset) continue;
            out.push({
              partition,
              offset,
              key: r.key?.toString() ?? null,
              value: r.value?.toString() ?? null,
              headers: r.headers.map(([k, v]) => [k?.toString() ?? '', v?.toString() ?? ''] as const),
              timestamp: batch.firstTimestamp + r.timestampDelta,
            });
            fetchOffset = offset + 1n;
          }
        }
      }
    }
  } finally {
    await c.close();
  }
  return out;
}

async function startMember(
  bootstrap: string,
  topic: string,
  group: string,
  protocol: GroupProtocol,
): Promise<GroupMember> {
  const state = new MemberState(`@platformatic/kafka ${protocol} member of ${group}`);
  const c = consumer(bootstrap, group, protocol);
  const assignment = () => c.assignments?.find((a) => a.topic === topic)?.partitions ?? [];
  const refresh = () => {
    const now = assignment();
    if (now.join() !== state.assignment.join()) state.assigned(now);
  };
  c.on('consumer:group:join', refresh);
  c.on('consumer:group:rebalance', refresh);
  // Under KIP-848 the client emits no event when its assignment changes; it changes after a
  // heartbeat, so look after each one.
  c.on('consumer:heartbeat:end', refresh);
  c.on('consumer:heartbeat:error', (e) => {
    if (!c.isActive()) state.failed(e.error instanceof Error ? e.error : new Error(String(e.error)));
  });
  const stream = await c.consume({
    topics: [topic],
    mode: MessagesStreamModes.COMMITTED,
    fallbackMode: MessagesStreamFallbackModes.EARLIEST,
    autocommit: false,
  });
  refresh();
  // Commits coalesced per event-loop turn: every offset consumed is committed soon after.
  const pending = new Map<number, bigint>();
  let committing: Promise<void> = Promise.resolve();
  const commitPending = () => {
    if (pending.size === 0) return committing;
    const offsets: CommitOptionsPartition[] = [...pending].map(([partition, offset]) => ({
      topic,
      partition,
      offset,
      leaderEpoch: -1,
    }));
    pending.clear();
    committing = committing
      .then(() => c.commit({ offsets }))
      .catch((e: unknown) => {
        state.failed(e instanceof Error ? e : new Error(String(e)));
      });
    return committing;
  };
  let scheduled = false;
  stream.on('data', (m: Message<string, string, string, string>) => {
    pending.set(m.partition, m.offset + 1n);
    state.took([{ partition: m.partition, offset: m.offset }]);
    if (!scheduled) {
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        void commitPending();
      });
    }
  });
  stream.on('error', (e: Error) => state.failed(e));
  return {
    state,
    async leave() {
      await commitPending();
      await stream.close();
      await c.close();
    },
  };
}

export const platformaticDriver: ClientDriver = {
  name: `@platformatic/kafka ${version}`,
  missing: () => null,
  abilities: { perRecordHeaders: true, timestamps: true },
  codecGap: (codec: Codec) =>
    codec === 'zstd' && typeof (zlib as { zstdCompressSync?: unknown }).zstdCompressSync !== 'function'
      ? `@platformatic/kafka ${version} compresses zstd with node:zlib, which Node ${process.versions.node} lacks (Node >= 22.15 has it)`
      : null,
  configsGap: null,
  groupProtocols: ['classic', 'consumer'],

  async createTopic(bootstrap, topic, partitions) {
    await withAdmin(bootstrap, (admin) => admin.createTopics({ topics: [topic], partitions, replicas: 1 }));
  },

  async produce(bootstrap, topic, codec, records) {
    const producer = new Producer({
      clientId,
      bootstrapBrokers: [bootstrap],
      serializers: stringSerializers,
    });
    try {
      for (let at = 0; at < records.length; at += sendChunkRecords) {
        await producer.send({
          acks: -1,
          compression: codec,
          messages: records.slice(at, at + sendChunkRecords).map((r) => ({
            topic,
            partition: r.partition,
            key: r.key,
            value: r.value,
            headers: new Map(r.headers),
            ...(r.timestamp === null ? {} : { timestamp: r.timestamp }),
          })),
        });
      }
    } finally {
      await producer.close();
    }
  },

  readAll,
  startMember,

  describeConfigs(bootstrap, topic) {
    return withAdmin(bootstrap, async (admin) => {
      const [described] = await admin.describeConfigs({
        resources: [{ resourceType: ConfigResourceTypes.TOPIC, resourceName: topic }],
      });
      return Object.fromEntries((described?.configs ?? []).map((c) => [c.name, c.value ?? '']));
    });
  },

  async alterConfigs(bootstrap, topic, configs) {
    await withAdmin(bootstrap, (admin) =>
      admin.incrementalAlterConfigs({
        resources: [
          {
            resourceType: ConfigResourceTypes.TOPIC,
            resourceName: topic,
            configs: Object.entries(configs).map(([name, value]) => ({
              name,
              value,
              configOperation: IncrementalAlterConfigOperationTypes.SET,
            })),
          },
        ],
      }),
    );
  },
};
