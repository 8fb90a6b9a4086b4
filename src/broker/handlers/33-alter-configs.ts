// AlterConfigs (key 33), versions 0-2: replaces a topic's config overrides with exactly the set
// given (Kafka's legacy, non-incremental semantics). validateOnly checks without applying.
// Broker configs are static and refused. Requires AlterConfigs on the topic.

import {
  type AlterConfigsRequest,
  decodeAlterConfigsRequest,
} from '../../protocol/generated/alter-configs-request.ts';
import {
  type AlterConfigsResponse,
  defaultAlterConfigsResponse,
  encodeAlterConfigsResponse,
} from '../../protocol/generated/alter-configs-response.ts';
import { ApiKey } from '../../protocol/generated/apis.ts';
import { AlterOp, alterTopicResource, applyOperations } from '../config-changes.ts';
import { defineHandler } from '../handler.ts';

export const handler = defineHandler<AlterConfigsRequest, AlterConfigsResponse>({
  apiKey: ApiKey.AlterConfigs,
  decode: decodeAlterConfigsRequest,
  encode: encodeAlterConfigsResponse,
  async handle(ctx, request) {
    const response = defaultAlterConfigsResponse();
    for (const r of request.resources) {
      const ops = r.configs.map((c) => ({ name: c.name, op: AlterOp.set, value: c.value }));
      const result = await alterTopicResource(ctx, r.resourceType, r.resourceName, request.validateOnly, () =>
        applyOperations({}, ops, () => undefined),
      );
      response.responses.push({ ...result, resourceType: r.resourceType, resourceName: r.resourceName });
    }
    return response;
  },
  errorResponse(_ctx, request, errorCode) {
    const response = defaultAlterConfigsResponse();
    response.responses = request.resources.map((r) => ({
      errorCode,
      errorMessage: null,
      resourceType: r.resourceType,
      resourceName: r.resourceName,
    }));
    return response;
  },
});
