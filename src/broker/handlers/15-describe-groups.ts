// DescribeGroups (key 15), versions 0-5: state, protocol and members of each group. An unknown
// group is answered as Dead with no error (as Kafka does before v6). KIP-848 groups are
// described in the classic shape (protocol type "consumer", members' subscriptions and
// assignments in the embedded consumer protocol). v3+ answers authorized operations (not
// computed: Kafka's "not requested" value); v4+ group.instance.id. Requires Describe on each group.
import type { DescribedGroup } from '../../coordinator/group-coordinator.ts';
import { coordinatorLimits } from '../../limits.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import { ApiKey } from '../../protocol/generated/apis.ts';
import {
  type DescribeGroupsRequest,
  decodeDescribeGroupsRequest,
} from '../../protocol/generated/describe-groups-request.ts';
import {
  type DescribeGroupsResponse,
  type DescribeGroupsResponseDescribedGroup,
  defaultDescribeGroupsResponse,
  defaultDescribeGroupsResponseDescribedGroup,
  encodeDescribeGroupsResponse,
} from '../../protocol/generated/describe-groups-response.ts';
import { defineHandler, type RequestContext } from '../handler.ts';

const INSTANCE_ID_MIN_VERSION = 4;

function described(ctx: RequestContext, g: DescribedGroup): DescribeGroupsResponseDescribedGroup {
  const out = defaultDescribeGroupsResponseDescribedGroup();
  out.errorCode = g.errorCode;
  out.groupId = g.groupId;
  out.groupState = g.groupState;
  out.protocolType = g.protocolType;
  out.protocolData = g.protocolData;
  out.members = g.members.map((m) => ({
    ...m,
    groupInstanceId: ctx.apiVersion >= INSTANCE_ID_MIN_VERSION ? m.groupInstanceId : null,
  }));
  return out;
}

function failed(groupId: string, errorCode: number): DescribeGroupsResponseDescribedGroup {
  const out = defaultDescribeGroupsResponseDescribedGroup();
  out.groupId = groupId;
  out.errorCode = errorCode;
  return out;
}

export const handler = defineHandler<DescribeGroupsRequest, DescribeGroupsResponse>({
  apiKey: ApiKey.DescribeGroups,
  decode: decodeDescribeGroupsRequest,
  encode: encodeDescribeGroupsResponse,
  handle(ctx, request) {
    const response = defaultDescribeGroupsResponse();
    const groups = ctx.services.nouns.groups;
    if (request.groups.length > coordinatorLimits.groupsPerRequestMax) {
      response.groups = request.groups.map((id) => failed(id, ErrorCode.invalidRequest));
      return response;
    }
    response.groups = request.groups.map((groupId) => {
      if (!ctx.authorize('Describe', 'Group', groupId))
        return failed(groupId, ErrorCode.groupAuthorizationFailed);
      if (groups === undefined) return failed(groupId, ErrorCode.coordinatorNotAvailable);
      return described(ctx, groups.describeGroups([groupId])[0] as DescribedGroup);
    });
    return response;
  },
  errorResponse(_ctx, request, errorCode) {
    const response = defaultDescribeGroupsResponse();
    response.groups = request.groups.map((id) => failed(id, errorCode));
    return response;
  },
});
