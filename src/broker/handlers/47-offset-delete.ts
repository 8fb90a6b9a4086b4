// OffsetDelete (key 47), version 0: deletes committed offsets of partitions the group does not
// consume. A partition of a topic some member subscribes to is GROUP_SUBSCRIBED_TO_TOPIC; a
// non-empty group whose protocol is not "consumer" cannot be checked and is NON_EMPTY_GROUP.
// Requires Delete on the group and Read on each topic.
import { ErrorCode } from '../../protocol/error-codes.ts';
import { ApiKey } from '../../protocol/generated/apis.ts';
import {
  decodeOffsetDeleteRequest,
  type OffsetDeleteRequest,
} from '../../protocol/generated/offset-delete-request.ts';
import {
  defaultOffsetDeleteResponse,
  encodeOffsetDeleteResponse,
  type OffsetDeleteResponse,
} from '../../protocol/generated/offset-delete-response.ts';
import { defineHandler } from '../handler.ts';

function failed(errorCode: number): OffsetDeleteResponse {
  const response = defaultOffsetDeleteResponse();
  response.errorCode = errorCode;
  return response;
}

export const handler = defineHandler<OffsetDeleteRequest, OffsetDeleteResponse>({
  apiKey: ApiKey.OffsetDelete,
  decode: decodeOffsetDeleteRequest,
  encode: encodeOffsetDeleteResponse,
  async handle(ctx, request) {
    if (!ctx.authorize('Delete', 'Group', request.groupId)) return failed(ErrorCode.groupAuthorizationFailed);
    const groups = ctx.services.nouns.groups;
    if (groups === undefined) return failed(ErrorCode.coordinatorNotAvailable);
    const allowed = request.topics.filter((t) => ctx.authorize('Read', 'Topic', t.name));
    const result = await groups.deleteOffsets(
      request.groupId,
      allowed.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => p.partitionIndex) })),
    );
    const response = failed(result.errorCode);
    if (result.errorCode !== ErrorCode.none) return response;
    const denied = request.topics
      .filter((t) => !allowed.includes(t))
      .map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({
          partitionIndex: p.partitionIndex,
          errorCode: ErrorCode.topicAuthorizationFailed,
        })),
      }));
    response.topics = [...result.topics, ...denied];
    return response;
  },
  errorResponse: (_ctx, _request, errorCode) => failed(errorCode),
});
