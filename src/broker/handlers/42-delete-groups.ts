// DeleteGroups (key 42), versions 0-2: deletes empty groups and their committed offsets
// (tombstones in __consumer_offsets). A group with members is NON_EMPTY_GROUP, an unknown one
// GROUP_ID_NOT_FOUND. Requires Delete on each group.
import { coordinatorLimits } from '../../limits.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import { ApiKey } from '../../protocol/generated/apis.ts';
import {
  type DeleteGroupsRequest,
  decodeDeleteGroupsRequest,
} from '../../protocol/generated/delete-groups-request.ts';
import {
  type DeleteGroupsResponse,
  defaultDeleteGroupsResponse,
  encodeDeleteGroupsResponse,
} from '../../protocol/generated/delete-groups-response.ts';
import { defineHandler } from '../handler.ts';

function failAll(request: DeleteGroupsRequest, errorCode: number): DeleteGroupsResponse {
  const response = defaultDeleteGroupsResponse();
  response.results = request.groupsNames.map((groupId) => ({ groupId, errorCode }));
  return response;
}

export const handler = defineHandler<DeleteGroupsRequest, DeleteGroupsResponse>({
  apiKey: ApiKey.DeleteGroups,
  decode: decodeDeleteGroupsRequest,
  encode: encodeDeleteGroupsResponse,
  async handle(ctx, request) {
    const groups = ctx.services.nouns.groups;
    if (groups === undefined) return failAll(request, ErrorCode.coordinatorNotAvailable);
    if (request.groupsNames.length > coordinatorLimits.groupsPerRequestMax)
      return failAll(request, ErrorCode.invalidRequest);
    const allowed = request.groupsNames.filter((g) => ctx.authorize('Delete', 'Group', g));
    const deleted = new Map((await groups.deleteGroups(allowed)).map((r) => [r.groupId, r.errorCode]));
    const response = defaultDeleteGroupsResponse();
    response.results = request.groupsNames.map((groupId) => ({
      groupId,
      errorCode: deleted.get(groupId) ?? ErrorCode.groupAuthorizationFailed,
    }));
    return response;
  },
  errorResponse: (_ctx, request, errorCode) => failAll(request, errorCode),
});
