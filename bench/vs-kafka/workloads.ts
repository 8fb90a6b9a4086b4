// The loads `vs-kafka` puts on each broker, the same for both: Kafka's own perf tools (the Java
// client) and @platformatic/kafka for produce and consume throughput, a fixed-rate
// produce→consume latency run, and the first produce after a cold start.
import { Admin, Consumer, Producer } from '@platformatic/kafka';
import { runKafkaTool } from '../kafka/kafka-tools.ts';

const SEND_BATCH_RECORDS = 600;
const CONCURRENT_SENDS = 4;
const MIB = 1024 * 1024;
const TOOL_TIMEOUT_MS = 300_000;
const TOOL_HEAP_MB = 512;
const CONSUME_TIMEOUT_MS = 120_000;

export type Acks = 1 | -1;

export async function createTopics(bootstrap: string, topics: string[], partitions: number): Promise<void> {
  const admin = new Admin({ clientId: 'bench-admin', bootstrapBrokers: [bootstrap] });
  try {
    await admin.createTopics({ topics, partitions, replicas: 1 });
  } finally {
    await admin.close();
  }
}

/** Retries a produce of one record until the broker takes it (auto-creating the topic); for the start figure. */
export async function firstProduce(bootstrap: string, topic: string, deadlineMs: number): Promise<void> {
  const producer = new Producer({
    clientId: 'bench-start',
    bootstrapBrokers: [bootstrap],
    acks: 1,
    autocreateTopics: true,
    retries: 0,
  });
  try {
    // Bounded by the deadline.
    for (;;) {
      try {
        await producer.send({ messages: [{ topic, value: Buffer.from('hello') }] });
        return;
      } catch (error) {
        if (performance.now() > deadlineMs) throw error;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
  } finally {
    await producer.close();
  }
}

// kafka-producer-perf-test's summary: "N records sent, X records/sec (Y MB/sec), ...".
const PERF_PRODUCE_SUMMARY = /(\d+) records sent, ([\d.]+) records\/sec/;

/** Parses kafka-producer-perf-test's final line into records/s. */
export function parseProducerPerf(stdout: string): number {
  const lines = stdout.trim().split('\n');
  const match = PERF_PRODUCE_SUMMARY.exec(lines.at(-1) ?? '');
  if (match?.[2] === undefined)
    throw new Error(`Cannot read kafka-producer-perf-test output: ${stdout.slice(-500)}`);
  return Number(match[2]);
}

/**
 * Parses kafka-consumer-perf-test's CSV line (start, end, MB, MB/s, records, records/s, rebalance
 * ms, fetch ms, fetch MB/s, fetch records/s) into fetch records/s: the rate once the group is joined.
 */
export function parseConsumerPerf(stdout: string): number {
  const line = stdout
    .trim()
    .split('\n')
    .filter((l) => l.split(',').length >= 10)
    .at(-1);
  const fields = (line ?? '').split(',').map((f) => f.trim());
  const records = Number(fields[4]);
  const fetchRecordsPerSec = Number(fields[9]);
  if (!(records > 0) || !Number.isFinite(fetchRecordsPerSec)) {
    throw new Error(`Cannot read kafka-consumer-perf-test output: ${stdout.slice(-500)}`);
  }
  return fetchRecordsPerSec;
}

export async function perfTestProduce(
  bootstrap: string,
  topic: string,
  records: number,
  recordBytes: number,
  acks: Acks,
): Promise<number> {
  const result = await runKafkaTool(
    'kafka-producer-perf-test',
    [
      '--topic',
      topic,
      '--num-records',
      String(records),
      '--record-size',
      String(recordBytes),
      '--throughput',
      '-1',
      '--producer-props',
      `bootstrap.servers=${bootstrap}`,
      `acks=${acks === -1 ? 'all' : '1'}`,
    ],
    { timeoutMs: TOOL_TIMEOUT_MS, heapMb: TOOL_HEAP_MB },
  );
  return parseProducerPerf(result.stdout);
}

export async function perfTestConsume(bootstrap: string, topic: string, records: number): Promise<number> {
  const result = await runKafkaTool(
    'kafka-consumer-perf-test',
    [
      '--bootstrap-server',
      bootstrap,
      '--topic',
      topic,
      '--num-records',
      String(records),
      '--timeout',
      '30000',
      '--hide-header',
      '--group',
      `bench-perf-${topic}-${Date.now()}`,
    ],
    { timeoutMs: TOOL_TIMEOUT_MS, heapMb: TOOL_HEAP_MB },
  );
  return parseConsumerPerf(result.stdout);
}

/** @platformatic/kafka producer: CONCURRENT_SENDS sends in flight, records spread over every partition. */
export async function nodeProduce(
  bootstrap: string,
  topic: string,
  records: number,
  recordBytes: number,
  acks: Acks,
  partitions: number,
): Promise<number> {
  const producer = new Producer({ clientId: 'bench-producer', bootstrapBrokers: [bootstrap], acks });
  const value = Buffer.alloc(recordBytes, 'x');
  const batch = Array.from({ length: SEND_BATCH_RECORDS }, (_, i) => ({
    topic,
    partition: i % partitions,
    value,
  }));
  try {
    await producer.send({ messages: batch.slice(0, partitions) }); // connections and metadata first
    let claimed = 0;
    const started = performance.now();
    const lane = async () => {
      // Bounded by `records`: each pass claims one batch.
      while (claimed < records) {
        claimed += SEND_BATCH_RECORDS;
        await producer.send({ messages: batch });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENT_SENDS }, lane));
    return claimed / ((performance.now() - started) / 1000);
  } finally {
    await producer.close();
  }
}

interface FetchTarget {
  consumer: Consumer;
  node: number;
  topicId: string;
}

async function fetchTarget(bootstrap: string, topic: string, clientId: string): Promise<FetchTarget> {
  const consumer = new Consumer({ clientId, groupId: `${clientId}-unused`, bootstrapBrokers: [bootstrap] });
  const metadata = await consumer.metadata({ topics: [topic] });
  const topicId = metadata.topics.get(topic)?.id;
  const node = [...metadata.brokers.keys()][0];
  if (topicId === undefined || node === undefined) throw new Error(`Cannot find topic ${topic} in metadata`);
  return { consumer, node, topicId };
}

/** One fetch of every partition from `offsets`; calls `onBatch` per batch and advances the offsets. */
async function fetchOnce(
  t: FetchTarget,
  offsets: bigint[],
  maxWaitTime: number,
  onBatch: (batch: { lastOffsetDelta: number; records: { value: Buffer | null }[] }) => void,
): Promise<void> {
  const response = await t.consumer.fetch({
    node: t.node,
    maxWaitTime,
    minBytes: 1,
    maxBytes: 50 * MIB,
    topics: [
      {
        topicId: t.topicId,
        partitions: offsets.map((fetchOffset, partition) => ({
          partition,
          fetchOffset,
          partitionMaxBytes: MIB,
          currentLeaderEpoch: -1,
          lastFetchedEpoch: -1,
        })),
      },
    ],
  });
  for (const p of response.responses[0]?.partitions ?? []) {
    if (p.errorCode !== 0) throw new Error(`Fetch of partition ${p.partitionIndex} failed: ${p.errorCode}`);
    for (const batch of p.records ?? []) {
      onBatch(batch);
      offsets[p.partitionIndex] = batch.firstOffset + BigInt(batch.lastOffsetDelta) + 1n;
    }
  }
}

/** @platformatic/kafka fetches of every partition at once (1 MiB each, as the Java consumer) until `records` are read. */
export async function nodeConsume(
  bootstrap: string,
  topic: string,
  records: number,
  partitions: number,
): Promise<number> {
  const t = await fetchTarget(bootstrap, topic, 'bench-consumer');
  const offsets = Array.from({ length: partitions }, () => 0n);
  let read = 0;
  try {
    const started = performance.now();
    // Bounded by the deadline; each fetch returns data while records remain.
    while (read < records) {
      if (performance.now() - started > CONSUME_TIMEOUT_MS)
        throw new Error(`Consume of ${topic} stalled at ${read} of ${records} records`);
      await fetchOnce(t, offsets, 500, (batch) => {
        read += batch.lastOffsetDelta + 1;
      });
    }
    return read / ((performance.now() - started) / 1000);
  } finally {
    await t.consumer.close();
  }
}

export interface LatencyResult {
  /** Sorted produce→consume latencies in ms, of records sent after the warm-up. */
  sortedMs: Float64Array;
  achievedPerSec: number;
}

/**
 * Produces 100-byte records carrying their send time at `ratePerSec` for `seconds` (acks=1), while
 * a consumer long-polls every partition; each record's latency is its receipt time minus its send
 * time, both on this process's clock. The first second is warm-up and not counted.
 */
export async function latencyAtRate(
  bootstrap: string,
  topic: string,
  partitions: number,
  ratePerSec: number,
  seconds: number,
): Promise<LatencyResult> {
  const producer = new Producer({ clientId: 'bench-latency-p', bootstrapBrokers: [bootstrap], acks: 1 });
  const t = await fetchTarget(bootstrap, topic, 'bench-latency-c');
  const samples = new Float64Array(Math.ceil(ratePerSec * (seconds + 1)));
  let sampled = 0;
  let received = 0;
  const offsets = Array.from({ length: partitions }, () => 0n);
  const warmupEnd = performance.now() + 1000;
  let sent = 0;
  let producing = true;
  const consume = async () => {
    // Bounded: stops once producing ended and everything sent arrived, or after a grace period.
    const grace = () => performance.now() - stoppedAt > 5000;
    let stoppedAt = Number.POSITIVE_INFINITY;
    while (producing || (received < sent && !grace())) {
      if (!producing && stoppedAt === Number.POSITIVE_INFINITY) stoppedAt = performance.now();
      await fetchOnce(t, offsets, 100, (batch) => {
        const now = performance.now();
        for (const r of batch.records) {
          received++;
          const sentAt = r.value?.readDoubleLE(0) ?? 0;
          if (sentAt >= warmupEnd && sampled < samples.length) samples[sampled++] = now - sentAt;
        }
      });
    }
  };
  const consuming = consume();
  try {
    sent = await produceAtRate(producer, topic, partitions, ratePerSec, seconds);
  } finally {
    producing = false;
  }
  await consuming;
  await producer.close();
  await t.consumer.close();
  return { sortedMs: samples.subarray(0, sampled).sort(), achievedPerSec: sent / seconds };
}

async function produceAtRate(
  producer: Producer,
  topic: string,
  partitions: number,
  ratePerSec: number,
  seconds: number,
): Promise<number> {
  const sendsInFlightMax = 64;
  let inFlight = 0;
  let failure: unknown;
  let sent = 0;
  let next = 0;
  const started = performance.now();
  const endAt = started + seconds * 1000;
  // Bounded by the end time; every tick sends what the schedule says is due.
  for (let now = started; now < endAt; now = performance.now()) {
    const due = Math.floor(((now - started) / 1000) * ratePerSec) - sent;
    if (due > 0 && inFlight < sendsInFlightMax) {
      const messages = Array.from({ length: due }, () => {
        const value = Buffer.alloc(100);
        value.writeDoubleLE(now, 0);
        return { topic, partition: next++ % partitions, value };
      });
      sent += due;
      inFlight++;
      producer.send({ messages }).then(
        () => inFlight--,
        (error: unknown) => {
          inFlight--;
          failure ??= error;
        },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  // Bounded: in-flight sends end (acks=1) or fail with the client's timeout.
  while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  if (failure !== undefined) throw failure;
  return sent;
}

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}
