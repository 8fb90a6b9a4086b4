// CreateTopics (key 19), versions 0-7. Per topic: a legal name, numPartitions (-1 = num.partitions)
// or explicit assignments (every replica must be this node), replicationFactor 1 or -1 (there is
// one node), configs storage understands with valid values. validateOnly checks everything and
// creates nothing. v5+ answers with the topic's partition count, replication factor and effective
// configs; v7+ with its topic id. Requires Create on the cluster or on the topic.
import { storageLimits } from '../../limits.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import { ApiKey } from '../../protocol/generated/apis.ts';
import {
  type CreateTopicsRequest,
  type CreateTopicsRequestCreatableTopic,
  decodeCreateTopicsRequest,
} from '../../protocol/generated/create-topics-request.ts';
import {
  type CreateTopicsResponse,
  type CreateTopicsResponseCreatableTopicResult,
  defaultCreateTopicsResponse,
  defaultCreateTopicsResponseCreatableTopicResult,
  encodeCreateTopicsResponse,
} from '../../protocol/generated/create-topics-response.ts';
import { validateTopicConfigs } from '../../storage/log-config.ts';
import { CLUSTER_RESOURCE_NAME } from '../authorizer.ts';
import { errorCodeFor } from '../error-code-for.ts';
import { defineHandler, type RequestContext } from '../handler.ts';
import { describeTopicConfigs } from '../topic-configs.ts';
import { isLegalTopicName } from '../topic-names.ts';

const DETAILS_MIN_VERSION = 5;

type Result = CreateTopicsResponseCreatableTopicResult;

function result(ctx: RequestContext, name: string, errorCode: number, errorMessage: string | null): Result {
  const r = defaultCreateTopicsResponseCreatableTopicResult();
  r.name = name;
  r.errorCode = errorCode;
  if (ctx.apiVersion >= 1) r.errorMessage = errorMessage;
  return r;
}

/** The partition count and config overrides to create, or the reason the topic is refused. */
function plan(ctx: RequestContext, topic: CreateTopicsRequestCreatableTopic) {
  const { node, config, logs } = ctx.services;
  const fail = (code: number, message: string) => ({
    ok: false as const,
    result: result(ctx, topic.name, code, message),
  });
  if (!isLegalTopicName(topic.name)) {
    return fail(
      ErrorCode.invalidTopicException,
      `Invalid topic name '${topic.name}': use 1-249 of [a-zA-Z0-9._-]`,
    );
  }
  if (logs.describeTopic(topic.name) !== undefined) {
    return fail(ErrorCode.topicAlreadyExists, `Topic '${topic.name}' already exists`);
  }
  let partitions = topic.numPartitions === -1 ? config.numPartitions : topic.numPartitions;
  if (topic.assignments.length > 0) {
    if (topic.numPartitions !== -1 || topic.replicationFactor !== -1) {
      return fail(
        ErrorCode.invalidRequest,
        'Give either assignments or numPartitions/replicationFactor, not both',
      );
    }
    const foreign = topic.assignments.find(
      (a) => a.brokerIds.some((id) => id !== node.nodeId) || a.brokerIds.length !== 1,
    );
    if (foreign !== undefined) {
      return fail(
        ErrorCode.invalidReplicaAssignment,
        `Partition ${foreign.partitionIndex} must be assigned to node ${node.nodeId} alone`,
      );
    }
    partitions = topic.assignments.length;
  }
  if (partitions < 1 || partitions > storageLimits.partitionsPerTopicMax) {
    return fail(
      ErrorCode.invalidPartitions,
      `Cannot create topic '${topic.name}': partitions must be between 1 and ${storageLimits.partitionsPerTopicMax}, got ${partitions}`,
    );
  }
  if (topic.replicationFactor !== 1 && topic.replicationFactor !== -1) {
    return fail(
      ErrorCode.invalidReplicationFactor,
      `Replication factor ${topic.replicationFactor} is not possible on a 1-node cluster (use 1 or -1)`,
    );
  }
  const configs: Record<string, string> = {};
  for (const c of topic.configs) {
    if (c.value === null) return fail(ErrorCode.invalidConfig, `Config '${c.name}' has a null value`);
    configs[c.name] = c.value;
  }
  try {
    validateTopicConfigs(configs);
  } catch (error) {
    return fail(ErrorCode.invalidConfig, error instanceof Error ? error.message : String(error));
  }
  return { ok: true as const, partitions, configs };
}

function withDetails(
  ctx: RequestContext,
  r: Result,
  partitions: number,
  configs: Record<string, string>,
  topicId: string | null,
): Result {
  if (ctx.apiVersion < DETAILS_MIN_VERSION) return r;
  r.numPartitions = partitions;
  r.replicationFactor = 1;
  r.configs = describeTopicConfigs(configs, ctx.services.config).map((c) => ({
    name: c.name,
    value: c.value,
    readOnly: c.readOnly,
    configSource: c.source,
    isSensitive: false,
  }));
  if (topicId !== null && ctx.apiVersion >= 7) r.topicId = topicId;
  return r;
}

async function createOne(
  ctx: RequestContext,
  topic: CreateTopicsRequestCreatableTopic,
  validateOnly: boolean,
): Promise<Result> {
  if (
    !ctx.authorize('Create', 'Cluster', CLUSTER_RESOURCE_NAME) &&
    !ctx.authorize('Create', 'Topic', topic.name)
  ) {
    return result(ctx, topic.name, ErrorCode.topicAuthorizationFailed, null);
  }
  const planned = plan(ctx, topic);
  if (!planned.ok) return planned.result;
  if (validateOnly)
    return withDetails(ctx, result(ctx, topic.name, 0, null), planned.partitions, planned.configs, null);
  try {
    const created = await ctx.services.logs.createTopic(topic.name, planned.partitions, planned.configs);
    ctx.log.info({ topic: topic.name, partitions: planned.partitions }, 'Created topic');
    return withDetails(
      ctx,
      result(ctx, topic.name, 0, null),
      planned.partitions,
      planned.configs,
      created.topicId,
    );
  } catch (error) {
    return result(
      ctx,
      topic.name,
      errorCodeFor(error),
      error instanceof Error ? error.message : String(error),
    );
  }
}

export const handler = defineHandler<CreateTopicsRequest, CreateTopicsResponse>({
  apiKey: ApiKey.CreateTopics,
  decode: decodeCreateTopicsRequest,
  encode: encodeCreateTopicsResponse,
  async handle(ctx, request) {
    const counts = new Map<string, number>();
    for (const t of request.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
    const response = defaultCreateTopicsResponse();
    // One at a time: topics.json is rewritten per topic, and a request rarely names many.
    for (const topic of request.topics) {
      if ((counts.get(topic.name) ?? 0) > 1) {
        response.topics.push(
          result(ctx, topic.name, ErrorCode.invalidRequest, `Topic '${topic.name}' appears more than once`),
        );
      } else response.topics.push(await createOne(ctx, topic, request.validateOnly));
    }
    return response;
  },
  errorResponse(ctx, request, errorCode) {
    const response = defaultCreateTopicsResponse();
    response.topics = request.topics.map((t) => result(ctx, t.name, errorCode, null));
    return response;
  },
});
