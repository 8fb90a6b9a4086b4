// DescribeTransactions (key 65), version 0: each transactional id's state, timeout, start time,
// producer id and epoch, and the partitions of its ongoing transaction. Unknown ids are
// TRANSACTIONAL_ID_NOT_FOUND. Requires Describe on each transactional id.
import { transactionLimits } from '../../limits.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import { ApiKey } from '../../protocol/generated/apis.ts';
import {
  type DescribeTransactionsRequest,
  decodeDescribeTransactionsRequest,
} from '../../protocol/generated/describe-transactions-request.ts';
import {
  type DescribeTransactionsResponse,
  type DescribeTransactionsResponseTransactionState,
  defaultDescribeTransactionsResponse,
  encodeDescribeTransactionsResponse,
} from '../../protocol/generated/describe-transactions-response.ts';
import type { DescribedTxn } from '../../txn/transaction-coordinator.ts';
import { defineHandler } from '../handler.ts';

function failed(transactionalId: string, errorCode: number): DescribeTransactionsResponseTransactionState {
  return {
    errorCode,
    transactionalId,
    transactionState: '',
    transactionTimeoutMs: 0,
    transactionStartTimeMs: -1n,
    producerId: -1n,
    producerEpoch: -1,
    topics: [],
  };
}

function described(d: DescribedTxn): DescribeTransactionsResponseTransactionState {
  if (d.errorCode !== ErrorCode.none) return failed(d.transactionalId, d.errorCode);
  const byTopic = new Map<string, number[]>();
  for (const p of d.partitions) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p.partition]);
  return {
    errorCode: ErrorCode.none,
    transactionalId: d.transactionalId,
    transactionState: d.state,
    transactionTimeoutMs: d.timeoutMs,
    transactionStartTimeMs: BigInt(d.startTimestampMs),
    producerId: d.producerId,
    producerEpoch: d.producerEpoch,
    topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
  };
}

export const handler = defineHandler<DescribeTransactionsRequest, DescribeTransactionsResponse>({
  apiKey: ApiKey.DescribeTransactions,
  decode: decodeDescribeTransactionsRequest,
  encode: encodeDescribeTransactionsResponse,
  handle(ctx, request) {
    const response = defaultDescribeTransactionsResponse();
    const txns = ctx.services.nouns.transactions;
    const ids = request.transactionalIds;
    if (ids.length > transactionLimits.transactionsPerResponseMax) {
      response.transactionStates = ids.map((id) => failed(id, ErrorCode.invalidRequest));
      return response;
    }
    response.transactionStates = ids.map((id) => {
      if (!ctx.authorize('Describe', 'TransactionalId', id))
        return failed(id, ErrorCode.transactionalIdAuthorizationFailed);
      if (txns === undefined) return failed(id, ErrorCode.coordinatorNotAvailable);
      return described(txns.describe(id));
    });
    return response;
  },
  errorResponse(_ctx, request, errorCode) {
    const response = defaultDescribeTransactionsResponse();
    response.transactionStates = request.transactionalIds.map((id) => failed(id, errorCode));
    return response;
  },
});
