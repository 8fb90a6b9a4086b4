// JoinGroup (key 11), versions 0-9, classic protocol. Hands the join to the group coordinator,
// which parks it until the rebalance completes. v0 has no rebalance timeout (the session timeout
// serves); v4+ requires a known member id (KIP-394: MEMBER_ID_REQUIRED first); v5+ carries
// group.instance.id (KIP-345); v7+ answers the protocol type; v9 may tell a rejoining static
// leader to skip assignment. Requires Read on the group.
import type { JoinGroupResult } from '../../coordinator/classic-group.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import { ApiKey } from '../../protocol/generated/apis.ts';
import {
  decodeJoinGroupRequest,
  type JoinGroupRequest,
} from '../../protocol/generated/join-group-request.ts';
import {
  defaultJoinGroupResponse,
  encodeJoinGroupResponse,
  type JoinGroupResponse,
} from '../../protocol/generated/join-group-response.ts';
import { defineHandler, type RequestContext } from '../handler.ts';

function respond(ctx: RequestContext, result: JoinGroupResult): JoinGroupResponse {
  const v = ctx.apiVersion;
  const response = defaultJoinGroupResponse();
  response.errorCode = result.errorCode;
  response.generationId = result.generationId;
  if (v >= 7) response.protocolType = result.protocolType;
  response.protocolName = v >= 7 ? result.protocolName : (result.protocolName ?? '');
  response.leader = result.leader;
  if (v >= 9) response.skipAssignment = result.skipAssignment;
  response.memberId = result.memberId;
  response.members = result.members.map((m) => ({
    memberId: m.memberId,
    groupInstanceId: v >= 5 ? m.groupInstanceId : null,
    metadata: m.metadata,
  }));
  return response;
}

function failure(ctx: RequestContext, request: JoinGroupRequest, errorCode: number): JoinGroupResponse {
  const response = defaultJoinGroupResponse();
  response.errorCode = errorCode;
  response.memberId = request.memberId;
  if (ctx.apiVersion >= 7) response.protocolName = null;
  return response;
}

export const handler = defineHandler<JoinGroupRequest, JoinGroupResponse>({
  apiKey: ApiKey.JoinGroup,
  decode: decodeJoinGroupRequest,
  encode: encodeJoinGroupResponse,
  async handle(ctx, request) {
    if (!ctx.authorize('Read', 'Group', request.groupId))
      return failure(ctx, request, ErrorCode.groupAuthorizationFailed);
    const groups = ctx.services.nouns.groups;
    if (groups === undefined) return failure(ctx, request, ErrorCode.coordinatorNotAvailable);
    const result = await groups.joinGroup(request.groupId, {
      memberId: request.memberId,
      groupInstanceId: request.groupInstanceId,
      clientId: ctx.header.clientId ?? '',
      clientHost: `/${ctx.connection.remoteAddress}`,
      sessionTimeoutMs: request.sessionTimeoutMs,
      rebalanceTimeoutMs: ctx.apiVersion >= 1 ? request.rebalanceTimeoutMs : request.sessionTimeoutMs,
      protocolType: request.protocolType,
      protocols: request.protocols.map((p) => ({ name: p.name, metadata: Buffer.from(p.metadata) })),
      requireKnownMemberId: ctx.apiVersion >= 4,
      supportsSkipAssignment: ctx.apiVersion >= 9,
    });
    return respond(ctx, result);
  },
  errorResponse: failure,
});
