// The server-side assignor contract of KIP-848: given the members' subscriptions and the
// subscribed topics' partition counts, produce a target assignment. Assignors are pure and
// deterministic (same input, same output) so that replays and tests agree.
import type { Assignment } from './assignment.ts';

export interface AssignorMember {
  memberId: string;
  instanceId: string | null;
  rackId: string | null;
  /** Topic ids the member subscribes to (names and regex already resolved). */
  subscribedTopicIds: ReadonlySet<string>;
  /** The member's previous target assignment: assignors keep partitions where they were. */
  previous: Assignment;
}

export interface AssignorInput {
  members: readonly AssignorMember[];
  /** Partition count of every subscribed topic that exists. */
  topicPartitions: ReadonlyMap<string, number>;
}

export interface ServerAssignor {
  readonly name: string;
  assign(input: AssignorInput): Map<string, Assignment>;
}
