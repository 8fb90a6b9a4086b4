import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { kafkaServerProperties, randomKafkaUuid } from './kafka-process.ts';
import { kafkaToolMainClass, kafkaToolMainClasses } from './kafka-tools.ts';

test('kafkaToolMainClass() maps script names, with or without .sh, and passes class names through', () => {
  assert.equal(kafkaToolMainClass('kafka-topics'), 'org.apache.kafka.tools.TopicCommand');
  assert.equal(kafkaToolMainClass('kafka-topics.sh'), 'org.apache.kafka.tools.TopicCommand');
  assert.equal(kafkaToolMainClass('kafka.tools.StorageTool'), 'kafka.tools.StorageTool');
  assert.throws(() => kafkaToolMainClass('kafka-nope'), /Cannot run Kafka tool 'kafka-nope'/);
});

test('kafka-tool.sh can read every entry of the tool table with its sed pattern', () => {
  const source = readFileSync(new URL('./kafka-tools.ts', import.meta.url), 'utf8');
  for (const [name, mainClass] of Object.entries(kafkaToolMainClasses)) {
    assert.ok(source.includes(`\n  '${name}': '${mainClass}',\n`), `table line for ${name} is not one line`);
  }
});

test('randomKafkaUuid() makes 22-character base64url ids that do not start with a dash', () => {
  for (let i = 0; i < 200; i++) {
    const id = randomKafkaUuid();
    assert.match(id, /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  }
});

test('kafkaServerProperties() advertises the given address and lets extra config win', () => {
  const props = kafkaServerProperties({
    port: 19092,
    controllerPort: 19093,
    dataDir: '/tmp/k',
    partitions: 4,
    flushMessages: 1,
    advertised: { host: '127.0.0.1', port: 29092 },
    config: { 'num.partitions': 8 },
  });
  assert.equal(props.listeners, 'PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093');
  assert.equal(props['advertised.listeners'], 'PLAINTEXT://127.0.0.1:29092');
  assert.equal(props['process.roles'], 'broker,controller');
  assert.equal(props['log.flush.interval.messages'], '1');
  assert.equal(props['num.partitions'], '8');
});
