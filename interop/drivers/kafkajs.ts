// kafkajs in-process: admin for topics and configs (legacy AlterConfigs), the producer with every
// codec (see kafkajs-codecs.ts), and its group consumer, which is also how it reads a topic back
// (kafkajs has no manual assignment).
import { createRequire } from 'node:module';
import kafkajs from 'kafkajs';
import { type ClientDriver, type GroupMember, MemberState } from '../suite/driver.ts';
import type { Codec, Header, ReadRecord, SpecRecord } from '../suite/records.ts';
import { endOffsets } from '../suite/reference.ts';
import { registerKafkajsCodecs } from './kafkajs-codecs.ts';

const { Kafka, logLevel, CompressionTypes, ConfigResourceTypes } = kafkajs;
const version = (createRequire(import.meta.url)('kafkajs/package.json') as { version: string }).version;
const sendChunkRecords = 1000;
const compressionOf: Record<Codec, kafkajs.CompressionTypes> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};
let readers = 0;

function client(bootstrap: string, clientId = 'sluice-interop-kafkajs') {
  return new Kafka({ clientId, brokers: [bootstrap], logLevel: logLevel.NOTHING });
}

function headersOf(headers: kafkajs.IHeaders | undefined): Header[] {
  const out: Header[] = [];
  for (const [key, value] of Object.entries(headers ?? {})) {
    for (const v of Array.isArray(value) ? value : [value])
      out.push([key, v === undefined ? '' : v.toString()]);
  }
  return out;
}

async function withAdmin<T>(bootstrap: string, use: (admin: kafkajs.Admin) => Promise<T>): Promise<T> {
  const admin = client(bootstrap).admin();
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.disconnect();
  }
}

function consumer(bootstrap: string, groupId: string) {
  // Short fetch waits: kafkajs heartbeats between fetches.
  return client(bootstrap).consumer({ groupId, heartbeatInterval: 300, maxWaitTimeInMs: 100 });
}

async function readAll(bootstrap: string, topic: string): Promise<ReadRecord[]> {
  const ends = await endOffsets(bootstrap, topic);
  const next = ends.map(() => 0n);
  const out: ReadRecord[] = [];
  const c = consumer(bootstrap, `interop-kafkajs-reader-${++readers}-${process.pid}`);
  await c.connect();
  try {
    await c.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const done = () => ends.every((end, p) => (next[p] ?? 0n) >= end);
      if (done()) return resolve();
      c.on(c.events.CRASH, (e) => reject(e.payload.error));
      void c
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            for (const m of batch.messages) {
              out.push({
                partition: batch.partition,
                offset: BigInt(m.offset),
                key: m.key?.toString() ?? null,
                value: m.value?.toString() ?? null,
                headers: headersOf(m.headers),
                timestamp: BigInt(m.timestamp),
              });
              next[batch.partition] = BigInt(m.offset) + 1n;
            }
            if (done()) resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await c.disconnect();
  }
  return out;
}

async function startMember(bootstrap: string, topic: string, group: string): Promise<GroupMember> {
  const state = new MemberState(`kafkajs member ${group}`);
  const c = consumer(bootstrap, group);
  c.on(c.events.GROUP_JOIN, (e) => state.assigned(e.payload.memberAssignment[topic] ?? []));
  c.on(c.events.CRASH, (e) => state.failed(e.payload.error));
  await c.connect();
  await c.subscribe({ topics: [topic], fromBeginning: true });
  await c.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      const last = batch.messages.at(-1);
      if (last === undefined) return;
      await c.commitOffsets([
        { topic, partition: batch.partition, offset: String(BigInt(last.offset) + 1n) },
      ]);
      state.took(batch.messages.map((m) => ({ partition: batch.partition, offset: BigInt(m.offset) })));
    },
  });
  return { state, leave: () => c.disconnect() };
}

export const kafkajsDriver: ClientDriver = {
  name: `kafkajs ${version}`,
  missing: () => null,
  abilities: { perRecordHeaders: true, timestamps: true },
  codecGap: () => null,
  configsGap: null,
  groupProtocols: ['classic'],

  async createTopic(bootstrap, topic, partitions) {
    await withAdmin(bootstrap, async (admin) => {
      const created = await admin.createTopics({
        topics: [{ topic, numPartitions: partitions }],
        waitForLeaders: true,
      });
      if (!created) throw new Error(`kafkajs createTopics says topic '${topic}' already existed`);
    });
  },

  async produce(bootstrap, topic, codec, records: readonly SpecRecord[]) {
    registerKafkajsCodecs();
    const producer = client(bootstrap).producer({ allowAutoTopicCreation: false, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      for (let at = 0; at < records.length; at += sendChunkRecords) {
        await producer.send({
          topic,
          acks: -1,
          compression: compressionOf[codec],
          messages: records.slice(at, at + sendChunkRecords).map((r) => ({
            partition: r.partition,
            key: r.key,
            value: r.value,
            headers: Object.fromEntries(r.headers),
            ...(r.timestamp === null ? {} : { timestamp: String(r.timestamp) }),
          })),
        });
      }
    } finally {
      await producer.disconnect();
    }
  },

  readAll: (bootstrap, topic) => readAll(bootstrap, topic),
  startMember: (bootstrap, topic, group) => startMember(bootstrap, topic, group),

  describeConfigs(bootstrap, topic) {
    return withAdmin(bootstrap, async (admin) => {
      const described = await admin.describeConfigs({
        resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }],
        includeSynonyms: false,
      });
      const entries = described.resources[0]?.configEntries ?? [];
      return Object.fromEntries(entries.map((e) => [e.configName, e.configValue]));
    });
  },

  async alterConfigs(bootstrap, topic, configs) {
    await withAdmin(bootstrap, (admin) =>
      admin.alterConfigs({
        validateOnly: false,
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: topic,
            configEntries: Object.entries(configs).map(([name, value]) => ({ name, value })),
          },
        ],
      }),
    );
  },
};
