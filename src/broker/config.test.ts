import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadClusterMeta } from './cluster-meta.ts';
import { parseHostPort, parseProperties, propertiesFromEnv, resolveBrokerConfig } from './config.ts';

describe('broker configuration', () => {
  it('later sources win over earlier ones, and Kafka spellings are aliases', () => {
    const config = resolveBrokerConfig(
      { 'num.partitions': '2', listeners: 'PLAINTEXT://0.0.0.0:9093' },
      { 'num.partitions': '4' },
    );
    assert.equal(config.numPartitions, 4);
    assert.equal(config.listenHost, '0.0.0.0');
    assert.equal(config.listenPort, 9093);
  });

  it('broker log.* settings become topic defaults', () => {
    const config = resolveBrokerConfig({ 'log.flush.interval.messages': '1', 'log.flush.interval.ms': '50' });
    assert.equal(config.topicDefaults['flush.messages'], '1');
    assert.equal(config.topicDefaults['flush.ms'], '50');
  });

  it('rejects unknown properties and bad values, naming the property and the value', () => {
    assert.throws(
      () => resolveBrokerConfig({ 'no.such.thing': '1' }),
      /Unknown broker config 'no.such.thing'/,
    );
    assert.throws(
      () => resolveBrokerConfig({ 'num.partitions': 'x' }),
      /Invalid value 'x' for num.partitions/,
    );
    assert.throws(
      () => resolveBrokerConfig({ 'auto.create.topics.enable': 'yes' }),
      /auto.create.topics.enable/,
    );
    assert.throws(() => resolveBrokerConfig({ 'log.retention.ms': '-7' }), /retention.ms/);
    assert.throws(() => parseHostPort('nohost', 'listen'), /Invalid value 'nohost' for listen/);
  });

  it('passes group.*, offsets.* and transaction.* settings through to their subsystems', () => {
    const config = resolveBrokerConfig({ 'group.initial.rebalance.delay.ms': '0' });
    assert.deepEqual(config.passthrough, { 'group.initial.rebalance.delay.ms': '0' });
  });

  it('reads .properties text and SLUICE_* environment variables', () => {
    assert.deepEqual(parseProperties('# c\nnum.partitions = 3\n\nlisten: 1.2.3.4:5\n', 'f'), {
      'num.partitions': '3',
      listen: '1.2.3.4:5',
    });
    assert.deepEqual(propertiesFromEnv({ SLUICE_NUM_PARTITIONS: '3', HOME: '/x' }), {
      'num.partitions': '3',
    });
  });

  it('leaves the SLUICE_* variables of the client commands and tests to them', () => {
    const env = {
      SLUICE_BOOTSTRAP: '127.0.0.1:9092',
      SLUICE_HTTP: '127.0.0.1:8080',
      SLUICE_CLIENT_TARGET: 'sluice',
      SLUICE_KAFKA_TESTS: '1',
      SLUICE_LOG_LEVEL: 'warn',
    };
    assert.deepEqual(propertiesFromEnv(env), { 'log.level': 'warn' });
    assert.throws(() => resolveBrokerConfig(propertiesFromEnv({ SLUICE_NUM_PARTITONS: '3' })), /partitons/);
    assert.throws(() => parseProperties('=oops', 'f.properties'), /f.properties line 1/);
  });

  it('keeps the cluster id across starts and refuses a data directory of another node', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-meta-'));
    try {
      const first = await loadClusterMeta(dir, 1);
      assert.match(first.clusterId, /^[A-Za-z0-9_-]{22}$/);
      assert.equal((await loadClusterMeta(dir, 1)).clusterId, first.clusterId);
      await assert.rejects(loadClusterMeta(dir, 2), /belongs to node.id 1/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
