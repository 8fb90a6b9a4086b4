import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decodeConsumerGroupMetadataValue,
  decodeGroupMetadataValue,
  decodeOffsetCommitValue,
  decodeOffsetsKey,
  encodeConsumerGroupMetadataValue,
  encodeGroupMetadataValue,
  encodeOffsetCommitValue,
  encodeOffsetsKey,
  offsetsPartitionFor,
} from './offsets-records.ts';

test('an offset commit key is Kafka version 1: group, topic, partition', () => {
  const key = encodeOffsetsKey({ kind: 'offset', groupId: 'g', topic: 't', partition: 7 });
  assert.deepEqual(key, Buffer.from([0, 1, 0, 1, 0x67, 0, 1, 0x74, 0, 0, 0, 7]));
  assert.deepEqual(decodeOffsetsKey(key), { kind: 'offset', groupId: 'g', topic: 't', partition: 7 });
});

test('group and consumer-group metadata keys round-trip with versions 2 and 3', () => {
  for (const kind of ['group', 'consumerGroup'] as const) {
    const key = { kind, groupId: 'payments' };
    assert.deepEqual(decodeOffsetsKey(encodeOffsetsKey(key)), key);
  }
  assert.equal(decodeOffsetsKey(Buffer.from([0, 9, 0, 0])), undefined);
});

test('an offset commit value round-trips as v3, or v1 when it carries an expire timestamp', () => {
  const v3 = { offset: 42n, leaderEpoch: 5, metadata: 'm', commitTimestampMs: 1000, expireTimestampMs: -1 };
  const b3 = encodeOffsetCommitValue(v3);
  assert.equal(b3.readInt16BE(0), 3);
  assert.deepEqual(decodeOffsetCommitValue(b3), v3);
  const v1 = { offset: 1n, leaderEpoch: -1, metadata: '', commitTimestampMs: 1000, expireTimestampMs: 5000 };
  const b1 = encodeOffsetCommitValue(v1);
  assert.equal(b1.readInt16BE(0), 1);
  assert.deepEqual(decodeOffsetCommitValue(b1), v1);
});

test('a group metadata value round-trips with members, instance ids and assignments', () => {
  const value = {
    protocolType: 'consumer',
    generation: 3,
    protocol: 'range',
    leader: 'm1',
    currentStateTimestampMs: 12345,
    members: [
      {
        memberId: 'm1',
        groupInstanceId: 'i1',
        clientId: 'c',
        clientHost: '/127.0.0.1',
        rebalanceTimeoutMs: 60000,
        sessionTimeoutMs: 10000,
        subscription: Buffer.from([1, 2]),
        assignment: Buffer.from([3]),
      },
    ],
  };
  assert.deepEqual(decodeGroupMetadataValue(encodeGroupMetadataValue(value)), value);
  assert.deepEqual(decodeConsumerGroupMetadataValue(encodeConsumerGroupMetadataValue({ epoch: 9 })), {
    epoch: 9,
  });
});

test('offsetsPartitionFor() matches Kafka: abs(String.hashCode) modulo the partition count', () => {
  // Values from jshell: "my-group".hashCode() == -1906497762, "console-consumer-1".hashCode() == 35782224.
  assert.equal(offsetsPartitionFor('my-group', 50), 1906497762 % 50);
  assert.equal(offsetsPartitionFor('console-consumer-1', 50), 35782224 % 50);
  assert.equal(offsetsPartitionFor('', 10), 0);
});
