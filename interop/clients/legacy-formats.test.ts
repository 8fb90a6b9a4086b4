// Real clients pinned to the old protocol versions that carry legacy message sets (magic 0/1):
// kafka-python with api_version (0, 9) (Produce v1 / Fetch v1, magic 0) and (0, 10, 0)
// (Produce v2 / Fetch v2, magic 1), and kcat (librdkafka) with api.version.request=false and
// broker.version.fallback=0.9.0 (Produce v1 / Fetch v1, magic 0, including Kafka's magic-0 LZ4
// framing). librdkafka 2.x asks ApiVersions whenever the fallback is 0.10.0 or later, so magic 1
// is exercised through kafka-python only. Each client produces, then reads back from the broker.
import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { type RunningBroker, startBroker } from '../../src/broker/broker.ts';
import { decodeRecordBatch } from '../../src/protocol/records/record-batch.ts';
import { interopPeers } from '../install/peers.ts';

const run = promisify(execFile);
const runTimeoutMs = 120_000;
const script = new URL('../python/legacy_formats.py', import.meta.url).pathname;
const { python, kcat } = interopPeers();
const pythonMissing = existsSync(python)
  ? false
  : `kafka-python is missing (${python}): run interop/install/python.sh (npm run interop:install)`;
const kcatMissing =
  spawnSync(kcat, ['-V']).error === undefined ? false : `${kcat} is missing: run interop/install/kcat.sh`;
const BASE_TS = 1_700_000_000_000;
const COUNT = 12;

for (const reason of [pythonMissing, kcatMissing]) {
  if (reason !== false) console.warn(`SKIPPING legacy-format interop: ${reason}`);
}

/** Runs a program with `input` on stdin, without blocking the in-process broker it talks to. */
function runWithInput(
  command: string,
  args: string[],
  input: string,
): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'ignore', 'pipe'], timeout: runTimeoutMs });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stderr }));
    child.stdin.end(input);
  });
}

/** What legacy_formats.py produced: key k<i> on even i, value v<i> except when i % 4 == 2 (null). */
function expectedRecord(
  i: number,
  timestamps: boolean,
): [number, number | null, string | null, string | null] {
  return [i, timestamps ? BASE_TS + i : null, i % 2 === 0 ? `k${i}` : null, i % 4 === 2 ? null : `v${i}`];
}

describe('legacy message formats with real clients', () => {
  let broker: RunningBroker;
  let bootstrap: string;

  before(async () => {
    broker = await startBroker();
    bootstrap = `127.0.0.1:${broker.port}`;
  });
  after(() => broker.close());

  async function storedBaseTimestamps(topic: string): Promise<bigint[]> {
    const read = await broker.services.logs.partition(topic, 0)!.read(0, 1 << 20, { minOneBatch: true });
    return read.batches.map((b) => decodeRecordBatch(b).header.baseTimestamp);
  }

  const kafkaPythonCases: [string, string, string[]][] = [
    ['0.9', 'v1', ['none', 'gzip', 'snappy', 'lz4']],
    ['0.10.0', 'v2', ['none', 'gzip', 'snappy', 'lz4']],
  ];
  for (const [apiVersion, requestVersion, codecs] of kafkaPythonCases) {
    for (const codec of codecs) {
      it(`kafka-python with api_version ${apiVersion} produces and consumes ${codec} through Produce/Fetch ${requestVersion}`, {
        skip: pythonMissing,
      }, async () => {
        const topic = `kp-${apiVersion}-${codec}`;
        await broker.services.logs.createTopic(topic, 1);
        const { stdout } = await run(python, [script, bootstrap, topic, apiVersion, codec, String(COUNT)], {
          timeout: runTimeoutMs,
        });
        const lines = stdout
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as Record<string, unknown>);
        const records = lines.filter((l) => 'record' in l).map((l) => l.record);
        const requests = lines.find((l) => 'requests' in l)?.requests;
        assert.deepEqual(requests, [`FetchRequest_${requestVersion}`, `ProduceRequest_${requestVersion}`]);
        const timestamps = apiVersion !== '0.9';
        assert.deepEqual(
          records,
          Array.from({ length: COUNT }, (_, i) => expectedRecord(i, timestamps)),
        );
        for (const ts of await storedBaseTimestamps(topic))
          assert.equal(ts, timestamps ? BigInt(BASE_TS) : -1n);
      });
    }
  }

  for (const codec of ['none', 'gzip', 'snappy', 'lz4']) {
    it(`kcat with broker.version.fallback=0.9.0 produces and consumes ${codec} through Produce/Fetch v1`, {
      skip: kcatMissing,
    }, async () => {
      const topic = `kcat-09-${codec}`;
      await broker.services.logs.createTopic(topic, 1);
      const legacy = [
        '-X',
        'api.version.request=false',
        '-X',
        'broker.version.fallback=0.9.0',
        '-d',
        'protocol',
      ];
      const input = Array.from({ length: COUNT }, (_, i) => `k${i}:value-${i}`).join('\n');
      const producer = await runWithInput(
        kcat,
        ['-b', bootstrap, '-P', '-t', topic, '-p', '0', '-K', ':', '-z', codec, ...legacy],
        input,
      );
      assert.equal(producer.status, 0, producer.stderr);
      assert.match(producer.stderr, /Sent ProduceRequest \(v1,/);
      const { stdout, stderr } = await run(
        kcat,
        [
          '-b',
          bootstrap,
          '-C',
          '-t',
          topic,
          '-p',
          '0',
          '-o',
          'beginning',
          '-e',
          '-f',
          '%o\t%k\t%s\n',
          ...legacy,
        ],
        { timeout: runTimeoutMs },
      );
      assert.match(stderr, /Sent FetchRequest \(v1,/);
      assert.doesNotMatch(stderr, /Sent (Produce|Fetch)Request \(v([2-9]|1\d)/);
      assert.deepEqual(
        stdout.trim().split('\n'),
        Array.from({ length: COUNT }, (_, i) => `${i}\tk${i}\tvalue-${i}`),
      );
      for (const ts of await storedBaseTimestamps(topic)) assert.equal(ts, -1n);
    });
  }
});
