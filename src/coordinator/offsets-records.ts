// Keys and values of the records in __consumer_offsets, in Kafka's own formats (the
// group-coordinator module's OffsetCommitKey/Value, GroupMetadataKey/Value and
// ConsumerGroupMetadataKey/Value descriptors), so the topic's bytes mean the same thing to Kafka
// tooling. Each key and value opens with an int16 version; a null value is a tombstone.
//   key v0/v1  OffsetCommitKey     group, topic, partition
//   key v2     GroupMetadataKey    group                     (classic groups)
//   key v3     ConsumerGroupMetadataKey group                (KIP-848 groups: the group epoch)
//   key v5     ConsumerGroupMemberMetadataKey group, member  (subscription, ids, rebalance timeout)
//   key v6     ConsumerGroupTargetAssignmentMetadataKey group (the assignment epoch)
//   key v7     ConsumerGroupTargetAssignmentMemberKey group, member (the member's target)
//   key v8     ConsumerGroupCurrentMemberAssignmentKey group, member (epochs, state, partitions)
// Values written: OffsetCommitValue v3 (v1 when an explicit expire timestamp is kept),
// GroupMetadataValue v3, ConsumerGroupMetadataValue v0 and the KIP-848 member values v0 (all
// flexible); GroupMetadataValue v0-v4 are read. Key v4 (ConsumerGroupPartitionMetadata, dropped
// by Kafka 4.1 for a metadata hash) is ignored.
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
/** The per-member KIP-848 records, keyed by group and member. */
export interface ConsumerMemberRecordKey {
  kind: 'consumerMember' | 'consumerTargetMember' | 'consumerCurrentAssignment';
  groupId: string;
  memberId: string;
}
export interface ConsumerTargetMetadataRecordKey {
  kind: 'consumerTargetMetadata';
  groupId: string;
}
export type OffsetsRecordKey =
  | OffsetCommitRecordKey
  | GroupMetadataRecordKey
  | ConsumerGroupMetadataRecordKey
  | ConsumerMemberRecordKey
  | ConsumerTargetMetadataRecordKey;

const memberKeyVersions = {
  consumerMember: 5,
  consumerTargetMember: 7,
  consumerCurrentAssignment: 8,
} as const;

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
    case 'consumerTargetMetadata':
      w.int16(6).string(key.groupId);
      break;
    default:
      w.int16(memberKeyVersions[key.kind]).string(key.groupId).string(key.memberId);
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
    case 5:
      return { kind: 'consumerMember', groupId: r.string(), memberId: r.string() };
    case 6:
      return { kind: 'consumerTargetMetadata', groupId: r.string() };
    case 7:
      return { kind: 'consumerTargetMember', groupId: r.string(), memberId: r.string() };
    case 8:
      return { kind: 'consumerCurrentAssignment', groupId: r.string(), memberId: r.string() };
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

/** Skips a tagged-field section whose tags Sluice does not use. */
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

/** ConsumerGroupMemberMetadataValue v0: who the member is and what it subscribes to. */
export interface ConsumerMemberMetadataRecordValue {
  instanceId: string | null;
  rackId: string | null;
  clientId: string;
  clientHost: string;
  subscribedTopicNames: string[];
  subscribedTopicRegex: string | null;
  rebalanceTimeoutMs: number;
  serverAssignor: string | null;
}

/** Partitions of one topic; `assignmentEpochs` (KIP-1251, tag 0) aligned with `partitions`. */
export interface TopicPartitionsRecord {
  topicId: string;
  partitions: number[];
  assignmentEpochs: number[] | null;
}

/** ConsumerGroupCurrentMemberAssignmentValue v0. State: 0 stable, 1 unrevoked, 2 unreleased. */
export interface ConsumerCurrentAssignmentRecordValue {
  memberEpoch: number;
  previousMemberEpoch: number;
  state: number;
  assignedPartitions: TopicPartitionsRecord[];
  partitionsPendingRevocation: TopicPartitionsRecord[];
}

function openValue(buf: Buffer, name: string): Reader {
  const r = new Reader(buf);
  const version = r.int16();
  if (version !== 0) {
    throw new ProtocolError('unsupported_version', `Cannot decode ${name}: version ${version} is not 0`);
  }
  return r;
}

export function encodeConsumerMemberMetadataValue(v: ConsumerMemberMetadataRecordValue): Buffer {
  const w = new Writer(128);
  w.int16(0).compactNullableString(v.instanceId).compactNullableString(v.rackId);
  w.compactString(v.clientId).compactString(v.clientHost);
  w.arrayLength(v.subscribedTopicNames.length, true);
  for (const name of v.subscribedTopicNames) w.compactString(name);
  w.compactNullableString(v.subscribedTopicRegex).int32(v.rebalanceTimeoutMs);
  // No ClassicMemberMetadata (tag 0): Sluice's KIP-848 members all use the consumer protocol.
  w.compactNullableString(v.serverAssignor).uvarint(0);
  return w.toBuffer();
}

export function decodeConsumerMemberMetadataValue(buf: Buffer): ConsumerMemberMetadataRecordValue {
  const r = openValue(buf, 'ConsumerGroupMemberMetadataValue');
  const instanceId = r.compactNullableString();
  const rackId = r.compactNullableString();
  const clientId = r.compactString();
  const clientHost = r.compactString();
  const count = r.arrayLength(true, false, 'ConsumerGroupMemberMetadataValue SubscribedTopicNames');
  const subscribedTopicNames: string[] = [];
  for (let i = 0; i < count; i++) subscribedTopicNames.push(r.compactString());
  const subscribedTopicRegex = r.compactNullableString();
  const rebalanceTimeoutMs = r.int32();
  const serverAssignor = r.compactNullableString();
  skipTaggedFields(r);
  return {
    instanceId,
    rackId,
    clientId,
    clientHost,
    subscribedTopicNames,
    subscribedTopicRegex,
    rebalanceTimeoutMs,
    serverAssignor,
  };
}

/** ConsumerGroupTargetAssignmentMetadataValue v0 (the AssignmentTimestamp tag is not written). */
export function encodeConsumerTargetMetadataValue(assignmentEpoch: number): Buffer {
  return new Writer(8).int16(0).int32(assignmentEpoch).uvarint(0).toBuffer();
}

export function decodeConsumerTargetMetadataValue(buf: Buffer): number {
  return openValue(buf, 'ConsumerGroupTargetAssignmentMetadataValue').int32();
}

/** ConsumerGroupTargetAssignmentMemberValue v0: the member's target partitions. */
export function encodeConsumerTargetMemberValue(partitions: readonly TopicPartitionsRecord[]): Buffer {
  const w = new Writer(64).int16(0);
  writeTopicPartitions(w, partitions, false);
  return w.uvarint(0).toBuffer();
}

export function decodeConsumerTargetMemberValue(buf: Buffer): TopicPartitionsRecord[] {
  const r = openValue(buf, 'ConsumerGroupTargetAssignmentMemberValue');
  const out = readTopicPartitions(r, 'ConsumerGroupTargetAssignmentMemberValue TopicPartitions');
  skipTaggedFields(r);
  return out;
}

export function encodeConsumerCurrentAssignmentValue(v: ConsumerCurrentAssignmentRecordValue): Buffer {
  const w = new Writer(64).int16(0).int32(v.memberEpoch).int32(v.previousMemberEpoch).int8(v.state);
  writeTopicPartitions(w, v.assignedPartitions, true);
  writeTopicPartitions(w, v.partitionsPendingRevocation, true);
  return w.uvarint(0).toBuffer();
}

export function decodeConsumerCurrentAssignmentValue(buf: Buffer): ConsumerCurrentAssignmentRecordValue {
  const r = openValue(buf, 'ConsumerGroupCurrentMemberAssignmentValue');
  const memberEpoch = r.int32();
  const previousMemberEpoch = r.int32();
  const state = r.int8();
  const assignedPartitions = readTopicPartitions(r, 'AssignedPartitions');
  const partitionsPendingRevocation = readTopicPartitions(r, 'PartitionsPendingRevocation');
  skipTaggedFields(r);
  return { memberEpoch, previousMemberEpoch, state, assignedPartitions, partitionsPendingRevocation };
}

/** A compact array of TopicPartitions; with `epochs`, each carries AssignmentEpochs as tag 0. */
function writeTopicPartitions(w: Writer, list: readonly TopicPartitionsRecord[], epochs: boolean): void {
  w.arrayLength(list.length, true);
  for (const t of list) {
    w.uuid(t.topicId).arrayLength(t.partitions.length, true);
    for (const p of t.partitions) w.int32(p);
    if (!epochs || t.assignmentEpochs === null) {
      w.uvarint(0);
      continue;
    }
    const field = new Writer(16).arrayLength(t.assignmentEpochs.length, true);
    for (const e of t.assignmentEpochs) field.int32(e);
    const bytes = field.toBuffer();
    w.uvarint(1).uvarint(0).uvarint(bytes.length).raw(bytes);
  }
}

function readTopicPartitions(r: Reader, what: string): TopicPartitionsRecord[] {
  const out: TopicPartitionsRecord[] = [];
  for (let n = r.arrayLength(true, false, what); n > 0; n--) {
    const topicId = r.uuid();
    const partitions: number[] = [];
    for (let m = r.arrayLength(true, false, `${what} Partitions`); m > 0; m--) partitions.push(r.int32());
    let assignmentEpochs: number[] | null = null;
    for (let tags = readTagCount(r); tags > 0; tags--) {
      const tag = r.uvarint();
      const field = new Reader(r.raw(r.uvarint()));
      if (tag !== 0) continue;
      const count = field.arrayLength(true, true, `${what} AssignmentEpochs`);
      if (count < 0) continue;
      assignmentEpochs = [];
      for (let i = 0; i < count; i++) assignmentEpochs.push(field.int32());
    }
    out.push({ topicId, partitions, assignmentEpochs });
  }
  return out;
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
