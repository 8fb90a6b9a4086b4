// Exactly once through a broker crash: Kafka's Java client runs a consume-transform-produce loop
// (interop/txn-java) while the broker process is killed (SIGKILL) and restarted on the same data
// directory. Read with read_committed, the output holds each input record's result exactly once.
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { kafkaCacheDir } from '../../bench/kafka/kafka-install.ts';
import { Consumer } from '../../src/client/consumer.ts';

const run = promisify(execFile);
const lib = join(kafkaCacheDir(), 'interop', 'java', 'lib');
const skip = existsSync(lib) ? false : `${lib} is missing: run \`bash interop/install/java.sh\``;
const RECORDS = 300;
const PARTITIONS = 3;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('Cannot find a free port');
  return address.port;
}

function startBrokerProcess(dataDir: string, port: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', new URL('./broker-child.ts', import.meta.url).pathname, dataDir, String(port)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`Broker process exited with ${code} before it was ready`)));
  });
}

async function committedInputs(kafka: Kafka): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchOffsets({ groupId: 'ctp', topics: ['ctp-in'] });
    return (offsets[0]?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  } finally {
    await admin.disconnect();
  }
}

describe('exactly-once consume-transform-produce with the Java client', { skip }, () => {
  let dataDir: string;
  let port: number;
  let broker: ChildProcess | undefined;
  let bootstrap: string;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sluice-ctp-'));
    port = await freePort();
    bootstrap = `127.0.0.1:${port}`;
    broker = await startBrokerProcess(dataDir, port);
  });
  after(async () => {
    if (broker !== undefined && broker.exitCode === null) {
      const stopped = new Promise((resolve) => broker?.once('exit', resolve));
      broker.kill('SIGTERM');
      await stopped;
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  it('holds each input record’s result exactly once after the broker is killed mid-way', async () => {
    const { stdout: classes } = await run('bash', [
      new URL('../txn-java/build.sh', import.meta.url).pathname,
    ]);
    const kafka = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 20 } });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: ['ctp-in', 'ctp-out'].map((topic) => ({ topic, numPartitions: PARTITIONS })),
    });
    await admin.disconnect();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const inputs = Array.from({ length: RECORDS }, (_, i) => `v${i}`);
    await producer.send({ topic: 'ctp-in', messages: inputs.map((value, i) => ({ key: `k${i}`, value })) });
    await producer.disconnect();

    const java = spawn(
      'java',
      [
        '-Xmx256m',
        '-cp',
        `${classes.trim()}:${lib}/*`,
        'ConsumeTransformProduce',
        bootstrap,
        'ctp-in',
        'ctp-out',
        'ctp',
        'ctp-writer',
        String(RECORDS),
        '40',
        '120000',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let javaOut = '';
    let javaErr = '';
    java.stdout.on('data', (c: Buffer) => {
      javaOut += c.toString();
    });
    java.stderr.on('data', (c: Buffer) => {
      javaErr += c.toString();
    });
    const exited = new Promise<number | null>((resolve) => java.on('exit', resolve));

    // Bounded by the Java program's own deadline: it exits (and we stop waiting) by then.
    let progress = 0;
    while (progress === 0) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      progress = await committedInputs(kafka);
    }
    assert.ok(progress < RECORDS, `the loop finished (${progress}) before the broker could be killed`);
    broker?.kill('SIGKILL');
    await new Promise((resolve) => broker?.once('exit', resolve));
    broker = await startBrokerProcess(dataDir, port);

    const code = await exited;
    assert.equal(code, 0, `Java program failed: ${javaOut}\n${javaErr}`);

    const reader = new Consumer({ bootstrap, isolationLevel: 'read_committed', autoOffsetReset: 'earliest' });
    reader.assign(Array.from({ length: PARTITIONS }, (_, partition) => ({ topic: 'ctp-out', partition })));
    const outputs: string[] = [];
    for (let batch = await reader.nextBatch(2_000); batch !== null; batch = await reader.nextBatch(2_000)) {
      for (const r of batch.records) outputs.push(r.value?.toString() ?? '');
    }
    await reader.close();
    assert.deepEqual(outputs.sort(), inputs.map((v) => `out-${v}`).sort());
  });
});
