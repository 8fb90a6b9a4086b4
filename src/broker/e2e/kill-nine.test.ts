// The durability promise, tested with a real crash: a `sluice broker` process is killed with
// SIGKILL while an idempotent producer writes with acks=all to a topic with flush.messages=1.
// After a restart on the same data directory, every acknowledged record must be there, at the
// offset it was acknowledged with, holding the value that was sent.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Admin, Consumer, Producer } from '../../client/index.ts';

const TOPIC = 'durable';
const PARTITIONS = 3;
const ACKED_BEFORE_KILL = 400;
const READY_WAIT_MS_MAX = 20_000;
const bin = new URL('../../../bin/sluice.js', import.meta.url).pathname;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_WAIT_MS_MAX;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`broker exited with code ${child.exitCode} before listening`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`broker did not listen on 127.0.0.1:${port} within ${READY_WAIT_MS_MAX} ms`);
}

async function startBrokerProcess(dataDir: string, port: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      bin,
      'broker',
      '--data-dir',
      dataDir,
      '--listen',
      `127.0.0.1:${port}`,
      '--log-level',
      'warn',
      '--log-format',
      'json',
      // No dashboard: its default port 8080 may be taken by a broker a developer is running.
      '--http',
      'off',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  await waitForPort(port, child);
  return child;
}

async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

interface Acked {
  partition: number;
  offset: bigint;
  value: string;
}

async function produceUntilKilled(bootstrap: string, child: ChildProcess): Promise<Acked[]> {
  const producer = new Producer({
    bootstrap,
    acks: 'all',
    lingerMs: 1,
    deliveryTimeoutMs: 5_000,
    retry: { attemptsMax: 1 },
  });
  const acked: Acked[] = [];
  let sent = 0;
  const inFlight = new Set<Promise<void>>();
  // Keep a window of sends in flight so the kill lands while some are unacknowledged.
  while (acked.length < ACKED_BEFORE_KILL) {
    const value = `value-${sent}`;
    const p = producer
      .send({ topic: TOPIC, key: `key-${sent % 50}`, value })
      .then((meta) => {
        acked.push({ partition: meta.partition, offset: meta.offset, value });
      })
      .catch(() => {
        // Unacknowledged: the broker may or may not have kept it; nothing is promised.
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
    sent++;
    if (inFlight.size >= 32) await Promise.race(inFlight);
  }
  await killHard(child);
  await Promise.allSettled([...inFlight]);
  await producer.close().catch(() => {});
  return acked;
}

async function readEverything(bootstrap: string): Promise<Map<string, string>> {
  const consumer = new Consumer({ bootstrap, autoOffsetReset: 'earliest' });
  const seen = new Map<string, string>();
  try {
    consumer.assign(Array.from({ length: PARTITIONS }, (_, partition) => ({ topic: TOPIC, partition })));
    await consumer.seekToBeginning();
    const admin = new Admin({ bootstrap });
    const ends = await admin.listOffsets(
      Array.from({ length: PARTITIONS }, (_, partition) => ({
        topic: TOPIC,
        partition,
        spec: 'latest' as const,
      })),
    );
    await admin.close();
    const total = ends.reduce((n, e) => n + Number(e.offset), 0);
    while (seen.size < total) {
      const batch = await consumer.nextBatch(10_000);
      if (batch === null) break;
      for (const r of batch.records) seen.set(`${r.partition}:${r.offset}`, r.value?.toString() ?? '');
    }
  } finally {
    await consumer.close();
  }
  return seen;
}

test('every record acknowledged with acks=all and flush.messages=1 survives kill -9 of the broker', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'sluice-kill9-'));
  const port = await freePort();
  const bootstrap = `127.0.0.1:${port}`;
  let child = await startBrokerProcess(dataDir, port);
  try {
    const admin = new Admin({ bootstrap });
    await admin.createTopics([{ topic: TOPIC, partitions: PARTITIONS, configs: { 'flush.messages': '1' } }]);
    await admin.close();

    const acked = await produceUntilKilled(bootstrap, child);
    assert.ok(acked.length >= ACKED_BEFORE_KILL, `only ${acked.length} records were acknowledged`);

    child = await startBrokerProcess(dataDir, port);
    const stored = await readEverything(bootstrap);
    const missing = acked.filter((a) => stored.get(`${a.partition}:${a.offset}`) !== a.value);
    assert.deepEqual(
      missing.slice(0, 5),
      [],
      `${missing.length} of ${acked.length} acknowledged records are missing or different after the crash`,
    );
  } finally {
    await killHard(child);
    await rm(dataDir, { recursive: true, force: true });
  }
});
