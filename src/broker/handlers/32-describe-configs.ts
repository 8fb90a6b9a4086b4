// DescribeConfigs (key 32), versions 0-4, for topics (type 2) and this broker (type 4, named by
// its node id or ''). Every config storage understands, with its effective value and source;
// synonyms (v1+) when asked, config types and documentation (v3+) when asked; v0 reports
// isDefault instead of a source. Requires DescribeConfigs on the topic or the cluster.
import { ErrorCode } from '../../protocol/error-codes.ts';
import { ApiKey } from '../../protocol/generated/apis.ts';
import {
  type DescribeConfigsRequest,
  type DescribeConfigsRequestDescribeConfigsResource,
  decodeDescribeConfigsRequest,
} from '../../protocol/generated/describe-configs-request.ts';
import {
  type DescribeConfigsResponse,
  type DescribeConfigsResponseDescribeConfigsResourceResult,
  type DescribeConfigsResponseDescribeConfigsResult,
  defaultDescribeConfigsResponse,
  defaultDescribeConfigsResponseDescribeConfigsResourceResult,
  encodeDescribeConfigsResponse,
} from '../../protocol/generated/describe-configs-response.ts';
import { CLUSTER_RESOURCE_NAME } from '../authorizer.ts';
import { defineHandler, type RequestContext } from '../handler.ts';
import {
  ConfigResourceType,
  ConfigSource,
  type DescribedConfig,
  describeBrokerConfigs,
  describeTopicConfigs,
} from '../topic-configs.ts';

const SOURCE_MIN_VERSION = 1;
const TYPES_MIN_VERSION = 3;

type Entry = DescribeConfigsResponseDescribeConfigsResourceResult;
type Result = DescribeConfigsResponseDescribeConfigsResult;

function entry(ctx: RequestContext, request: DescribeConfigsRequest, c: DescribedConfig): Entry {
  const e = defaultDescribeConfigsResponseDescribeConfigsResourceResult();
  e.name = c.name;
  e.value = c.value;
  e.readOnly = c.readOnly;
  if (ctx.apiVersion < SOURCE_MIN_VERSION) e.isDefault = c.source === ConfigSource.default;
  else {
    e.configSource = c.source;
    if (request.includeSynonyms)
      e.synonyms = c.synonyms.map((s) => ({ name: s.name, value: s.value, source: s.source }));
  }
  if (ctx.apiVersion >= TYPES_MIN_VERSION) {
    e.configType = c.type;
    if (request.includeDocumentation) e.documentation = c.documentation;
  }
  return e;
}

function failure(
  resource: DescribeConfigsRequestDescribeConfigsResource,
  errorCode: number,
  errorMessage: string | null,
): Result {
  return {
    errorCode,
    errorMessage,
    resourceType: resource.resourceType,
    resourceName: resource.resourceName,
    configs: [],
  };
}

function describeResource(
  ctx: RequestContext,
  request: DescribeConfigsRequest,
  resource: DescribeConfigsRequestDescribeConfigsResource,
): Result {
  const { logs, config, node } = ctx.services;
  let configs: DescribedConfig[];
  if (resource.resourceType === ConfigResourceType.topic) {
    if (!ctx.authorize('DescribeConfigs', 'Topic', resource.resourceName)) {
      return failure(resource, ErrorCode.topicAuthorizationFailed, null);
    }
    const topic = logs.describeTopic(resource.resourceName);
    if (topic === undefined)
      return failure(resource, ErrorCode.unknownTopicOrPartition, `Unknown topic '${resource.resourceName}'`);
    configs = describeTopicConfigs(topic.configs, config);
  } else if (resource.resourceType === ConfigResourceType.broker) {
    if (!ctx.authorize('DescribeConfigs', 'Cluster', CLUSTER_RESOURCE_NAME)) {
      return failure(resource, ErrorCode.clusterAuthorizationFailed, null);
    }
    if (resource.resourceName !== '' && resource.resourceName !== String(node.nodeId)) {
      return failure(
        resource,
        ErrorCode.invalidRequest,
        `Broker '${resource.resourceName}' is not this node (${node.nodeId})`,
      );
    }
    configs = describeBrokerConfigs(config, `${node.host}:${node.port}`);
  } else {
    return failure(
      resource,
      ErrorCode.invalidRequest,
      `Resource type ${resource.resourceType} is not described by this broker`,
    );
  }
  const keys = resource.configurationKeys === null ? null : new Set(resource.configurationKeys);
  return {
    errorCode: ErrorCode.none,
    errorMessage: null,
    resourceType: resource.resourceType,
    resourceName: resource.resourceName,
    configs: configs.filter((c) => keys === null || keys.has(c.name)).map((c) => entry(ctx, request, c)),
  };
}

export const handler = defineHandler<DescribeConfigsRequest, DescribeConfigsResponse>({
  apiKey: ApiKey.DescribeConfigs,
  decode: decodeDescribeConfigsRequest,
  encode: encodeDescribeConfigsResponse,
  handle(ctx, request) {
    const response = defaultDescribeConfigsResponse();
    response.results = request.resources.map((r) => describeResource(ctx, request, r));
    return response;
  },
  errorResponse(_ctx, request, errorCode) {
    const response = defaultDescribeConfigsResponse();
    response.results = request.resources.map((r) => failure(r, errorCode, null));
    return response;
  },
});
