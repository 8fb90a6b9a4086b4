// Broker throughput and latency with a real client (@platformatic/kafka) over loopback: produce
// and consume records/s and MB/s for 100-byte and 1 KiB records, produce→consume latency
// percentiles, and the broker process's CPU time and RSS. The broker runs in a child process so
// its CPU and memory are measured apart from the client's.
// Run: node --import tsx bench/broker.ts   (or npm run bench -- broker)
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Consumer, Producer } from '@platformatic/kafka';
import { type BenchRow, formatRows } from './bench-row.ts';

const SEND_BATCH_RECORDS = 500;
const CONCURRENT_SENDS = 4;
const LATENCY_SAMPLES = 2000;
const MIB = 1024 * 1024;

interface BrokerStats {
  cpuMicros: number;
  rssBytes: number;
}

class BrokerProcess {
  readonly child: ChildProcess;
  readonly bootstrap: string;

  private constructor(child: ChildProcess, bootstrap: string) {
    this.child = child;
    this.bootstrap = bootstrap;
  }

  static async start(): Promise<BrokerProcess> {
    const child = fork(fileURLToPath(new URL('./broker-child.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const [ready] = (await once(child, 'message')) as [{ port: number; host: string }];
    return new BrokerProcess(child, `${ready.host}:${ready.port}`);
  }

  async stats(): Promise<BrokerStats> {
    const answer = once(this.child, 'message');
    this.child.send({ type: 'stats' });
    return ((await answer) as [BrokerStats])[0];
  }

  async close(): Promise<void> {
    const exited = once(this.child, 'exit');
    this.child.send({ type: 'close' });
    await exited;
  }
}

async function produceAll(bootstrap: string, topic: string, records: number, value: Buffer): Promise<number> {
  const producer = new Producer({ clientId: 'bench-producer', bootstrapBrokers: [bootstrap], acks: 1 });
  const batch = Array.from({ length: SEND_BATCH_RECORDS }, (_, i) => ({
    topic,
    partition: 0,
    key: Buffer.from(`k${i}`),
    value,
  }));
  await producer.send({ messages: batch.slice(0, 1) }); // connection and metadata before timing
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    // Bounded by `records`: each pass claims one batch.
    while (next < records) {
      next += SEND_BATCH_RECORDS;
      await producer.send({ messages: batch });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT_SENDS }, lane));
  const seconds = (performance.now() - started) / 1000;
  await producer.close();
  return seconds;
}

async function topicId(consumer: Consumer, topic: string): Promise<{ id: string; node: number }> {
  const metadata = await consumer.metadata({ topics: [topic] });
  return { id: metadata.topics.get(topic)?.id ?? '', node: [...metadata.brokers.keys()][0] ?? 1 };
}

async function consumeAll(bootstrap: string, topic: string, records: number): Promise<number> {
  const consumer = new Consumer({
    clientId: 'bench-consumer',
    groupId: 'bench-unused',
    bootstrapBrokers: [bootstrap],
  });
  const { id, node } = await topicId(consumer, topic);
  let offset = 1n; // offset 0 is the warm-up record
  const started = performance.now();
  // Bounded by `records`: each fetch returns at least one batch while data remains.
  while (offset < BigInt(records + 1)) {
    const response = await consumer.fetch({
      node,
      maxWaitTime: 100,
      maxBytes: 16 * MIB,
      topics: [
        {
          topicId: id,
          partitions: [
            {
              partition: 0,
              fetchOffset: offset,
              partitionMaxBytes: 8 * MIB,
              currentLeaderEpoch: -1,
              lastFetchedEpoch: -1,
            },
          ],
        },
      ],
    });
    const batches = response.responses[0]?.partitions[0]?.records ?? [];
    const last = batches.at(-1);
    if (last === undefined) throw new Error(`Consume stalled at offset ${offset} of ${records}`);
    offset = last.firstOffset + BigInt(last.lastOffsetDelta) + 1n;
  }
  const seconds = (performance.now() - started) / 1000;
  await consumer.close();
  return seconds;
}

/** Produce one record, and time until a long-polling fetch already waiting for it returns it. */
async function latencies(bootstrap: string, topic: string): Promise<number[]> {
  const producer = new Producer({ clientId: 'bench-latency-p', bootstrapBrokers: [bootstrap], acks: 1 });
  const consumer = new Consumer({
    clientId: 'bench-latency-c',
    groupId: 'bench-unused',
    bootstrapBrokers: [bootstrap],
  });
  const { id, node } = await topicId(consumer, topic);
  const value = Buffer.alloc(100, 1);
  await producer.send({ messages: [{ topic, partition: 0, value }] });
  let offset = 1n;
  const samples: number[] = [];
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    const fetched = consumer.fetch({
      node,
      maxWaitTime: 1000,
      minBytes: 1,
      topics: [
        {
          topicId: id,
          partitions: [
            {
              partition: 0,
              fetchOffset: offset,
              partitionMaxBytes: MIB,
              currentLeaderEpoch: -1,
              lastFetchedEpoch: -1,
            },
          ],
        },
      ],
    });
    const started = performance.now();
    await producer.send({ messages: [{ topic, partition: 0, value }] });
    const response = await fetched;
    samples.push(performance.now() - started);
    const last = response.responses[0]?.partitions[0]?.records?.at(-1);
    if (last === undefined) throw new Error(`Latency fetch ${i} returned no record`);
    offset = last.firstOffset + BigInt(last.lastOffsetDelta) + 1n;
  }
  await producer.close();
  await consumer.close();
  return samples.sort((a, b) => a - b);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}

async function createTopic(bootstrap: string, topic: string): Promise<void> {
  // The broker auto-creates topics named in Metadata (num.partitions = 1).
  const consumer = new Consumer({
    clientId: 'bench-admin',
    groupId: 'bench-unused',
    bootstrapBrokers: [bootstrap],
  });
  await consumer.metadata({ topics: [topic], autocreateTopics: true });
  await consumer.close();
}

export async function benchBroker(): Promise<BenchRow[]> {
  const broker = await BrokerProcess.start();
  const rows: BenchRow[] = [];
  try {
    const cpuStart = await broker.stats();
    const started = performance.now();
    for (const [label, bytes, records] of [
      ['100 B', 100, 200_000],
      ['1 KiB', 1024, 50_000],
    ] as const) {
      const topic = `bench-${bytes}`;
      await createTopic(broker.bootstrap, topic);
      const value = Buffer.alloc(bytes, 7);
      const produceSeconds = await produceAll(broker.bootstrap, topic, records, value);
      const consumeSeconds = await consumeAll(broker.bootstrap, topic, records);
      rows.push(
        { name: `produce ${label} records`, unit: 'records/s', value: records / produceSeconds },
        { name: `produce ${label} records`, unit: 'MB/s', value: (records * bytes) / produceSeconds / 1e6 },
        { name: `consume ${label} records`, unit: 'records/s', value: records / consumeSeconds },
        { name: `consume ${label} records`, unit: 'MB/s', value: (records * bytes) / consumeSeconds / 1e6 },
      );
    }
    const cpuEnd = await broker.stats();
    const wallSeconds = (performance.now() - started) / 1000;
    await createTopic(broker.bootstrap, 'bench-latency');
    const sorted = await latencies(broker.bootstrap, 'bench-latency');
    const after = await broker.stats();
    rows.push(
      { name: 'produce→consume latency p50', unit: 'ms', value: percentile(sorted, 0.5) },
      { name: 'produce→consume latency p99', unit: 'ms', value: percentile(sorted, 0.99) },
      { name: 'produce→consume latency p999', unit: 'ms', value: percentile(sorted, 0.999) },
      {
        name: 'broker CPU during throughput runs',
        unit: '% of one core',
        value: ((cpuEnd.cpuMicros - cpuStart.cpuMicros) / 1e6 / wallSeconds) * 100,
      },
      { name: 'broker RSS after runs', unit: 'MiB', value: after.rssBytes / MIB },
    );
  } finally {
    await broker.close();
  }
  return rows;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(
    formatRows(
      'Broker over loopback (@platformatic/kafka client, broker in its own process)',
      await benchBroker(),
    ),
  );
}
