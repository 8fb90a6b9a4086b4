// Keys and values of the records in __consumer_offsets, in Kafka's own formats (the
// group-coordinator module's OffsetCommitKey/Value, GroupMetadataKey/Value and
// ConsumerGroupMetadataKey/Value descriptors), so the topic's bytes mean the same thing to Kafka
// tooling. Each key and value opens with an int16 version; a null value is a tombstone.
//   key v0/v1  OffsetCommitKey     group, topic, partition
//   key v2     GroupMetadataKey    group                     (classic groups)
//   key v3     ConsumerGroupMetadataKey group                (KIP-848 groups: the group epoch only)
// Values written: OffsetCommitValue v3 (v1 when an explicit expire timestamp is kept),
// GroupMetadataValue v3, ConsumerGroupMetadataValue v0; GroupMetadataValue v0-v4 are read.
import { readTagCount } from '../protocol/codec-support.ts';
import { ProtocolError } from '../protocol/errors.ts';
import { Reader } from '../protocol/reader.ts';
import { Writer } from '../protocol/writer.ts';

export interface OffsetCommitRecordKey {
  kind: 'offset';
  groupId: string;
  topic: string;
  partition: number;
}
export interface GroupMetadataRecordKey {
  kind: 'group';
  groupId: string;
}
export interface ConsumerGroupMetadataRecordKey {
  kind: 'consumerGroup';
  groupId: string;
}
export type OffsetsRecordKey =
  | OffsetCommitRecordKey
  | GroupMetadataRecordKey
  | ConsumerGroupMetadataRecordKey;

export interface OffsetCommitRecordValue {
  offset: bigint;
  leaderEpoch: number;
  metadata: string;
  commitTimestampMs: number;
  /** Set only by OffsetCommit v2–v4 with an explicit retention time; else -1. */
  expireTimestampMs: number;
}

export interface GroupMemberRecord {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  subscription: Buffer;
  assignment: Buffer;
}

export interface GroupMetadataRecordValue {
  protocolType: string;
  generation: number;
  protocol: string | null;
  leader: string | null;
  currentStateTimestampMs: number;
  members: GroupMemberRecord[];
}

export interface ConsumerGroupMetadataRecordValue {
  epoch: number;
}

export function encodeOffsetsKey(key: OffsetsRecordKey): Buffer {
  const w = new Writer(64);
  switch (key.kind) {
    case 'offset':
      w.int16(1).string(key.groupId).string(key.topic).int32(key.partition);
      break;
    case 'group':
      w.int16(2).string(key.groupId);
      break;
    case 'consumerGroup':
      w.int16(3).string(key.groupId);
      break;
  }
  return w.toBuffer();
}

/** Decodes a key; returns undefined for record kinds Sluice does not use (share groups, ...). */
export function decodeOffsetsKey(buf: Buffer): OffsetsRecordKey | undefined {
  const r = new Reader(buf);
  const version = r.int16();
  switch (version) {
    case 0:
    case 1:
      return { kind: 'offset', groupId: r.string(), topic: r.string(), partition: r.int32() };
    case 2:
      return { kind: 'group', groupId: r.string() };
    case 3:
      return { kind: 'consumerGroup', groupId: r.string() };
    default:
      return undefined;
  }
}

export function encodeOffsetCommitValue(v: OffsetCommitRecordValue): Buffer {
  const w = new Writer(64);
  if (v.expireTimestampMs >= 0) {
    w.int16(1)
      .int64(v.offset)
      .string(v.metadata)
      .int64(BigInt(v.commitTimestampMs))
      .int64(BigInt(v.expireTimestampMs));
  } else {
    w.int16(3).int64(v.offset).int32(v.leaderEpoch).string(v.metadata).int64(BigInt(v.commitTimestampMs));
  }
  return w.toBuffer();
}

export function decodeOffsetCommitValue(buf: Buffer): OffsetCommitRecordValue {
  const r = new Reader(buf);
  const version = r.int16();
  if (version < 0 || version > 4) {
    throw new ProtocolError(
      'unsupported_version',
      `Cannot decode OffsetCommitValue: version ${version} is not 0-4`,
    );
  }
  const offset = r.int64();
  const leaderEpoch = version >= 3 ? r.int32() : -1;
  const metadata = version >= 4 ? r.compactString() : r.string();
  const commitTimestampMs = Number(r.int64());
  const expireTimestampMs = version === 1 ? Number(r.int64()) : -1;
  return { offset, leaderEpoch, metadata, commitTimestampMs, expireTimestampMs };
}

export function encodeGroupMetadataValue(v: GroupMetadataRecordValue): Buffer {
  const w = new Writer(256);
  w.int16(3).string(v.protocolType).int32(v.generation).nullableString(v.protocol).nullableString(v.leader);
  w.int64(BigInt(v.currentStateTimestampMs)).int32(v.members.length);
  for (const m of v.members) {
    w.string(m.memberId).nullableString(m.groupInstanceId).string(m.clientId).string(m.clientHost);
    w.int32(m.rebalanceTimeoutMs).int32(m.sessionTimeoutMs).bytes(m.subscription).bytes(m.assignment);
  }
  return w.toBuffer();
}

export function decodeGroupMetadataValue(buf: Buffer): GroupMetadataRecordValue {
  const r = new Reader(buf);
  const version = r.int16();
  if (version < 0 || version > 4) {
    throw new ProtocolError(
      'unsupported_version',
      `Cannot decode GroupMetadataValue: version ${version} is not 0-4`,
    );
  }
  // v4 (written by newer Kafka) is flexible: compact strings, bytes and arrays, tagged fields.
  const flex = version >= 4;
  const str = () => (flex ? r.compactString() : r.string());
  const nullableStr = () => (flex ? r.compactNullableString() : r.nullableString());
  const bytes = () => Buffer.from(flex ? r.compactBytes() : r.bytes());
  const protocolType = str();
  const generation = r.int32();
  const protocol = nullableStr();
  const leader = nullableStr();
  const currentStateTimestampMs = version >= 2 ? Number(r.int64()) : -1;
  const count = r.arrayLength(flex, false, 'GroupMetadataValue members');
  const members: GroupMemberRecord[] = [];
  for (let i = 0; i < count; i++) {
    const memberId = str();
    const groupInstanceId = version >= 3 ? nullableStr() : null;
    const clientId = str();
    const clientHost = str();
    const rebalanceTimeoutMs = version >= 1 ? r.int32() : -1;
    const sessionTimeoutMs = r.int32();
    const subscription = bytes();
    const assignment = bytes();
    if (flex) skipTaggedFields(r);
    members.push({
      memberId,
      groupInstanceId,
      clientId,
      clientHost,
      rebalanceTimeoutMs,
      sessionTimeoutMs,
      subscription,
      assignment,
    });
  }
  if (flex) skipTaggedFields(r);
  return { protocolType, generation, protocol, leader, currentStateTimestampMs, members };
}

/** Skips a tagged-field section (none of GroupMetadataValue's tags are known). */
function skipTaggedFields(r: Reader): void {
  for (let n = readTagCount(r); n > 0; n--) {
    r.uvarint();
    r.raw(r.uvarint());
  }
}

export function encodeConsumerGroupMetadataValue(v: ConsumerGroupMetadataRecordValue): Buffer {
  // Version 0 is flexible: the epoch, then an empty tagged-field section.
  return new Writer(8).int16(0).int32(v.epoch).uvarint(0).toBuffer();
}

export function decodeConsumerGroupMetadataValue(buf: Buffer): ConsumerGroupMetadataRecordValue {
  const r = new Reader(buf);
  const version = r.int16();
  if (version !== 0) {
    throw new ProtocolError(
      'unsupported_version',
      `Cannot decode ConsumerGroupMetadataValue: version ${version} is not 0`,
    );
  }
  return { epoch: r.int32() };
}

/**
 * The __consumer_offsets partition of a group: abs(Java String.hashCode(groupId)) % partitions,
 * as Kafka computes it, so a group lands on the same partition number as it would in Kafka.
 */
export function offsetsPartitionFor(groupId: string, partitions: number): number {
  let hash = 0;
  for (let i = 0; i < groupId.length; i++) hash = (Math.imul(hash, 31) + groupId.charCodeAt(i)) | 0;
  // Kafka's Utils.abs maps Integer.MIN_VALUE to 0 rather than overflowing.
  const abs = hash === -2147483648 ? 0 : Math.abs(hash);
  return abs % partitions;
}
