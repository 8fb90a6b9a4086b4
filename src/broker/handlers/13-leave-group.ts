// LeaveGroup (key 13), versions 0-5, classic protocol. v0-v2 name one member and answer at the
// top level; v3+ batch members (member id and/or group.instance.id, KIP-345) and answer each.
// Requires Read on the group.
import { ErrorCode } from '../../protocol/error-codes.ts';
import { ApiKey } from '../../protocol/generated/apis.ts';
import {
  decodeLeaveGroupRequest,
  type LeaveGroupRequest,
} from '../../protocol/generated/leave-group-request.ts';
import {
  defaultLeaveGroupResponse,
  encodeLeaveGroupResponse,
  type LeaveGroupResponse,
} from '../../protocol/generated/leave-group-response.ts';
import { defineHandler, type RequestContext } from '../handler.ts';

const BATCHED_MIN_VERSION = 3;

function identities(ctx: RequestContext, request: LeaveGroupRequest) {
  return ctx.apiVersion >= BATCHED_MIN_VERSION
    ? request.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId }))
    : [{ memberId: request.memberId, groupInstanceId: null }];
}

function respond(
  ctx: RequestContext,
  request: LeaveGroupRequest,
  errorCode: number,
  codes: number[],
): LeaveGroupResponse {
  const response = defaultLeaveGroupResponse();
  if (ctx.apiVersion < BATCHED_MIN_VERSION) {
    response.errorCode = errorCode !== ErrorCode.none ? errorCode : (codes[0] ?? ErrorCode.none);
    return response;
  }
  response.errorCode = errorCode;
  if (errorCode === ErrorCode.none) {
    response.members = identities(ctx, request).map((m, i) => ({
      ...m,
      errorCode: codes[i] ?? ErrorCode.none,
    }));
  }
  return response;
}

export const handler = defineHandler<LeaveGroupRequest, LeaveGroupResponse>({
  apiKey: ApiKey.LeaveGroup,
  decode: decodeLeaveGroupRequest,
  encode: encodeLeaveGroupResponse,
  handle(ctx, request) {
    if (!ctx.authorize('Read', 'Group', request.groupId))
      return respond(ctx, request, ErrorCode.groupAuthorizationFailed, []);
    const groups = ctx.services.nouns.groups;
    if (groups === undefined) return respond(ctx, request, ErrorCode.coordinatorNotAvailable, []);
    const result = groups.leaveGroup(request.groupId, identities(ctx, request));
    return respond(ctx, request, result.errorCode, result.members);
  },
  errorResponse: (ctx, request, errorCode) => respond(ctx, request, errorCode, []),
});
