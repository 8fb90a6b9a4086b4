// SyncGroup (key 14), versions 0-5, classic protocol: the leader hands in every member's
// assignment, each member gets its own. A follower's SyncGroup is parked until the leader's
// arrives. v3+ carries group.instance.id; v5+ protocol type and name, which must match the
// group's (INCONSISTENT_GROUP_PROTOCOL). Requires Read on the group.
import type { SyncGroupResult } from '../../coordinator/classic-group.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import { ApiKey } from '../../protocol/generated/apis.ts';
import {
  decodeSyncGroupRequest,
  type SyncGroupRequest,
} from '../../protocol/generated/sync-group-request.ts';
import {
  defaultSyncGroupResponse,
  encodeSyncGroupResponse,
  type SyncGroupResponse,
} from '../../protocol/generated/sync-group-response.ts';
import { defineHandler, type RequestContext } from '../handler.ts';

const PROTOCOL_MIN_VERSION = 5;

function respond(
  ctx: RequestContext,
  result: Pick<SyncGroupResult, 'errorCode'> & Partial<SyncGroupResult>,
): SyncGroupResponse {
  const response = defaultSyncGroupResponse();
  response.errorCode = result.errorCode;
  if (ctx.apiVersion >= PROTOCOL_MIN_VERSION) {
    response.protocolType = result.protocolType ?? null;
    response.protocolName = result.protocolName ?? null;
  }
  if (result.assignment !== undefined) response.assignment = result.assignment;
  return response;
}

export const handler = defineHandler<SyncGroupRequest, SyncGroupResponse>({
  apiKey: ApiKey.SyncGroup,
  decode: decodeSyncGroupRequest,
  encode: encodeSyncGroupResponse,
  async handle(ctx, request) {
    if (!ctx.authorize('Read', 'Group', request.groupId))
      return respond(ctx, { errorCode: ErrorCode.groupAuthorizationFailed });
    const groups = ctx.services.nouns.groups;
    if (groups === undefined) return respond(ctx, { errorCode: ErrorCode.coordinatorNotAvailable });
    const result = await groups.syncGroup(request.groupId, {
      memberId: request.memberId,
      groupInstanceId: request.groupInstanceId,
      generationId: request.generationId,
      protocolType: ctx.apiVersion >= PROTOCOL_MIN_VERSION ? request.protocolType : null,
      protocolName: ctx.apiVersion >= PROTOCOL_MIN_VERSION ? request.protocolName : null,
      assignments: request.assignments.map((a) => ({
        memberId: a.memberId,
        assignment: Buffer.from(a.assignment),
      })),
    });
    return respond(ctx, result);
  },
  errorResponse: (ctx, _request, errorCode) => respond(ctx, { errorCode }),
});
