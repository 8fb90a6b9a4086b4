// ConsumerGroupHeartbeat (key 68), versions 0-1: the KIP-848 consumer protocol. One request
// joins (epoch 0), reconciles (the current epoch, with owned partitions when they changed) or
// leaves (-1, or -2 for a static member that will come back); the coordinator answers the
// member's epoch, its assignment when it changed, and the heartbeat interval. v0 lets the
// coordinator choose the member id; v1 clients choose it. Requires Read on the group.
import { ErrorCode } from '../../protocol/error-codes.ts';
import { ApiKey } from '../../protocol/generated/apis.ts';
import {
  type ConsumerGroupHeartbeatRequest,
  decodeConsumerGroupHeartbeatRequest,
} from '../../protocol/generated/consumer-group-heartbeat-request.ts';
import {
  type ConsumerGroupHeartbeatResponse,
  defaultConsumerGroupHeartbeatResponse,
  encodeConsumerGroupHeartbeatResponse,
} from '../../protocol/generated/consumer-group-heartbeat-response.ts';
import { defineHandler } from '../handler.ts';

function failed(errorCode: number, errorMessage: string | null = null): ConsumerGroupHeartbeatResponse {
  const response = defaultConsumerGroupHeartbeatResponse();
  response.errorCode = errorCode;
  response.errorMessage = errorMessage;
  return response;
}

export const handler = defineHandler<ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse>({
  apiKey: ApiKey.ConsumerGroupHeartbeat,
  decode: decodeConsumerGroupHeartbeatRequest,
  encode: encodeConsumerGroupHeartbeatResponse,
  handle(ctx, request) {
    if (!ctx.authorize('Read', 'Group', request.groupId)) return failed(ErrorCode.groupAuthorizationFailed);
    const groups = ctx.services.nouns.groups;
    if (groups === undefined) return failed(ErrorCode.coordinatorNotAvailable);
    const result = groups.consumerGroupHeartbeat(
      request.groupId,
      {
        memberId: request.memberId,
        memberEpoch: request.memberEpoch,
        instanceId: request.instanceId,
        rackId: request.rackId,
        rebalanceTimeoutMs: request.rebalanceTimeoutMs,
        subscribedTopicNames: request.subscribedTopicNames,
        subscribedTopicRegex: request.subscribedTopicRegex,
        serverAssignor: request.serverAssignor,
        ownedTopicPartitions: request.topicPartitions,
        clientId: ctx.header.clientId ?? '',
        clientHost: `/${ctx.connection.remoteAddress}`,
      },
      ctx.apiVersion,
    );
    const response = failed(result.errorCode, result.errorMessage);
    if (result.errorCode !== ErrorCode.none) return response;
    response.memberId = result.memberId;
    response.memberEpoch = result.memberEpoch;
    response.heartbeatIntervalMs = result.heartbeatIntervalMs;
    response.assignment = result.assignment === null ? null : { topicPartitions: result.assignment };
    return response;
  },
  errorResponse: (_ctx, _request, errorCode) => failed(errorCode),
});
