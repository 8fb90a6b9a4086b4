// The scenarios' yardstick on the broker side: partition counts, log end offsets and committed
// offsets as kafkajs's admin reads them, and an uncompressed producer for the group scenario.
// Kept apart from the driver under test, so a check does not rest on the client it checks.
import { Admin } from '@platformatic/kafka';
import kafkajs from 'kafkajs';
import type { SpecRecord } from './records.ts';

const { Kafka, logLevel } = kafkajs;
const sendChunkRecords = 1000;

function kafka(bootstrap: string) {
  return new Kafka({
    clientId: 'sluice-interop-reference',
    brokers: [bootstrap],
    logLevel: logLevel.NOTHING,
  });
}

async function withAdmin<T>(bootstrap: string, use: (admin: kafkajs.Admin) => Promise<T>): Promise<T> {
  const admin = kafka(bootstrap).admin();
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.disconnect();
  }
}

export function partitionCount(bootstrap: string, topic: string): Promise<number> {
  return withAdmin(bootstrap, async (admin) => {
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    return metadata.topics[0]?.partitions.length ?? 0;
  });
}

/** Log end offsets (ListOffsets latest), indexed by partition. */
export function endOffsets(bootstrap: string, topic: string): Promise<bigint[]> {
  return withAdmin(bootstrap, async (admin) => {
    const offsets = await admin.fetchTopicOffsets(topic);
    const out: bigint[] = [];
    for (const o of offsets) out[o.partition] = BigInt(o.high);
    return out;
  });
}

/** Committed offsets of `group` on `topic` (OffsetFetch), -1 where nothing is committed. */
export function committedOffsets(bootstrap: string, group: string, topic: string): Promise<bigint[]> {
  return withAdmin(bootstrap, async (admin) => {
    const [answer] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    const out: bigint[] = [];
    for (const p of answer?.partitions ?? []) out[p.partition] = BigInt(p.offset);
    return out;
  });
}

/** Produces uncompressed, in order, to each record's partition, acks=all. */
export async function produceReference(
  bootstrap: string,
  topic: string,
  records: readonly SpecRecord[],
): Promise<void> {
  const producer = kafka(bootstrap).producer({ allowAutoTopicCreation: false, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (let at = 0; at < records.length; at += sendChunkRecords) {
      await producer.send({
        topic,
        acks: -1,
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
}

export async function createTopicReference(
  bootstrap: string,
  topic: string,
  partitions: number,
): Promise<void> {
  await withAdmin(bootstrap, async (admin) => {
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
  });
}

/** The API keys the broker's ApiVersions answer lists. */
export async function servedApiKeys(bootstrap: string): Promise<Set<number>> {
  const admin = new Admin({ clientId: 'sluice-interop-reference', bootstrapBrokers: [bootstrap] });
  try {
    return new Set((await admin.listApis()).map((a) => a.apiKey));
  } finally {
    await admin.close();
  }
}

/** Group APIs by key, for a failure that names what the broker does not serve. */
export const groupApis: Readonly<Record<number, string>> = {
  8: 'OffsetCommit',
  9: 'OffsetFetch',
  10: 'FindCoordinator',
  11: 'JoinGroup',
  12: 'Heartbeat',
  13: 'LeaveGroup',
  14: 'SyncGroup',
};
export const consumerGroupHeartbeatApiKey = 68;
