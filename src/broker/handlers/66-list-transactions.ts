// ListTransactions (key 66), versions 0-1: transactional ids known to this coordinator, filtered by
// state names and producer ids, and (v1, KIP-994) by how long the transaction has been open.
// Unknown state names are echoed in unknownStateFilters. Lists only ids the caller may Describe.
import { ErrorCode } from '../../protocol/error-codes.ts';
import { ApiKey } from '../../protocol/generated/apis.ts';
import {
  decodeListTransactionsRequest,
  type ListTransactionsRequest,
} from '../../protocol/generated/list-transactions-request.ts';
import {
  defaultListTransactionsResponse,
  encodeListTransactionsResponse,
  type ListTransactionsResponse,
} from '../../protocol/generated/list-transactions-response.ts';
import { txnStates } from '../../txn/transaction-state.ts';
import { defineHandler } from '../handler.ts';

const DURATION_FILTER_MIN_VERSION = 1;

export const handler = defineHandler<ListTransactionsRequest, ListTransactionsResponse>({
  apiKey: ApiKey.ListTransactions,
  decode: decodeListTransactionsRequest,
  encode: encodeListTransactionsResponse,
  handle(ctx, request) {
    const response = defaultListTransactionsResponse();
    const txns = ctx.services.nouns.transactions;
    if (txns === undefined) {
      response.errorCode = ErrorCode.coordinatorNotAvailable;
      return response;
    }
    const known = new Set(Object.keys(txnStates));
    response.unknownStateFilters = request.stateFilters.filter((s) => !known.has(s));
    const states = new Set(request.stateFilters.filter((s) => known.has(s)));
    if (request.stateFilters.length > 0 && states.size === 0) return response;
    const minDurationMs = ctx.apiVersion >= DURATION_FILTER_MIN_VERSION ? Number(request.durationFilter) : -1;
    response.transactionStates = txns
      .list(states, new Set(request.producerIdFilters), minDurationMs)
      .filter((t) => ctx.authorize('Describe', 'TransactionalId', t.transactionalId))
      .map((t) => ({
        transactionalId: t.transactionalId,
        producerId: t.producerId,
        transactionState: t.state,
      }));
    return response;
  },
  errorResponse(_ctx, _request, errorCode) {
    const response = defaultListTransactionsResponse();
    response.errorCode = errorCode;
    return response;
  },
});
