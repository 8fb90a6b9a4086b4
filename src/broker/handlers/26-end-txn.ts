// EndTxn (key 26), versions 0-5: commits or aborts the ongoing transaction. Answered once the
// decision is durable in __transaction_state and the markers are written to every partition of
// the transaction (a retry of a completed EndTxn answers NONE). Requires Write on the transactional
// id. v5 (KIP-890's transaction version 2, still unstable in Kafka) is not served. Delegates to
// the transaction coordinator.
import { ErrorCode } from '../../protocol/error-codes.ts';
import { ApiKey } from '../../protocol/generated/apis.ts';
import { decodeEndTxnRequest, type EndTxnRequest } from '../../protocol/generated/end-txn-request.ts';
import {
  defaultEndTxnResponse,
  type EndTxnResponse,
  encodeEndTxnResponse,
} from '../../protocol/generated/end-txn-response.ts';
import { defineHandler } from '../handler.ts';

export const handler = defineHandler<EndTxnRequest, EndTxnResponse>({
  apiKey: ApiKey.EndTxn,
  maxVersion: 4,
  decode: decodeEndTxnRequest,
  encode: encodeEndTxnResponse,
  async handle(ctx, request) {
    const response = defaultEndTxnResponse();
    if (!ctx.authorize('Write', 'TransactionalId', request.transactionalId)) {
      response.errorCode = ErrorCode.transactionalIdAuthorizationFailed;
      return response;
    }
    const txns = ctx.services.nouns.transactions;
    if (txns === undefined) {
      response.errorCode = ErrorCode.coordinatorNotAvailable;
      return response;
    }
    const code = await txns.endTxn(
      request.transactionalId,
      request.producerId,
      request.producerEpoch,
      request.committed,
    );
    response.errorCode =
      code === ErrorCode.producerFenced && ctx.apiVersion < 2 ? ErrorCode.invalidProducerEpoch : code;
    return response;
  },
  errorResponse(_ctx, _request, errorCode) {
    const response = defaultEndTxnResponse();
    response.errorCode = errorCode;
    return response;
  },
});
