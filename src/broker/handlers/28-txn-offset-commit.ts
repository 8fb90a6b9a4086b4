// TxnOffsetCommit (key 28), versions 0-4: offsets a consume-transform-produce loop commits inside
// its transaction. They are held by the transaction coordinator and reach the group (and
// __consumer_offsets) only when the transaction commits; an abort discards them. v3+ (KIP-447)
// carries the group generation and member, checked like an OffsetCommit. Requires Write on the
// transactional id, Read on the group and Read on each topic.
import { ErrorCode } from '../../protocol/error-codes.ts';
import { ApiKey } from '../../protocol/generated/apis.ts';
import {
  decodeTxnOffsetCommitRequest,
  type TxnOffsetCommitRequest,
} from '../../protocol/generated/txn-offset-commit-request.ts';
import {
  defaultTxnOffsetCommitResponse,
  encodeTxnOffsetCommitResponse,
  type TxnOffsetCommitResponse,
} from '../../protocol/generated/txn-offset-commit-response.ts';
import { defineHandler } from '../handler.ts';

function answer(
  request: TxnOffsetCommitRequest,
  codeFor: (topic: string) => number,
): TxnOffsetCommitResponse {
  const response = defaultTxnOffsetCommitResponse();
  response.topics = request.topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: codeFor(t.name) })),
  }));
  return response;
}

export const handler = defineHandler<TxnOffsetCommitRequest, TxnOffsetCommitResponse>({
  apiKey: ApiKey.TxnOffsetCommit,
  decode: decodeTxnOffsetCommitRequest,
  encode: encodeTxnOffsetCommitResponse,
  async handle(ctx, request) {
    if (!ctx.authorize('Write', 'TransactionalId', request.transactionalId))
      return answer(request, () => ErrorCode.transactionalIdAuthorizationFailed);
    if (!ctx.authorize('Read', 'Group', request.groupId))
      return answer(request, () => ErrorCode.groupAuthorizationFailed);
    const denied = new Set(
      request.topics.filter((t) => !ctx.authorize('Read', 'Topic', t.name)).map((t) => t.name),
    );
    if (denied.size > 0)
      return answer(request, (t) =>
        denied.has(t) ? ErrorCode.topicAuthorizationFailed : ErrorCode.operationNotAttempted,
      );
    const txns = ctx.services.nouns.transactions;
    if (txns === undefined) return answer(request, () => ErrorCode.coordinatorNotAvailable);
    const code = await txns.txnOffsetCommit({
      transactionalId: request.transactionalId,
      groupId: request.groupId,
      producerId: request.producerId,
      producerEpoch: request.producerEpoch,
      generationId: request.generationId,
      memberId: request.memberId,
      groupInstanceId: request.groupInstanceId,
      offsets: request.topics.flatMap((t) =>
        t.partitions.map((p) => ({
          topic: t.name,
          partition: p.partitionIndex,
          value: {
            offset: p.committedOffset,
            leaderEpoch: p.committedLeaderEpoch,
            metadata: p.committedMetadata ?? '',
          },
        })),
      ),
    });
    return answer(request, () => code);
  },
  errorResponse: (_ctx, request, errorCode) => answer(request, () => errorCode),
});
