// ConsumerGroupDescribe (key 69), version 0: KIP-848 groups with their epochs, assignor and
// members (current and target assignments). Unknown and classic groups are GROUP_ID_NOT_FOUND.
// Authorized operations are not computed (Kafka's "not requested" value). Requires Describe on
// each group.
import { coordinatorLimits } from '../../limits.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import { ApiKey } from '../../protocol/generated/apis.ts';
import {
  type ConsumerGroupDescribeRequest,
  decodeConsumerGroupDescribeRequest,
} from '../../protocol/generated/consumer-group-describe-request.ts';
import {
  type ConsumerGroupDescribeResponse,
  type ConsumerGroupDescribeResponseDescribedGroup,
  defaultConsumerGroupDescribeResponse,
  defaultConsumerGroupDescribeResponseDescribedGroup,
  encodeConsumerGroupDescribeResponse,
} from '../../protocol/generated/consumer-group-describe-response.ts';
import { defineHandler } from '../handler.ts';

function failed(groupId: string, errorCode: number): ConsumerGroupDescribeResponseDescribedGroup {
  const out = defaultConsumerGroupDescribeResponseDescribedGroup();
  out.groupId = groupId;
  out.errorCode = errorCode;
  return out;
}

function failAll(request: ConsumerGroupDescribeRequest, errorCode: number): ConsumerGroupDescribeResponse {
  const response = defaultConsumerGroupDescribeResponse();
  response.groups = request.groupIds.map((id) => failed(id, errorCode));
  return response;
}

export const handler = defineHandler<ConsumerGroupDescribeRequest, ConsumerGroupDescribeResponse>({
  apiKey: ApiKey.ConsumerGroupDescribe,
  decode: decodeConsumerGroupDescribeRequest,
  encode: encodeConsumerGroupDescribeResponse,
  handle(ctx, request) {
    const groups = ctx.services.nouns.groups;
    if (groups === undefined) return failAll(request, ErrorCode.coordinatorNotAvailable);
    if (request.groupIds.length > coordinatorLimits.groupsPerRequestMax)
      return failAll(request, ErrorCode.invalidRequest);
    const response = defaultConsumerGroupDescribeResponse();
    response.groups = request.groupIds.map((groupId) =>
      ctx.authorize('Describe', 'Group', groupId)
        ? (groups.consumerGroupDescribe([groupId])[0] as ConsumerGroupDescribeResponseDescribedGroup)
        : failed(groupId, ErrorCode.groupAuthorizationFailed),
    );
    return response;
  },
  errorResponse: (_ctx, request, errorCode) => failAll(request, errorCode),
});
