import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Writer } from '../protocol/writer.ts';
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

test('a group metadata value written by newer Kafka (v4, flexible) and by old Kafka (v0) decodes', () => {
  // v4: compact strings, bytes and arrays, each member and the value ending in tagged fields
  // (an unknown tag 7 here, skipped).
  const w = new Writer(128);
  w.int16(4).compactString('consumer').int32(5).compactNullableString('range').compactNullableString('m1');
  w.int64(777n).arrayLength(1, true);
  w.compactString('m1').compactNullableString(null).compactString('c').compactString('/10.0.0.1');
  w.int32(30000)
    .int32(10000)
    .compactBytes(Buffer.from([1]))
    .compactBytes(Buffer.from([2, 3]));
  w.uvarint(1)
    .uvarint(7)
    .uvarint(2)
    .raw(Buffer.from([9, 9]));
  w.uvarint(0);
  assert.deepEqual(decodeGroupMetadataValue(w.toBuffer()), {
    protocolType: 'consumer',
    generation: 5,
    protocol: 'range',
    leader: 'm1',
    currentStateTimestampMs: 777,
    members: [
      {
        memberId: 'm1',
        groupInstanceId: null,
        clientId: 'c',
        clientHost: '/10.0.0.1',
        rebalanceTimeoutMs: 30000,
        sessionTimeoutMs: 10000,
        subscription: Buffer.from([1]),
        assignment: Buffer.from([2, 3]),
      },
    ],
  });
  // v0: no state timestamp, instance id or rebalance timeout.
  const v0 = new Writer(64);
  v0.int16(0).string('consumer').int32(2).nullableString('range').nullableString('m1').int32(1);
  v0.string('m1')
    .string('c')
    .string('/h')
    .int32(6000)
    .bytes(Buffer.from([1]))
    .bytes(Buffer.from([2]));
  const decoded = decodeGroupMetadataValue(v0.toBuffer());
  assert.equal(decoded.currentStateTimestampMs, -1);
  assert.equal(decoded.members[0]?.rebalanceTimeoutMs, -1);
  assert.equal(decoded.members[0]?.sessionTimeoutMs, 6000);
  assert.throws(() => decodeGroupMetadataValue(Buffer.from([0, 5])), /version 5 is not 0-4/);
});
