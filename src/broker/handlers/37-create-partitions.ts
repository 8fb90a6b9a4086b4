// CreatePartitions (key 37), versions 0-3: raises a topic's partition count (never lowers it).
// Assignments, when given, must name only this node. validateOnly checks without changing.
// Requires Alter on the topic.
import { storageLimits } from '../../limits.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import { ApiKey } from '../../protocol/generated/apis.ts';
import {
  type CreatePartitionsRequest,
  type CreatePartitionsRequestCreatePartitionsTopic,
  decodeCreatePartitionsRequest,
} from '../../protocol/generated/create-partitions-request.ts';
import {
  type CreatePartitionsResponse,
  defaultCreatePartitionsResponse,
  encodeCreatePartitionsResponse,
} from '../../protocol/generated/create-partitions-response.ts';
import { errorCodeFor } from '../error-code-for.ts';
import { defineHandler, type RequestContext } from '../handler.ts';

async function grow(
  ctx: RequestContext,
  topic: CreatePartitionsRequestCreatePartitionsTopic,
  validateOnly: boolean,
) {
  const answer = (errorCode: number, errorMessage: string | null) => ({
    name: topic.name,
    errorCode,
    errorMessage,
  });
  if (!ctx.authorize('Alter', 'Topic', topic.name)) return answer(ErrorCode.topicAuthorizationFailed, null);
  const { logs, node } = ctx.services;
  const existing = logs.describeTopic(topic.name);
  if (existing === undefined)
    return answer(ErrorCode.unknownTopicOrPartition, `Unknown topic '${topic.name}'`);
  if (topic.count <= existing.partitions || topic.count > storageLimits.partitionsPerTopicMax) {
    const message = `Cannot grow topic '${topic.name}' from ${existing.partitions} to ${topic.count} partitions (at most ${storageLimits.partitionsPerTopicMax})`;
    return answer(ErrorCode.invalidPartitions, message);
  }
  const assignments = topic.assignments ?? [];
  if (assignments.length > 0) {
    const ok =
      assignments.length === topic.count - existing.partitions &&
      assignments.every((a) => a.brokerIds.every((id) => id === node.nodeId));
    if (!ok)
      return answer(
        ErrorCode.invalidReplicaAssignment,
        `New partitions must be assigned to node ${node.nodeId}, one entry each`,
      );
  }
  if (validateOnly) return answer(ErrorCode.none, null);
  try {
    await logs.createPartitions(topic.name, topic.count);
    ctx.log.info({ topic: topic.name, partitions: topic.count }, 'Added partitions');
    return answer(ErrorCode.none, null);
  } catch (error) {
    return answer(errorCodeFor(error), error instanceof Error ? error.message : String(error));
  }
}

export const handler = defineHandler<CreatePartitionsRequest, CreatePartitionsResponse>({
  apiKey: ApiKey.CreatePartitions,
  decode: decodeCreatePartitionsRequest,
  encode: encodeCreatePartitionsResponse,
  async handle(ctx, request) {
    const response = defaultCreatePartitionsResponse();
    for (const topic of request.topics) response.results.push(await grow(ctx, topic, request.validateOnly));
    return response;
  },
  errorResponse(_ctx, request, errorCode) {
    const response = defaultCreatePartitionsResponse();
    response.results = request.topics.map((t) => ({ name: t.name, errorCode, errorMessage: null }));
    return response;
  },
});
