// Heartbeat (key 12), versions 0-4, classic protocol: keeps a member's session alive and tells
// it whether a rebalance is under way (REBALANCE_IN_PROGRESS) or it has been fenced
// (ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID). v3+ carries group.instance.id.
// Requires Read on the group.
import { ErrorCode } from '../../protocol/error-codes.ts';
import { ApiKey } from '../../protocol/generated/apis.ts';
import { decodeHeartbeatRequest, type HeartbeatRequest } from '../../protocol/generated/heartbeat-request.ts';
import {
  defaultHeartbeatResponse,
  encodeHeartbeatResponse,
  type HeartbeatResponse,
} from '../../protocol/generated/heartbeat-response.ts';
import { defineHandler } from '../handler.ts';

function answer(errorCode: number): HeartbeatResponse {
  const response = defaultHeartbeatResponse();
  response.errorCode = errorCode;
  return response;
}

export const handler = defineHandler<HeartbeatRequest, HeartbeatResponse>({
  apiKey: ApiKey.Heartbeat,
  decode: decodeHeartbeatRequest,
  encode: encodeHeartbeatResponse,
  handle(ctx, request) {
    if (!ctx.authorize('Read', 'Group', request.groupId)) return answer(ErrorCode.groupAuthorizationFailed);
    const groups = ctx.services.nouns.groups;
    if (groups === undefined) return answer(ErrorCode.coordinatorNotAvailable);
    return answer(
      groups.heartbeat(request.groupId, request.memberId, request.groupInstanceId, request.generationId),
    );
  },
  errorResponse: (_ctx, _request, errorCode) => answer(errorCode),
});
