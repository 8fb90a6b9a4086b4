// ListGroups (key 16), versions 0-5: every group the principal may describe. v4+ filters by
// state and answers it; v5+ filters by type ("classic", "consumer") and answers it. Describe on
// the cluster shows every group, otherwise Describe on each group decides.
import { ErrorCode } from '../../protocol/error-codes.ts';
import { ApiKey } from '../../protocol/generated/apis.ts';
import {
  decodeListGroupsRequest,
  type ListGroupsRequest,
} from '../../protocol/generated/list-groups-request.ts';
import {
  defaultListGroupsResponse,
  encodeListGroupsResponse,
  type ListGroupsResponse,
} from '../../protocol/generated/list-groups-response.ts';
import { CLUSTER_RESOURCE_NAME } from '../authorizer.ts';
import { defineHandler } from '../handler.ts';

const STATES_MIN_VERSION = 4;
const TYPES_MIN_VERSION = 5;

export const handler = defineHandler<ListGroupsRequest, ListGroupsResponse>({
  apiKey: ApiKey.ListGroups,
  decode: decodeListGroupsRequest,
  encode: encodeListGroupsResponse,
  handle(ctx, request) {
    const response = defaultListGroupsResponse();
    const groups = ctx.services.nouns.groups;
    if (groups === undefined) {
      response.errorCode = ErrorCode.coordinatorNotAvailable;
      return response;
    }
    const v = ctx.apiVersion;
    const clusterWide = ctx.authorize('Describe', 'Cluster', CLUSTER_RESOURCE_NAME);
    const listed = groups.listGroups(
      v >= STATES_MIN_VERSION ? request.statesFilter : [],
      v >= TYPES_MIN_VERSION ? request.typesFilter : [],
    );
    response.groups = listed
      .filter((g) => clusterWide || ctx.authorize('Describe', 'Group', g.groupId))
      .map((g) => ({
        groupId: g.groupId,
        protocolType: g.protocolType,
        groupState: v >= STATES_MIN_VERSION ? g.groupState : '',
        groupType: v >= TYPES_MIN_VERSION ? g.groupType : '',
      }));
    return response;
  },
  errorResponse(_ctx, _request, errorCode) {
    const response = defaultListGroupsResponse();
    response.errorCode = errorCode;
    return response;
  },
});
