// FindCoordinator (key 10), versions 0-6. This node coordinates every group (key type 0) and
// every transactional id (key type 1); other key types (share groups) are INVALID_REQUEST.
// v0-v3 name one key and answer at the top level; v4+ batch keys in coordinatorKeys and answer
// one entry per key. Requires Describe on the group or transactional id.
import { coordinatorLimits } from '../../limits.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import { ApiKey } from '../../protocol/generated/apis.ts';
import {
  decodeFindCoordinatorRequest,
  type FindCoordinatorRequest,
} from '../../protocol/generated/find-coordinator-request.ts';
import {
  defaultFindCoordinatorResponse,
  encodeFindCoordinatorResponse,
  type FindCoordinatorResponse,
  type FindCoordinatorResponseCoordinator,
} from '../../protocol/generated/find-coordinator-response.ts';
import { defineHandler, type RequestContext } from '../handler.ts';

const BATCHED_MIN_VERSION = 4;
const KEY_TYPE_GROUP = 0;
const KEY_TYPE_TRANSACTION = 1;

function find(ctx: RequestContext, key: string, keyType: number): FindCoordinatorResponseCoordinator {
  const { node, nouns } = ctx.services;
  const answer = (errorCode: number, errorMessage: string | null): FindCoordinatorResponseCoordinator => ({
    key,
    nodeId: errorCode === ErrorCode.none ? node.nodeId : -1,
    host: errorCode === ErrorCode.none ? node.host : '',
    port: errorCode === ErrorCode.none ? node.port : -1,
    errorCode,
    errorMessage,
  });
  if (keyType === KEY_TYPE_GROUP) {
    if (!ctx.authorize('Describe', 'Group', key)) return answer(ErrorCode.groupAuthorizationFailed, null);
    if (key === '') return answer(ErrorCode.invalidRequest, 'Group id must not be empty');
    if (nouns.groups === undefined)
      return answer(ErrorCode.coordinatorNotAvailable, 'The group coordinator is not running');
    return answer(ErrorCode.none, null);
  }
  if (keyType === KEY_TYPE_TRANSACTION) {
    if (!ctx.authorize('Describe', 'TransactionalId', key))
      return answer(ErrorCode.transactionalIdAuthorizationFailed, null);
    if (key === '') return answer(ErrorCode.invalidRequest, 'Transactional id must not be empty');
    return answer(ErrorCode.none, null);
  }
  return answer(ErrorCode.invalidRequest, `Key type ${keyType} is not supported`);
}

function respond(
  ctx: RequestContext,
  coordinators: FindCoordinatorResponseCoordinator[],
): FindCoordinatorResponse {
  const response = defaultFindCoordinatorResponse();
  if (ctx.apiVersion >= BATCHED_MIN_VERSION) {
    response.coordinators = coordinators;
    return response;
  }
  const one = coordinators[0];
  if (one === undefined) return response;
  response.errorCode = one.errorCode;
  if (ctx.apiVersion >= 1) response.errorMessage = one.errorMessage;
  response.nodeId = one.nodeId;
  response.host = one.host;
  response.port = one.port;
  return response;
}

function failAll(
  ctx: RequestContext,
  request: FindCoordinatorRequest,
  errorCode: number,
): FindCoordinatorResponse {
  const keys = ctx.apiVersion >= BATCHED_MIN_VERSION ? request.coordinatorKeys : [request.key];
  return respond(
    ctx,
    keys.map((key) => ({ key, nodeId: -1, host: '', port: -1, errorCode, errorMessage: null })),
  );
}

export const handler = defineHandler<FindCoordinatorRequest, FindCoordinatorResponse>({
  apiKey: ApiKey.FindCoordinator,
  decode: decodeFindCoordinatorRequest,
  encode: encodeFindCoordinatorResponse,
  handle(ctx, request) {
    const keys = ctx.apiVersion >= BATCHED_MIN_VERSION ? request.coordinatorKeys : [request.key];
    if (keys.length > coordinatorLimits.coordinatorKeysMax)
      return failAll(ctx, request, ErrorCode.invalidRequest);
    return respond(
      ctx,
      keys.map((key) => find(ctx, key, request.keyType)),
    );
  },
  errorResponse: failAll,
});
