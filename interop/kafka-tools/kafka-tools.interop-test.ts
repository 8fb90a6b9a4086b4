// Apache Kafka's own CLI tools (from Maven Central, see bench/kafka/install.sh) against a Sluice
// broker: kafka-topics, kafka-console-producer/-consumer, kafka-consumer-groups --describe,
// kafka-producer-perf-test and kafka-configs, each checked by what it prints and by what the
// broker then holds.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { kafkaInstallPaths } from '../../bench/kafka/kafka-install.ts';
import { runKafkaTool } from '../../bench/kafka/kafka-tools.ts';
import type { RunningBroker } from '../../src/index.ts';
import { startInteropBroker } from '../suite/interop-broker.ts';
import { committedOffsets, endOffsets } from '../suite/reference.ts';

const install = kafkaInstallPaths();
const installed = existsSync(join(install.libsDir, '.complete'));
const skip = installed
  ? {}
  : { skip: `Kafka ${install.version}'s tools are not in ${install.libsDir}: run npm run interop:install` };

const topic = 'cli-orders';
const group = 'cli-console-group';
const partitions = 6;
const consoleRecords = 600;
const perfRecords = 2000;

function sum(values: readonly bigint[]): bigint {
  return values.reduce((a, b) => a + b, 0n);
}

describe(`Kafka ${install.version} CLI tools against a Sluice broker`, skip, () => {
  let dataDir = '';
  let broker: RunningBroker;
  const tool = (name: string, args: string[], input?: string) =>
    runKafkaTool(
      name,
      ['--bootstrap-server', broker.bootstrap, ...args],
      input === undefined ? {} : { input },
    );

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sluice-interop-cli-'));
    broker = await startInteropBroker(dataDir);
  });
  after(async () => {
    await broker?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('kafka-topics --create makes a 6-partition topic that --describe and --list show', async () => {
    await tool('kafka-topics', [
      '--create',
      '--topic',
      topic,
      '--partitions',
      String(partitions),
      '--replication-factor',
      '1',
    ]);
    const described = await tool('kafka-topics', ['--describe', '--topic', topic]);
    assert.match(
      described.stdout,
      new RegExp(`Topic: ${topic}\\s+TopicId: \\S+\\s+PartitionCount: ${partitions}\\s+ReplicationFactor: 1`),
    );
    for (let p = 0; p < partitions; p++) {
      assert.match(
        described.stdout,
        new RegExp(`Topic: ${topic}\\s+Partition: ${p}\\s+Leader: ${broker.nodeId}\\s`),
      );
    }
    const listed = await tool('kafka-topics', ['--list']);
    assert.ok(listed.stdout.split('\n').includes(topic), `--list shows ${topic}:\n${listed.stdout}`);
  });

  it('kafka-console-producer writes keyed lines that kafka-console-consumer in a group reads back', async () => {
    const lines = Array.from({ length: consoleRecords }, (_, i) => `key-${i % 37}:console value ${i}`);
    await tool(
      'kafka-console-producer',
      [
        '--topic',
        topic,
        '--property',
        'parse.key=true',
        '--property',
        'key.separator=:',
        '--producer-property',
        'acks=all',
      ],
      `${lines.join('\n')}\n`,
    );
    assert.equal(sum(await endOffsets(broker.bootstrap, topic)), BigInt(consoleRecords));
    const consumed = await tool('kafka-console-consumer', [
      '--topic',
      topic,
      '--group',
      group,
      '--from-beginning',
      '--max-messages',
      String(consoleRecords),
      '--formatter-property',
      'print.key=true',
      '--formatter-property',
      'key.separator=:',
    ]);
    const got = consumed.stdout.split('\n').filter((l) => l !== '');
    assert.deepEqual(got.sort(), [...lines].sort());
  });

  it('kafka-consumer-groups --describe shows the console group at the log end with no lag', async () => {
    const ends = await endOffsets(broker.bootstrap, topic);
    assert.deepEqual(await committedOffsets(broker.bootstrap, group, topic), ends);
    const described = await tool('kafka-consumer-groups', ['--describe', '--group', group]);
    const rows = described.stdout
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .filter((cols) => cols[0] === group && cols[1] === topic);
    assert.equal(rows.length, partitions, `one row per partition:\n${described.stdout}`);
    for (const [, , partition, current, end, lag] of rows) {
      assert.equal(current, String(ends[Number(partition)]), `CURRENT-OFFSET of partition ${partition}`);
      assert.equal(end, String(ends[Number(partition)]), `LOG-END-OFFSET of partition ${partition}`);
      assert.equal(lag, '0', `LAG of partition ${partition}`);
    }
  });

  it('kafka-producer-perf-test sends a small record count that all lands in the log', async () => {
    const perfTopic = 'cli-perf';
    await tool('kafka-topics', [
      '--create',
      '--topic',
      perfTopic,
      '--partitions',
      '3',
      '--replication-factor',
      '1',
    ]);
    const perf = await runKafkaTool('kafka-producer-perf-test', [
      '--topic',
      perfTopic,
      '--num-records',
      String(perfRecords),
      '--record-size',
      '100',
      '--throughput',
      '-1',
      '--producer-props',
      `bootstrap.servers=${broker.bootstrap}`,
      'acks=all',
      'compression.type=lz4',
    ]);
    assert.match(perf.stdout, new RegExp(`${perfRecords} records sent`));
    assert.equal(sum(await endOffsets(broker.bootstrap, perfTopic)), BigInt(perfRecords));
  });

  it('kafka-configs --alter sets a topic config that --describe shows', async () => {
    const entity = ['--entity-type', 'topics', '--entity-name', topic];
    await tool('kafka-configs', ['--alter', ...entity, '--add-config', 'retention.ms=86400123']);
    const described = await tool('kafka-configs', ['--describe', ...entity]);
    assert.match(described.stdout, /retention\.ms=86400123/);
  });
});
