// DeleteRecords (key 21), versions 0-2: moves a partition's log start offset up to the given
// offset (-1 = the high watermark); the answer's low watermark is the new log start offset.
// Requires Delete on the topic.
import { ErrorCode } from '../../protocol/error-codes.ts';
import { ApiKey } from '../../protocol/generated/apis.ts';
import {
  type DeleteRecordsRequest,
  type DeleteRecordsRequestDeleteRecordsPartition,
  decodeDeleteRecordsRequest,
} from '../../protocol/generated/delete-records-request.ts';
import {
  type DeleteRecordsResponse,
  defaultDeleteRecordsResponse,
  encodeDeleteRecordsResponse,
} from '../../protocol/generated/delete-records-response.ts';
import { errorCodeFor } from '../error-code-for.ts';
import { defineHandler, type RequestContext } from '../handler.ts';

const HIGH_WATERMARK = -1n;

async function truncate(ctx: RequestContext, topic: string, p: DeleteRecordsRequestDeleteRecordsPartition) {
  const answer = (errorCode: number, lowWatermark = -1n) => ({
    partitionIndex: p.partitionIndex,
    lowWatermark,
    errorCode,
  });
  const log = ctx.services.logs.partition(topic, p.partitionIndex);
  if (log === undefined) return answer(ErrorCode.unknownTopicOrPartition);
  const offset = p.offset === HIGH_WATERMARK ? log.logEndOffset : Number(p.offset);
  if (p.offset < HIGH_WATERMARK || offset > log.logEndOffset) return answer(ErrorCode.offsetOutOfRange);
  try {
    await log.deleteRecordsBefore(offset);
    return answer(ErrorCode.none, BigInt(log.logStartOffset));
  } catch (error) {
    return answer(errorCodeFor(error));
  }
}

export const handler = defineHandler<DeleteRecordsRequest, DeleteRecordsResponse>({
  apiKey: ApiKey.DeleteRecords,
  decode: decodeDeleteRecordsRequest,
  encode: encodeDeleteRecordsResponse,
  async handle(ctx, request) {
    const response = defaultDeleteRecordsResponse();
    response.topics = await Promise.all(
      request.topics.map(async (t) => {
        const allowed = ctx.authorize('Delete', 'Topic', t.name);
        const partitions = await Promise.all(
          t.partitions.map((p) =>
            allowed
              ? truncate(ctx, t.name, p)
              : {
                  partitionIndex: p.partitionIndex,
                  lowWatermark: -1n,
                  errorCode: ErrorCode.topicAuthorizationFailed,
                },
          ),
        );
        return { name: t.name, partitions };
      }),
    );
    return response;
  },
  errorResponse(_ctx, request, errorCode) {
    const response = defaultDeleteRecordsResponse();
    response.topics = request.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({
        partitionIndex: p.partitionIndex,
        lowWatermark: -1n,
        errorCode,
      })),
    }));
    return response;
  },
});
