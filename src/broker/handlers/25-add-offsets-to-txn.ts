// AddOffsetsToTxn (key 25), versions 0-4: adds a consumer group to the ongoing transaction so that
// TxnOffsetCommit may commit its offsets, which become visible only when the transaction commits.
// Requires Write on the transactional id and Read on the group. Delegates to the transaction coordinator.
import { ErrorCode } from '../../protocol/error-codes.ts';
import {
  type AddOffsetsToTxnRequest,
  decodeAddOffsetsToTxnRequest,
} from '../../protocol/generated/add-offsets-to-txn-request.ts';
import {
  type AddOffsetsToTxnResponse,
  defaultAddOffsetsToTxnResponse,
  encodeAddOffsetsToTxnResponse,
} from '../../protocol/generated/add-offsets-to-txn-response.ts';
import { ApiKey } from '../../protocol/generated/apis.ts';
import { defineHandler } from '../handler.ts';

function answer(errorCode: number): AddOffsetsToTxnResponse {
  const response = defaultAddOffsetsToTxnResponse();
  response.errorCode = errorCode;
  return response;
}

export const handler = defineHandler<AddOffsetsToTxnRequest, AddOffsetsToTxnResponse>({
  apiKey: ApiKey.AddOffsetsToTxn,
  decode: decodeAddOffsetsToTxnRequest,
  encode: encodeAddOffsetsToTxnResponse,
  async handle(ctx, request) {
    if (!ctx.authorize('Write', 'TransactionalId', request.transactionalId))
      return answer(ErrorCode.transactionalIdAuthorizationFailed);
    if (!ctx.authorize('Read', 'Group', request.groupId)) return answer(ErrorCode.groupAuthorizationFailed);
    const txns = ctx.services.nouns.transactions;
    if (txns === undefined) return answer(ErrorCode.coordinatorNotAvailable);
    const code = await txns.addOffsets(
      request.transactionalId,
      request.producerId,
      request.producerEpoch,
      request.groupId,
    );
    return answer(
      code === ErrorCode.producerFenced && ctx.apiVersion < 2 ? ErrorCode.invalidProducerEpoch : code,
    );
  },
  errorResponse: (_ctx, _request, errorCode) => answer(errorCode),
});
