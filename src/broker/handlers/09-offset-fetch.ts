// OffsetFetch (key 9), versions 0-9. v0-v7 name one group (v2+: a null topic list means every
// committed offset, and a top-level error code); v5+ answers leader epochs; v7+ may require
// stable offsets (KIP-447: the coordinator answers UNSTABLE_OFFSET_COMMIT for a partition whose
// offset waits in an open transaction); v8+ names several groups, each answered separately; v9
// carries a KIP-848 member id and epoch, checked when given. Partitions without a committed
// offset answer -1.
// Requires Describe on each group and on each topic (topics the principal may not see are
// left out of "all topics" answers and refused when named).
import type { FetchedGroup } from '../../coordinator/group-coordinator.ts';
import { coordinatorLimits } from '../../limits.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import { ApiKey } from '../../protocol/generated/apis.ts';
import {
  decodeOffsetFetchRequest,
  type OffsetFetchRequest,
} from '../../protocol/generated/offset-fetch-request.ts';
import {
  defaultOffsetFetchResponse,
  encodeOffsetFetchResponse,
  type OffsetFetchResponse,
  type OffsetFetchResponseOffsetFetchResponseGroup,
} from '../../protocol/generated/offset-fetch-response.ts';
import { defineHandler, type RequestContext } from '../handler.ts';

const MULTI_GROUP_MIN_VERSION = 8;
const TOP_LEVEL_ERROR_MIN_VERSION = 2;
const LEADER_EPOCH_MIN_VERSION = 5;
const REQUIRE_STABLE_MIN_VERSION = 7;

interface GroupQuery {
  groupId: string;
  memberId: string | null;
  memberEpoch: number;
  topics: { name: string; partitionIndexes: number[] }[] | null;
}

function queries(ctx: RequestContext, request: OffsetFetchRequest): GroupQuery[] {
  if (ctx.apiVersion >= MULTI_GROUP_MIN_VERSION) {
    return request.groups.map((g) => ({
      groupId: g.groupId,
      memberId: g.memberId,
      memberEpoch: g.memberEpoch,
      topics: g.topics,
    }));
  }
  return [{ groupId: request.groupId, memberId: null, memberEpoch: -1, topics: request.topics }];
}

function fetchGroup(ctx: RequestContext, q: GroupQuery, requireStable: boolean): FetchedGroup {
  const groups = ctx.services.nouns.groups;
  if (!ctx.authorize('Describe', 'Group', q.groupId))
    return { groupId: q.groupId, errorCode: ErrorCode.groupAuthorizationFailed, topics: [] };
  if (groups === undefined)
    return { groupId: q.groupId, errorCode: ErrorCode.coordinatorNotAvailable, topics: [] };
  const allowed = q.topics?.filter((t) => ctx.authorize('Describe', 'Topic', t.name)) ?? null;
  const fetched = groups.fetchOffsets({
    groupId: q.groupId,
    memberId: q.memberId,
    memberEpoch: q.memberEpoch,
    topics: allowed,
    requireStable,
  });
  if (q.topics === null) {
    fetched.topics = fetched.topics.filter((t) => ctx.authorize('Describe', 'Topic', t.name));
  } else {
    for (const t of q.topics) {
      if (allowed?.includes(t)) continue;
      fetched.topics.push({
        name: t.name,
        partitions: t.partitionIndexes.map((partitionIndex) => ({
          partitionIndex,
          committedOffset: -1n,
          committedLeaderEpoch: -1,
          metadata: '',
          errorCode: ErrorCode.topicAuthorizationFailed,
        })),
      });
    }
  }
  return fetched;
}

function respond(ctx: RequestContext, fetched: FetchedGroup[]): OffsetFetchResponse {
  const v = ctx.apiVersion;
  const response = defaultOffsetFetchResponse();
  const partitionOf = (p: FetchedGroup['topics'][number]['partitions'][number]) => ({
    partitionIndex: p.partitionIndex,
    committedOffset: p.committedOffset,
    committedLeaderEpoch: v >= LEADER_EPOCH_MIN_VERSION ? p.committedLeaderEpoch : -1,
    metadata: p.metadata,
    errorCode: p.errorCode,
  });
  if (v >= MULTI_GROUP_MIN_VERSION) {
    response.groups = fetched.map(
      (g): OffsetFetchResponseOffsetFetchResponseGroup => ({
        groupId: g.groupId,
        errorCode: g.errorCode,
        topics: g.topics.map((t) => ({ name: t.name, partitions: t.partitions.map(partitionOf) })),
      }),
    );
    return response;
  }
  const one = fetched[0];
  if (one === undefined) return response;
  response.topics = one.topics.map((t) => ({ name: t.name, partitions: t.partitions.map(partitionOf) }));
  if (v >= TOP_LEVEL_ERROR_MIN_VERSION) response.errorCode = one.errorCode;
  else if (one.errorCode !== ErrorCode.none) {
    // v0-v1 have no group-level error: every partition carries it.
    for (const t of response.topics) for (const p of t.partitions) p.errorCode = one.errorCode;
  }
  return response;
}

function failAll(ctx: RequestContext, request: OffsetFetchRequest, errorCode: number): OffsetFetchResponse {
  return respond(
    ctx,
    queries(ctx, request).map((q) => ({ groupId: q.groupId, errorCode, topics: [] })),
  );
}

export const handler = defineHandler<OffsetFetchRequest, OffsetFetchResponse>({
  apiKey: ApiKey.OffsetFetch,
  decode: decodeOffsetFetchRequest,
  encode: encodeOffsetFetchResponse,
  handle(ctx, request) {
    const all = queries(ctx, request);
    if (all.length > coordinatorLimits.groupsPerRequestMax)
      return failAll(ctx, request, ErrorCode.invalidRequest);
    const requireStable = ctx.apiVersion >= REQUIRE_STABLE_MIN_VERSION && request.requireStable;
    return respond(
      ctx,
      all.map((q) => fetchGroup(ctx, q, requireStable)),
    );
  },
  errorResponse: failAll,
});
