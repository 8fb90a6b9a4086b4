// Metadata (key 3), versions 0-12: this node as the only broker, controller and leader of every
// partition. A null topic list (v1+) or an empty one (v0) means every topic the principal may
// describe. Topics can be named by id from v10 (answered UNKNOWN_TOPIC_ID when unknown). A topic
// that does not exist is created with num.partitions when auto.create.topics.enable is on, the
// request allows it (always before v4) and the principal may Create it; it is answered complete
// at once rather than with LEADER_NOT_AVAILABLE, since creation here is synchronous.
import { ErrorCode } from '../../protocol/error-codes.ts';
import { ApiKey } from '../../protocol/generated/apis.ts';
import { decodeMetadataRequest, type MetadataRequest } from '../../protocol/generated/metadata-request.ts';
import {
  defaultMetadataResponse,
  defaultMetadataResponseMetadataResponseTopic,
  encodeMetadataResponse,
  type MetadataResponse,
  type MetadataResponseMetadataResponsePartition,
  type MetadataResponseMetadataResponseTopic,
} from '../../protocol/generated/metadata-response.ts';
import { isStorageError } from '../../storage/errors.ts';
import type { TopicMetadata } from '../../storage/topic-metadata.ts';
import { authorizedOperations, CLUSTER_RESOURCE_NAME } from '../authorizer.ts';
import { errorCodeFor } from '../error-code-for.ts';
import { defineHandler, type RequestContext } from '../handler.ts';
import { isInternalTopic, isLegalTopicName, topicsById, ZERO_UUID } from '../topic-names.ts';

const TOPIC_IDS_MIN_VERSION = 10;
const AUTO_CREATE_FLAG_MIN_VERSION = 4;

function errorTopic(
  name: string | null,
  topicId: string,
  errorCode: number,
): MetadataResponseMetadataResponseTopic {
  const t = defaultMetadataResponseMetadataResponseTopic();
  t.name = name;
  t.topicId = topicId;
  t.errorCode = errorCode;
  return t;
}

function describeTopic(
  ctx: RequestContext,
  topic: TopicMetadata,
  includeOperations: boolean,
): MetadataResponseMetadataResponseTopic {
  const { nodeId } = ctx.services.node;
  const t = defaultMetadataResponseMetadataResponseTopic();
  t.name = topic.name;
  t.topicId = topic.topicId;
  t.isInternal = isInternalTopic(topic.name);
  const partitions: MetadataResponseMetadataResponsePartition[] = [];
  for (let p = 0; p < topic.partitions; p++) {
    const offline = ctx.services.logs.partition(topic.name, p)?.isOffline ?? true;
    partitions.push({
      errorCode: offline ? ErrorCode.kafkaStorageError : ErrorCode.none,
      partitionIndex: p,
      leaderId: nodeId,
      leaderEpoch: 0,
      replicaNodes: [nodeId],
      isrNodes: offline ? [] : [nodeId],
      offlineReplicas: offline ? [nodeId] : [],
    });
  }
  t.partitions = partitions;
  if (includeOperations)
    t.topicAuthorizedOperations = authorizedOperations(ctx.authorize, 'Topic', topic.name);
  return t;
}

async function autoCreate(ctx: RequestContext, name: string, includeOperations: boolean) {
  const { logs, config } = ctx.services;
  if (!ctx.authorize('Create', 'Cluster', CLUSTER_RESOURCE_NAME) && !ctx.authorize('Create', 'Topic', name)) {
    return errorTopic(name, ZERO_UUID, ErrorCode.unknownTopicOrPartition);
  }
  try {
    const created = await logs.createTopic(name, config.numPartitions);
    ctx.log.info({ topic: name, partitions: config.numPartitions }, 'Auto-created topic');
    return describeTopic(ctx, created, includeOperations);
  } catch (error) {
    // Another request created it first: answer with what exists.
    const existing = logs.describeTopic(name);
    if (isStorageError(error) && error.code === 'topic_exists' && existing !== undefined) {
      return describeTopic(ctx, existing, includeOperations);
    }
    ctx.log.warn({ topic: name, err: error }, 'Cannot auto-create topic');
    return errorTopic(name, ZERO_UUID, errorCodeFor(error));
  }
}

async function requestedTopics(
  ctx: RequestContext,
  request: MetadataRequest,
  requested: MetadataRequest['topics'] & {},
) {
  const { logs, config } = ctx.services;
  const v = ctx.apiVersion;
  const include = request.includeTopicAuthorizedOperations;
  const mayCreate =
    config.autoCreateTopics && (v < AUTO_CREATE_FLAG_MIN_VERSION || request.allowAutoTopicCreation);
  const byId = v >= TOPIC_IDS_MIN_VERSION && requested.some((t) => t.name === null) ? topicsById(logs) : null;
  const out: MetadataResponseMetadataResponseTopic[] = [];
  for (const wanted of requested) {
    if (wanted.name === null) {
      const topic = byId?.get(wanted.topicId);
      if (topic === undefined || !ctx.authorize('Describe', 'Topic', topic.name)) {
        out.push(errorTopic(null, wanted.topicId, ErrorCode.unknownTopicId));
      } else out.push(describeTopic(ctx, topic, include));
      continue;
    }
    const name = wanted.name;
    if (!isLegalTopicName(name)) out.push(errorTopic(name, ZERO_UUID, ErrorCode.invalidTopicException));
    else if (!ctx.authorize('Describe', 'Topic', name)) {
      out.push(errorTopic(name, ZERO_UUID, ErrorCode.topicAuthorizationFailed));
    } else {
      const topic = logs.describeTopic(name);
      if (topic !== undefined) out.push(describeTopic(ctx, topic, include));
      else if (mayCreate) out.push(await autoCreate(ctx, name, include));
      else out.push(errorTopic(name, ZERO_UUID, ErrorCode.unknownTopicOrPartition));
    }
  }
  return out;
}

export const handler = defineHandler<MetadataRequest, MetadataResponse>({
  apiKey: ApiKey.Metadata,
  decode: decodeMetadataRequest,
  encode: encodeMetadataResponse,
  async handle(ctx, request) {
    const { node, logs } = ctx.services;
    const response = defaultMetadataResponse();
    response.brokers = [{ nodeId: node.nodeId, host: node.host, port: node.port, rack: node.rack }];
    response.clusterId = node.clusterId;
    response.controllerId = node.nodeId;
    const all = request.topics === null || (ctx.apiVersion === 0 && request.topics.length === 0);
    if (all) {
      response.topics = logs
        .listTopics()
        .filter((t) => ctx.authorize('Describe', 'Topic', t.name))
        .map((t) => describeTopic(ctx, t, request.includeTopicAuthorizedOperations));
    } else {
      response.topics = await requestedTopics(ctx, request, request.topics ?? []);
    }
    if (request.includeClusterAuthorizedOperations && ctx.apiVersion >= 8 && ctx.apiVersion <= 10) {
      response.clusterAuthorizedOperations = authorizedOperations(
        ctx.authorize,
        'Cluster',
        CLUSTER_RESOURCE_NAME,
      );
    }
    return response;
  },
  errorResponse(ctx, request, errorCode) {
    const response = defaultMetadataResponse();
    const { node } = ctx.services;
    response.brokers = [{ nodeId: node.nodeId, host: node.host, port: node.port, rack: node.rack }];
    response.topics = (request.topics ?? []).map((t) => errorTopic(t.name, t.topicId, errorCode));
    return response;
  },
});
