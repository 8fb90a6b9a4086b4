// Committed offsets of a consumer group: OffsetFetch and OffsetCommit, sent to the group's
// coordinator (found and re-found by the cluster). Shared by the consumer and the admin client.
import { ErrorCode } from '../protocol/error-codes.ts';
import { ApiKey } from '../protocol/generated/apis.ts';
import { defaultOffsetCommitRequest } from '../protocol/generated/offset-commit-request.ts';
import type { OffsetCommitResponse } from '../protocol/generated/offset-commit-response.ts';
import { defaultOffsetFetchRequest } from '../protocol/generated/offset-fetch-request.ts';
import type { OffsetFetchResponse } from '../protocol/generated/offset-fetch-response.ts';
import type { Cluster } from './cluster.ts';
import { throwIfError } from './errors.ts';
import { groupByTopic } from './list-offsets.ts';
import type { TopicPartitionOffset } from './transaction-manager.ts';

export interface CommittedOffset {
  topic: string;
  partition: number;
  /** -1 when the group has no committed offset for the partition. */
  offset: bigint;
  metadata: string | null;
}

export interface GroupGeneration {
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
}

/** The group's committed offsets for `partitions`, or for every partition it has offsets for (null). */
export async function fetchCommittedOffsets(
  cluster: Cluster,
  groupId: string,
  partitions: readonly { topic: string; partition: number }[] | null,
  requireStable = true,
): Promise<CommittedOffset[]> {
  const topics =
    partitions === null
      ? null
      : groupByTopic(partitions).map(([name, ps]) => ({
          name,
          partitionIndexes: ps.map((p) => p.partition),
        }));
  const action = `fetch committed offsets of group '${groupId}'`;
  const { version, body } = await cluster.sendToCoordinator<OffsetFetchResponse>(
    'group',
    groupId,
    ApiKey.OffsetFetch,
    (v) => {
      const request = defaultOffsetFetchRequest();
      if (v >= 8) request.groups = [{ groupId, memberId: null, memberEpoch: -1, topics }];
      else {
        request.groupId = groupId;
        request.topics = topics;
      }
      if (v >= 7) request.requireStable = requireStable;
      return request;
    },
    ({ version: v, body: b }) => {
      if (v >= 8) {
        const g = b.groups.find((x) => x.groupId === groupId);
        throwIfError(action, g?.errorCode ?? ErrorCode.unknownServerError);
        for (const t of g?.topics ?? [])
          for (const p of t.partitions)
            throwIfError(`${action} ('${t.name}'-${p.partitionIndex})`, p.errorCode);
      } else {
        throwIfError(action, b.errorCode);
        for (const t of b.topics)
          for (const p of t.partitions)
            throwIfError(`${action} ('${t.name}'-${p.partitionIndex})`, p.errorCode);
      }
    },
    { minVersion: 1 },
  );
  const topicsOut =
    version >= 8 ? (body.groups.find((g) => g.groupId === groupId)?.topics ?? []) : body.topics;
  const out: CommittedOffset[] = [];
  for (const t of topicsOut) {
    for (const p of t.partitions)
      out.push({
        topic: t.name,
        partition: p.partitionIndex,
        offset: p.committedOffset,
        metadata: p.metadata,
      });
  }
  return out;
}

/**
 * Commits offsets for the group. Without a generation (admin use) the group must have no active
 * members, or the coordinator refuses (UNKNOWN_MEMBER_ID or a non-empty-group error).
 */
export async function commitOffsets(
  cluster: Cluster,
  groupId: string,
  offsets: readonly TopicPartitionOffset[],
  generation: GroupGeneration | null = null,
): Promise<void> {
  if (offsets.length === 0) return;
  const action = `commit offsets of group '${groupId}'`;
  await cluster.sendToCoordinator<OffsetCommitResponse>(
    'group',
    groupId,
    ApiKey.OffsetCommit,
    (v) => {
      const request = defaultOffsetCommitRequest();
      request.groupId = groupId;
      if (generation !== null && v >= 1) {
        request.generationIdOrMemberEpoch = generation.generationId;
        request.memberId = generation.memberId;
        if (v >= 7) request.groupInstanceId = generation.groupInstanceId;
      }
      request.topics = groupByTopic(offsets).map(([name, os]) => ({
        name,
        partitions: os.map((o) => ({
          partitionIndex: o.partition,
          committedOffset: o.offset,
          committedLeaderEpoch: -1,
          commitTimestamp: -1n,
          committedMetadata: o.metadata ?? '',
        })),
      }));
      return request;
    },
    ({ body }) => {
      for (const t of body.topics)
        for (const p of t.partitions)
          throwIfError(`${action} ('${t.name}'-${p.partitionIndex})`, p.errorCode);
    },
    { minVersion: 2 },
  );
}
