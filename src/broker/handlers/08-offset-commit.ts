// OffsetCommit (key 8), versions 0-9. v1+ carries the generation (or, for KIP-848 groups, the
// member epoch) and member id, checked by the coordinator; v2-v4 an explicit retention time; v6+
// the leader epoch; v7+ group.instance.id; v9 answers GROUP_ID_NOT_FOUND for a generation given
// to a group that does not exist. The response is sent once the offsets are durable in
// __consumer_offsets. Requires Read on the group, and Read on each topic.
import { ErrorCode } from '../../protocol/error-codes.ts';
import { ApiKey } from '../../protocol/generated/apis.ts';
import {
  decodeOffsetCommitRequest,
  type OffsetCommitRequest,
} from '../../protocol/generated/offset-commit-request.ts';
import {
  defaultOffsetCommitResponse,
  encodeOffsetCommitResponse,
  type OffsetCommitResponse,
} from '../../protocol/generated/offset-commit-response.ts';
import { defineHandler } from '../handler.ts';

const RETENTION_MIN_VERSION = 2;
const RETENTION_MAX_VERSION = 4;

function failAll(request: OffsetCommitRequest, errorCode: number): OffsetCommitResponse {
  const response = defaultOffsetCommitResponse();
  response.topics = request.topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })),
  }));
  return response;
}

export const handler = defineHandler<OffsetCommitRequest, OffsetCommitResponse>({
  apiKey: ApiKey.OffsetCommit,
  decode: decodeOffsetCommitRequest,
  encode: encodeOffsetCommitResponse,
  async handle(ctx, request) {
    if (!ctx.authorize('Read', 'Group', request.groupId))
      return failAll(request, ErrorCode.groupAuthorizationFailed);
    const groups = ctx.services.nouns.groups;
    if (groups === undefined) return failAll(request, ErrorCode.coordinatorNotAvailable);
    const allowed = request.topics.filter((t) => ctx.authorize('Read', 'Topic', t.name));
    const denied = request.topics.filter((t) => !allowed.includes(t));
    const v = ctx.apiVersion;
    const retention =
      v >= RETENTION_MIN_VERSION && v <= RETENTION_MAX_VERSION ? Number(request.retentionTimeMs) : -1;
    const results = await groups.commitOffsets({
      groupId: request.groupId,
      generationIdOrMemberEpoch: request.generationIdOrMemberEpoch,
      memberId: request.memberId,
      groupInstanceId: request.groupInstanceId,
      retentionTimeMs: retention,
      apiVersion: v,
      topics: allowed.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({
          partitionIndex: p.partitionIndex,
          committedOffset: p.committedOffset,
          committedLeaderEpoch: p.committedLeaderEpoch,
          committedMetadata: p.committedMetadata,
        })),
      })),
    });
    const response = failAll({ ...request, topics: denied }, ErrorCode.topicAuthorizationFailed);
    response.topics = [...results, ...response.topics];
    return response;
  },
  errorResponse: (_ctx, request, errorCode) => failAll(request, errorCode),
});
