// AddPartitionsToTxn (key 24), versions 0-5. v0-3 (clients) add one transaction's partitions and
// answer per topic; v4+ batch several transactions, each possibly verifyOnly (only checks that the
// partitions are already in the ongoing transaction). Partitions of unknown topics are
// UNKNOWN_TOPIC_OR_PARTITION and the rest OPERATION_NOT_ATTEMPTED. Requires Write on the
// transactional id and on each topic. Delegates to the transaction coordinator.
import { ErrorCode } from '../../protocol/error-codes.ts';
import {
  type AddPartitionsToTxnRequest,
  type AddPartitionsToTxnRequestAddPartitionsToTxnTopic,
  decodeAddPartitionsToTxnRequest,
} from '../../protocol/generated/add-partitions-to-txn-request.ts';
import {
  type AddPartitionsToTxnResponse,
  type AddPartitionsToTxnResponseAddPartitionsToTxnTopicResult,
  defaultAddPartitionsToTxnResponse,
  encodeAddPartitionsToTxnResponse,
} from '../../protocol/generated/add-partitions-to-txn-response.ts';
import { ApiKey } from '../../protocol/generated/apis.ts';
import { tpKey } from '../../txn/transaction-state.ts';
import { defineHandler, type RequestContext } from '../handler.ts';

const BATCHED_MIN_VERSION = 4;

interface OneTxn {
  transactionalId: string;
  producerId: bigint;
  producerEpoch: number;
  verifyOnly: boolean;
  topics: AddPartitionsToTxnRequestAddPartitionsToTxnTopic[];
}

function transactionsOf(ctx: RequestContext, request: AddPartitionsToTxnRequest): OneTxn[] {
  if (ctx.apiVersion >= BATCHED_MIN_VERSION) return request.transactions;
  return [
    {
      transactionalId: request.v3AndBelowTransactionalId,
      producerId: request.v3AndBelowProducerId,
      producerEpoch: request.v3AndBelowProducerEpoch,
      verifyOnly: false,
      topics: request.v3AndBelowTopics,
    },
  ];
}

function uniform(txn: OneTxn, errorCode: number): AddPartitionsToTxnResponseAddPartitionsToTxnTopicResult[] {
  return txn.topics.map((t) => ({
    name: t.name,
    resultsByPartition: t.partitions.map((partitionIndex) => ({
      partitionIndex,
      partitionErrorCode: errorCode,
    })),
  }));
}

async function addOne(
  ctx: RequestContext,
  txn: OneTxn,
): Promise<AddPartitionsToTxnResponseAddPartitionsToTxnTopicResult[]> {
  if (!ctx.authorize('Write', 'TransactionalId', txn.transactionalId))
    return uniform(txn, ErrorCode.transactionalIdAuthorizationFailed);
  const txns = ctx.services.nouns.transactions;
  if (txns === undefined) return uniform(txn, ErrorCode.coordinatorNotAvailable);
  const denied = txn.topics.filter((t) => !ctx.authorize('Write', 'Topic', t.name));
  if (denied.length > 0) {
    return txn.topics.map((t) => ({
      name: t.name,
      resultsByPartition: t.partitions.map((partitionIndex) => ({
        partitionIndex,
        partitionErrorCode: denied.includes(t)
          ? ErrorCode.topicAuthorizationFailed
          : ErrorCode.operationNotAttempted,
      })),
    }));
  }
  const partitions = txn.topics.flatMap((t) =>
    t.partitions.map((partition) => ({ topic: t.name, partition })),
  );
  const codes = await txns.addPartitions(
    txn.transactionalId,
    txn.producerId,
    txn.producerEpoch,
    partitions,
    txn.verifyOnly,
  );
  let results = txn.topics.map((t) => ({
    name: t.name,
    resultsByPartition: t.partitions.map((partitionIndex) => ({
      partitionIndex,
      partitionErrorCode: codes.get(tpKey(t.name, partitionIndex)) ?? ErrorCode.unknownServerError,
    })),
  }));
  // PRODUCER_FENCED arrived in v2... clients before it know INVALID_PRODUCER_EPOCH.
  if (ctx.apiVersion < 2) {
    results = results.map((t) => ({
      ...t,
      resultsByPartition: t.resultsByPartition.map((p) => ({
        ...p,
        partitionErrorCode:
          p.partitionErrorCode === ErrorCode.producerFenced
            ? ErrorCode.invalidProducerEpoch
            : p.partitionErrorCode,
      })),
    }));
  }
  return results;
}

function respond(
  ctx: RequestContext,
  txns: OneTxn[],
  results: AddPartitionsToTxnResponseAddPartitionsToTxnTopicResult[][],
) {
  const response = defaultAddPartitionsToTxnResponse();
  if (ctx.apiVersion >= BATCHED_MIN_VERSION) {
    response.resultsByTransaction = txns.map((t, i) => ({
      transactionalId: t.transactionalId,
      topicResults: results[i] ?? [],
    }));
  } else {
    response.resultsByTopicV3AndBelow = results[0] ?? [];
  }
  return response;
}

export const handler = defineHandler<AddPartitionsToTxnRequest, AddPartitionsToTxnResponse>({
  apiKey: ApiKey.AddPartitionsToTxn,
  decode: decodeAddPartitionsToTxnRequest,
  encode: encodeAddPartitionsToTxnResponse,
  async handle(ctx, request) {
    const txns = transactionsOf(ctx, request);
    const results = await Promise.all(txns.map((t) => addOne(ctx, t)));
    return respond(ctx, txns, results);
  },
  errorResponse(ctx, request, errorCode) {
    const txns = transactionsOf(ctx, request);
    const response = respond(
      ctx,
      txns,
      txns.map((t) => uniform(t, errorCode)),
    );
    if (ctx.apiVersion >= BATCHED_MIN_VERSION) response.errorCode = errorCode;
    return response;
  },
});
