// InitProducerId (key 22), versions 0-5. Without a transactional id: a fresh producer id, epoch 0
// (idempotence). With one: the id's producer id and a bumped epoch, fencing older incarnations;
// an open transaction is first aborted (answered CONCURRENT_TRANSACTIONS; the client retries).
// v3+ (KIP-360) may name the current producer id and epoch to re-initialise after an error.
// Requires Write on the transactional id. Delegates to the transaction coordinator.
import { ErrorCode } from '../../protocol/error-codes.ts';
import { ApiKey } from '../../protocol/generated/apis.ts';
import {
  decodeInitProducerIdRequest,
  type InitProducerIdRequest,
} from '../../protocol/generated/init-producer-id-request.ts';
import {
  defaultInitProducerIdResponse,
  encodeInitProducerIdResponse,
  type InitProducerIdResponse,
} from '../../protocol/generated/init-producer-id-response.ts';
import { defineHandler } from '../handler.ts';

function failed(errorCode: number): InitProducerIdResponse {
  const response = defaultInitProducerIdResponse();
  response.errorCode = errorCode;
  return response;
}

export const handler = defineHandler<InitProducerIdRequest, InitProducerIdResponse>({
  apiKey: ApiKey.InitProducerId,
  decode: decodeInitProducerIdRequest,
  encode: encodeInitProducerIdResponse,
  async handle(ctx, request) {
    const txnId = request.transactionalId;
    if (txnId !== null && !ctx.authorize('Write', 'TransactionalId', txnId))
      return failed(ErrorCode.transactionalIdAuthorizationFailed);
    const txns = ctx.services.nouns.transactions;
    if (txns === undefined) return failed(ErrorCode.coordinatorNotAvailable);
    const result = await txns.initProducerId(
      txnId,
      request.transactionTimeoutMs,
      request.producerId,
      request.producerEpoch,
    );
    const response = defaultInitProducerIdResponse();
    response.errorCode = result.errorCode;
    response.producerId = result.producerId;
    response.producerEpoch = result.producerEpoch;
    // PRODUCER_FENCED arrived in v4; older clients know it as INVALID_PRODUCER_EPOCH.
    if (response.errorCode === ErrorCode.producerFenced && ctx.apiVersion < 4)
      response.errorCode = ErrorCode.invalidProducerEpoch;
    return response;
  },
  errorResponse: (_ctx, _request, errorCode) => failed(errorCode),
});
