// ApiVersions (key 18), versions 0-4: the APIs and version ranges this broker serves, read from
// the handler registry. v3+ carries the client's software name and version (logged, not checked).
// A request for a version newer than we serve is answered by the server, not here: with a v0
// response carrying UNSUPPORTED_VERSION and the supported list (see unsupportedApiVersions), so
// that the client can retry with a version we share.
import { ErrorCode } from '../../protocol/error-codes.ts';
import {
  type ApiVersionsRequest,
  decodeApiVersionsRequest,
} from '../../protocol/generated/api-versions-request.ts';
import {
  type ApiVersionsResponse,
  defaultApiVersionsResponse,
  encodeApiVersionsResponse,
} from '../../protocol/generated/api-versions-response.ts';
import { ApiKey } from '../../protocol/generated/apis.ts';
import { defineHandler } from '../handler.ts';
import type { HandlerRegistry } from './registry.ts';

function answer(registry: HandlerRegistry, errorCode: number): ApiVersionsResponse {
  const response = defaultApiVersionsResponse();
  response.errorCode = errorCode;
  response.apiKeys = registry.apiVersions();
  return response;
}

/** The v0 answer to an ApiVersions request whose version this broker does not serve. */
export function unsupportedApiVersions(registry: HandlerRegistry): ApiVersionsResponse {
  return answer(registry, ErrorCode.unsupportedVersion);
}

export const handler = defineHandler<ApiVersionsRequest, ApiVersionsResponse>({
  apiKey: ApiKey.ApiVersions,
  decode: decodeApiVersionsRequest,
  encode: encodeApiVersionsResponse,
  handle(ctx) {
    // ApiVersions is answered before authentication in Kafka; there is no resource to authorise.
    return answer(ctx.services.handlers, ErrorCode.none);
  },
  errorResponse(_ctx, _request, errorCode) {
    const response = defaultApiVersionsResponse();
    response.errorCode = errorCode;
    return response;
  },
});
