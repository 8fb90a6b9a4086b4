// DeleteTopics (key 20), versions 0-6. Topics by name (topicNames before v6, topics[].name from
// v6) or by id (v6+, UNKNOWN_TOPIC_ID when unknown). Deletion is immediate: storage drops the
// topic from its metadata first, then removes the files. Requires Delete on the topic.
import { ErrorCode } from '../../protocol/error-codes.ts';
import { ApiKey } from '../../protocol/generated/apis.ts';
import {
  type DeleteTopicsRequest,
  decodeDeleteTopicsRequest,
} from '../../protocol/generated/delete-topics-request.ts';
import {
  type DeleteTopicsResponse,
  type DeleteTopicsResponseDeletableTopicResult,
  defaultDeleteTopicsResponse,
  encodeDeleteTopicsResponse,
} from '../../protocol/generated/delete-topics-response.ts';
import { errorCodeFor } from '../error-code-for.ts';
import { defineHandler, type RequestContext } from '../handler.ts';
import { topicsById, ZERO_UUID } from '../topic-names.ts';

const TOPIC_STATES_MIN_VERSION = 6;
const MESSAGES_MIN_VERSION = 5;

type Result = DeleteTopicsResponseDeletableTopicResult;

function result(
  ctx: RequestContext,
  name: string | null,
  topicId: string,
  errorCode: number,
  message: string | null,
): Result {
  return {
    name,
    topicId: ctx.apiVersion >= TOPIC_STATES_MIN_VERSION ? topicId : ZERO_UUID,
    errorCode,
    errorMessage: ctx.apiVersion >= MESSAGES_MIN_VERSION ? message : null,
  };
}

function wanted(
  ctx: RequestContext,
  request: DeleteTopicsRequest,
): { name: string | null; topicId: string }[] {
  if (ctx.apiVersion < TOPIC_STATES_MIN_VERSION)
    return request.topicNames.map((name) => ({ name, topicId: ZERO_UUID }));
  return request.topics.map((t) => ({ name: t.name, topicId: t.topicId }));
}

async function deleteOne(
  ctx: RequestContext,
  name: string | null,
  topicId: string,
  byId: Map<string, { name: string }> | null,
): Promise<Result> {
  const { logs } = ctx.services;
  const resolved = name ?? byId?.get(topicId)?.name;
  if (resolved === undefined)
    return result(ctx, null, topicId, ErrorCode.unknownTopicId, `Unknown topic id ${topicId}`);
  if (!ctx.authorize('Delete', 'Topic', resolved))
    return result(ctx, resolved, topicId, ErrorCode.topicAuthorizationFailed, null);
  const topic = logs.describeTopic(resolved);
  if (topic === undefined)
    return result(ctx, resolved, topicId, ErrorCode.unknownTopicOrPartition, `Unknown topic '${resolved}'`);
  try {
    await logs.deleteTopic(resolved);
    ctx.log.info({ topic: resolved }, 'Deleted topic');
    return result(ctx, resolved, topic.topicId, ErrorCode.none, null);
  } catch (error) {
    return result(
      ctx,
      resolved,
      topicId,
      errorCodeFor(error),
      error instanceof Error ? error.message : String(error),
    );
  }
}

export const handler = defineHandler<DeleteTopicsRequest, DeleteTopicsResponse>({
  apiKey: ApiKey.DeleteTopics,
  decode: decodeDeleteTopicsRequest,
  encode: encodeDeleteTopicsResponse,
  async handle(ctx, request) {
    const topics = wanted(ctx, request);
    const byId = topics.some((t) => t.name === null) ? topicsById(ctx.services.logs) : null;
    const response = defaultDeleteTopicsResponse();
    for (const t of topics) response.responses.push(await deleteOne(ctx, t.name, t.topicId, byId));
    return response;
  },
  errorResponse(ctx, request, errorCode) {
    const response = defaultDeleteTopicsResponse();
    response.responses = wanted(ctx, request).map((t) => result(ctx, t.name, t.topicId, errorCode, null));
    return response;
  },
});
