import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import kafkajs, { type Admin } from 'kafkajs';

const { ConfigResourceTypes, Kafka, logLevel } = kafkajs;

import { ErrorCode } from '../../protocol/error-codes.ts';
import { ApiKey } from '../../protocol/generated/apis.ts';
import type { CreateTopicsResponse } from '../../protocol/generated/create-topics-response.ts';
import type { DeleteTopicsResponse } from '../../protocol/generated/delete-topics-response.ts';
import type { DescribeConfigsResponse } from '../../protocol/generated/describe-configs-response.ts';
import type { DescribeLogDirsResponse } from '../../protocol/generated/describe-log-dirs-response.ts';
import type { IncrementalAlterConfigsResponse } from '../../protocol/generated/incremental-alter-configs-response.ts';
import { type RunningBroker, startBroker } from '../broker.ts';
import { valuesBatch } from '../testing/batches.ts';
import { WireClient } from '../testing/wire-client.ts';

function createTopic(
  name: string,
  numPartitions: number,
  replicationFactor = 1,
  configs: { name: string; value: string }[] = [],
) {
  return { name, numPartitions, replicationFactor, assignments: [], configs };
}

describe('admin handlers', () => {
  let broker: RunningBroker;
  let admin: Admin;
  let client: WireClient;

  before(async () => {
    broker = await startBroker({ config: { 'log.retention.ms': '3600000' } });
    admin = new Kafka({
      clientId: 'admin-test',
      brokers: [broker.bootstrap],
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    client = await WireClient.connect(broker.port);
  });
  after(async () => {
    await client.close();
    await admin.disconnect();
    await broker.close();
  });

  it('CreateTopics validates names, partitions, replication factor and configs, creating nothing when validateOnly', async () => {
    const response = await client.request<CreateTopicsResponse>(ApiKey.CreateTopics, 7, {
      timeoutMs: 1000,
      validateOnly: true,
      topics: [
        createTopic('fine', 3, 1, [{ name: 'cleanup.policy', value: 'compact' }]),
        createTopic('bad name!', 1),
        createTopic('zero', 0),
        createTopic('replicated', 1, 3),
        createTopic('badconfig', 1, 1, [{ name: 'retention.ms', value: 'soon' }]),
        createTopic('unknownconfig', 1, 1, [{ name: 'no.such', value: '1' }]),
      ],
    });
    assert.deepEqual(
      response.topics.map((t) => [t.name, t.errorCode]),
      [
        ['fine', ErrorCode.none],
        ['bad name!', ErrorCode.invalidTopicException],
        ['zero', ErrorCode.invalidPartitions],
        ['replicated', ErrorCode.invalidReplicationFactor],
        ['badconfig', ErrorCode.invalidConfig],
        ['unknownconfig', ErrorCode.invalidConfig],
      ],
    );
    assert.match(response.topics[4]?.errorMessage ?? '', /retention.ms/);
    assert.equal(response.topics[0]?.numPartitions, 3);
    assert.equal(response.topics[0]?.configs?.find((c) => c.name === 'cleanup.policy')?.value, 'compact');
    assert.equal(broker.services.logs.describeTopic('fine'), undefined);
  });

  it('kafkajs creates, grows, describes, alters and deletes a topic', async () => {
    await admin.createTopics({
      topics: [
        { topic: 'lifecycle', numPartitions: 2, configEntries: [{ name: 'retention.ms', value: '60000' }] },
      ],
    });
    await admin.createPartitions({ topicPartitions: [{ topic: 'lifecycle', count: 4 }] });
    assert.equal(broker.services.logs.describeTopic('lifecycle')?.partitions, 4);
    const described = await admin.describeConfigs({
      includeSynonyms: true,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: 'lifecycle' }],
    });
    const entries = described.resources[0]?.configEntries ?? [];
    assert.equal(entries.find((e) => e.configName === 'retention.ms')?.configValue, '60000');
    assert.equal(entries.find((e) => e.configName === 'cleanup.policy')?.configValue, 'delete');
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: 'lifecycle',
          configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
        },
      ],
    });
    assert.deepEqual(broker.services.logs.describeTopic('lifecycle')?.configs, {
      'cleanup.policy': 'compact',
    });
    await admin.deleteTopics({ topics: ['lifecycle'] });
    assert.equal(broker.services.logs.describeTopic('lifecycle'), undefined);
  });

  it('DescribeConfigs shows a broker log.* setting as the source of a topic default', async () => {
    await broker.services.logs.createTopic('sourced', 1);
    const response = await client.request<DescribeConfigsResponse>(ApiKey.DescribeConfigs, 4, {
      includeSynonyms: true,
      includeDocumentation: true,
      resources: [{ resourceType: 2, resourceName: 'sourced', configurationKeys: ['retention.ms'] }],
    });
    const entry = response.results[0]?.configs[0];
    assert.equal(entry?.value, '3600000');
    assert.equal(entry?.configSource, 4);
    assert.deepEqual(
      entry?.synonyms.map((s) => s.name),
      ['log.retention.ms', 'log.retention.ms'],
    );
    assert.ok((entry?.documentation ?? '').length > 0);
  });

  it('IncrementalAlterConfigs sets, appends to a list and deletes overrides', async () => {
    await broker.services.logs.createTopic('incremental', 1);
    const alter = (configs: { name: string; configOperation: number; value: string | null }[]) =>
      client.request<IncrementalAlterConfigsResponse>(ApiKey.IncrementalAlterConfigs, 1, {
        validateOnly: false,
        resources: [{ resourceType: 2, resourceName: 'incremental', configs }],
      });
    assert.equal(
      (await alter([{ name: 'cleanup.policy', configOperation: 2, value: 'compact' }])).responses[0]
        ?.errorCode,
      0,
    );
    assert.deepEqual(broker.services.logs.describeTopic('incremental')?.configs, {
      'cleanup.policy': 'delete,compact',
    });
    assert.equal(
      (await alter([{ name: 'retention.ms', configOperation: 2, value: '5' }])).responses[0]?.errorCode,
      ErrorCode.invalidConfig,
    );
    await alter([
      { name: 'cleanup.policy', configOperation: 1, value: null },
      { name: 'retention.ms', configOperation: 0, value: '5000' },
    ]);
    assert.deepEqual(broker.services.logs.describeTopic('incremental')?.configs, { 'retention.ms': '5000' });
  });

  it('DeleteRecords moves the log start offset and ListOffsets earliest follows it', async () => {
    await broker.services.logs.createTopic('trim', 1);
    await broker.services.logs.partition('trim', 0)?.append(await valuesBatch('x', 10));
    // kafkajs's deleteTopicRecords needs the topic's metadata cached, which fetchTopicOffsets loads.
    assert.deepEqual(
      (await admin.fetchTopicOffsets('trim')).map((o) => [o.low, o.high]),
      [['0', '10']],
    );
    await admin.deleteTopicRecords({ topic: 'trim', partitions: [{ partition: 0, offset: '4' }] });
    const offsets = await admin.fetchTopicOffsets('trim');
    assert.deepEqual(
      offsets.map((o) => [o.low, o.high]),
      [['4', '10']],
    );
  });

  it('DeleteTopics v6 deletes by topic id and answers UNKNOWN_TOPIC_ID for an unknown one', async () => {
    const topic = await broker.services.logs.createTopic('by-id', 1);
    const response = await client.request<DeleteTopicsResponse>(ApiKey.DeleteTopics, 6, {
      timeoutMs: 1000,
      topicNames: [],
      topics: [
        { name: null, topicId: topic.topicId },
        { name: null, topicId: 'AAAAAAAAAAAAAAAAAAAAAQ' },
      ],
    });
    assert.deepEqual(
      response.responses.map((r) => [r.name, r.errorCode]),
      [
        ['by-id', 0],
        [null, ErrorCode.unknownTopicId],
      ],
    );
    assert.equal(broker.services.logs.describeTopic('by-id'), undefined);
  });

  it('DescribeCluster and DescribeLogDirs describe this node and its data directory', async () => {
    const cluster = await admin.describeCluster();
    assert.equal(cluster.clusterId, broker.clusterId);
    assert.deepEqual(
      cluster.brokers.map((b) => b.nodeId),
      [broker.nodeId],
    );
    await broker.services.logs.createTopic('sized', 1);
    await broker.services.logs.partition('sized', 0)?.append(await valuesBatch('x', 3));
    const dirs = await client.request<DescribeLogDirsResponse>(ApiKey.DescribeLogDirs, 4, {
      topics: [{ topic: 'sized', partitions: [0] }],
    });
    const result = dirs.results[0];
    assert.ok((result?.topics[0]?.partitions[0]?.partitionSize ?? 0n) > 0n);
    assert.ok((result?.totalBytes ?? 0n) > 0n);
  });
});
