// Starts a real Apache Kafka: slow (JVM start, ~5-10 s) and needs Java and the install from
// bench/kafka/install.sh, so it runs only with SLUICE_KAFKA_TESTS=1.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { startRecordingProxy } from '../../interop/capture/recording-proxy.ts';
import { freeLoopbackPort, probeApiVersions, startKafka } from './kafka-process.ts';
import { runKafkaTool } from './kafka-tools.ts';

const skip =
  process.env.SLUICE_KAFKA_TESTS === '1' ? false : 'set SLUICE_KAFKA_TESTS=1 to start a real Kafka';

test('startKafka() serves requests, runs CLI tools against it, and stop() ends the JVM', {
  skip,
}, async () => {
  const kafka = await startKafka({ partitions: 2, heapMb: 512 });
  try {
    await probeApiVersions(kafka.port, 5_000);
    await runKafkaTool('kafka-topics', ['--bootstrap-server', kafka.bootstrap, '--create', '--topic', 't1']);
    const described = await runKafkaTool('kafka-topics', [
      '--bootstrap-server',
      kafka.bootstrap,
      '--describe',
    ]);
    assert.match(described.stdout, /Topic: t1\s+TopicId: \S+\s+PartitionCount: 2/);
  } finally {
    await kafka.stop();
  }
  assert.throws(() => process.kill(kafka.pid, 0), /ESRCH/);
});

test('a broker advertising the recording proxy sends all client traffic through it', { skip }, async () => {
  const proxyPort = await freeLoopbackPort();
  const kafka = await startKafka({ advertised: { host: '127.0.0.1', port: proxyPort }, heapMb: 512 });
  const proxy = await startRecordingProxy({
    listenPort: proxyPort,
    brokerHost: '127.0.0.1',
    brokerPort: kafka.port,
  });
  try {
    const client = new Kafka({ brokers: [`127.0.0.1:${proxyPort}`], logLevel: logLevel.NOTHING });
    const producer = client.producer();
    await producer.connect();
    await producer.send({ topic: 'via-proxy', messages: [{ value: 'x' }] });
    await producer.disconnect();
    const produce = proxy.frames.filter((f) => f.apiKey === 0);
    assert.deepEqual(
      produce.map((f) => f.direction),
      ['request', 'response'],
    );
    assert.equal(proxy.unmatchedResponses, 0);
  } finally {
    await proxy.stop();
    await kafka.stop();
  }
});
