// IncrementalAlterConfigs (key 44), versions 0-1: SET, DELETE (back to the default), APPEND and
// SUBTRACT (list configs: cleanup.policy) over a topic's current overrides. validateOnly checks
// without applying. Broker configs are static and refused. Requires AlterConfigs on the topic.
import { ApiKey } from '../../protocol/generated/apis.ts';
import {
  decodeIncrementalAlterConfigsRequest,
  type IncrementalAlterConfigsRequest,
} from '../../protocol/generated/incremental-alter-configs-request.ts';
import {
  defaultIncrementalAlterConfigsResponse,
  encodeIncrementalAlterConfigsResponse,
  type IncrementalAlterConfigsResponse,
} from '../../protocol/generated/incremental-alter-configs-response.ts';
import { alterTopicResource, applyOperations, effectiveTopicConfig } from '../config-changes.ts';
import { defineHandler } from '../handler.ts';

export const handler = defineHandler<IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse>({
  apiKey: ApiKey.IncrementalAlterConfigs,
  decode: decodeIncrementalAlterConfigsRequest,
  encode: encodeIncrementalAlterConfigsResponse,
  async handle(ctx, request) {
    const response = defaultIncrementalAlterConfigsResponse();
    for (const r of request.resources) {
      const ops = r.configs.map((c) => ({ name: c.name, op: c.configOperation, value: c.value }));
      const result = await alterTopicResource(
        ctx,
        r.resourceType,
        r.resourceName,
        request.validateOnly,
        (current) => applyOperations(current, ops, effectiveTopicConfig(ctx, current)),
      );
      response.responses.push({ ...result, resourceType: r.resourceType, resourceName: r.resourceName });
    }
    return response;
  },
  errorResponse(_ctx, request, errorCode) {
    const response = defaultIncrementalAlterConfigsResponse();
    response.responses = request.resources.map((r) => ({
      errorCode,
      errorMessage: null,
      resourceType: r.resourceType,
      resourceName: r.resourceName,
    }));
    return response;
  },
});
