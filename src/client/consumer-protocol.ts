// The consumer protocol's bytes inside JoinGroup and SyncGroup: a subscription (topics, owned
// partitions) and an assignment (partitions per topic), each an int16 version then the body.
// Versions newer than ours are read as our newest: later versions only append fields.
import {
  ConsumerProtocolAssignmentVersions,
  decodeConsumerProtocolAssignment,
  encodeConsumerProtocolAssignment,
} from '../protocol/generated/consumer-protocol-assignment.ts';
import {
  ConsumerProtocolSubscriptionVersions,
  decodeConsumerProtocolSubscription,
  encodeConsumerProtocolSubscription,
} from '../protocol/generated/consumer-protocol-subscription.ts';
import { Reader } from '../protocol/reader.ts';
import { Writer } from '../protocol/writer.ts';

export interface TopicPartitions {
  topic: string;
  partitions: number[];
}

export interface Subscription {
  topics: string[];
  ownedPartitions: TopicPartitions[];
  generationId: number;
  rackId: string | null;
  userData: Buffer | null;
}

export function encodeSubscription(
  s: Subscription,
  version: number = ConsumerProtocolSubscriptionVersions.max,
): Buffer {
  const w = new Writer();
  w.int16(version);
  encodeConsumerProtocolSubscription(w, version, {
    topics: s.topics,
    userData: s.userData,
    ownedPartitions: version >= 1 ? s.ownedPartitions : [],
    generationId: version >= 2 ? s.generationId : -1,
    rackId: version >= 3 ? s.rackId : null,
  });
  return w.toBuffer();
}

export function decodeSubscription(bytes: Buffer): Subscription {
  const r = new Reader(bytes);
  const version = Math.min(r.int16(), ConsumerProtocolSubscriptionVersions.max);
  const s = decodeConsumerProtocolSubscription(r, Math.max(version, 0));
  return {
    topics: s.topics,
    ownedPartitions: s.ownedPartitions,
    generationId: s.generationId,
    rackId: s.rackId,
    userData: s.userData,
  };
}

export function encodeAssignment(
  assigned: readonly TopicPartitions[],
  version: number = ConsumerProtocolAssignmentVersions.max,
): Buffer {
  const w = new Writer();
  w.int16(version);
  encodeConsumerProtocolAssignment(w, version, { assignedPartitions: [...assigned], userData: null });
  return w.toBuffer();
}

export function decodeAssignment(bytes: Buffer): TopicPartitions[] {
  if (bytes.length === 0) return [];
  const r = new Reader(bytes);
  const version = Math.min(r.int16(), ConsumerProtocolAssignmentVersions.max);
  return decodeConsumerProtocolAssignment(r, Math.max(version, 0)).assignedPartitions;
}
