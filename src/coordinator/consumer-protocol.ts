// The embedded consumer protocol (a 2-byte version, then ConsumerProtocolSubscription or
// ConsumerProtocolAssignment): decoded to find the topics a classic consumer group subscribes to
// (OffsetDelete), encoded to describe KIP-848 members through the classic DescribeGroups.

import { encodeConsumerProtocolAssignment } from '../protocol/generated/consumer-protocol-assignment.ts';
import {
  decodeConsumerProtocolSubscription,
  defaultConsumerProtocolSubscription,
  encodeConsumerProtocolSubscription,
} from '../protocol/generated/consumer-protocol-subscription.ts';
import { Reader } from '../protocol/reader.ts';
import { Writer } from '../protocol/writer.ts';
import { type Assignment, assignmentToList } from './assignment.ts';
import type { TopicCatalog } from './topic-catalog.ts';

/** Subscribed topics of a classic consumer's protocol metadata; [] when it does not decode. */
export function subscriptionTopics(metadata: Buffer): string[] {
  try {
    const r = new Reader(metadata);
    const version = r.int16();
    // Newer versions only add fields at the end, so read them as the newest we know.
    return decodeConsumerProtocolSubscription(r, Math.min(Math.max(version, 0), 3)).topics;
  } catch {
    return [];
  }
}

export function consumerProtocolSubscriptionBytes(topics: readonly string[]): Buffer {
  const w = new Writer(64);
  w.int16(0);
  encodeConsumerProtocolSubscription(w, 0, { ...defaultConsumerProtocolSubscription(), topics: [...topics] });
  return w.toBuffer();
}

export function consumerProtocolAssignmentBytes(assignment: Assignment, topics: TopicCatalog): Buffer {
  const w = new Writer(64);
  w.int16(0);
  encodeConsumerProtocolAssignment(w, 0, {
    assignedPartitions: assignmentToList(assignment).map(({ topicId, partitions }) => ({
      topic: topics.byId(topicId)?.name ?? topicId,
      partitions,
    })),
    userData: null,
  });
  return w.toBuffer();
}
