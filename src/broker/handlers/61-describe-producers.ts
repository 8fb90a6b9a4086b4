// DescribeProducers (key 61), version 0: the producers each partition tracks (id, epoch, last
// sequence, last timestamp, coordinator epoch, first offset of the open transaction), as kept by
// the partition's producer state. Requires Read on each topic.
import { ErrorCode } from '../../protocol/error-codes.ts';
import { ApiKey } from '../../protocol/generated/apis.ts';
import {
  type DescribeProducersRequest,
  decodeDescribeProducersRequest,
} from '../../protocol/generated/describe-producers-request.ts';
import {
  type DescribeProducersResponse,
  type DescribeProducersResponsePartitionResponse,
  defaultDescribeProducersResponse,
  encodeDescribeProducersResponse,
} from '../../protocol/generated/describe-producers-response.ts';
import { defineHandler, type RequestContext } from '../handler.ts';

function partition(
  ctx: RequestContext,
  topic: string,
  index: number,
): DescribeProducersResponsePartitionResponse {
  const result: DescribeProducersResponsePartitionResponse = {
    partitionIndex: index,
    errorCode: ErrorCode.none,
    errorMessage: null,
    activeProducers: [],
  };
  if (!ctx.authorize('Read', 'Topic', topic))
    return { ...result, errorCode: ErrorCode.topicAuthorizationFailed };
  const log = ctx.services.logs.partition(topic, index);
  if (log === undefined) return { ...result, errorCode: ErrorCode.unknownTopicOrPartition };
  if (log.isOffline)
    return {
      ...result,
      errorCode: ErrorCode.kafkaStorageError,
      errorMessage: log.offlineError?.message ?? null,
    };
  result.activeProducers = log.producerStates().map((p) => ({
    producerId: p.producerId,
    producerEpoch: p.epoch,
    lastSequence: p.batches.at(-1)?.lastSeq ?? -1,
    lastTimestamp: BigInt(p.lastTimestampMs),
    coordinatorEpoch: p.coordinatorEpoch,
    currentTxnStartOffset: BigInt(p.currentTxnFirstOffset),
  }));
  return result;
}

export const handler = defineHandler<DescribeProducersRequest, DescribeProducersResponse>({
  apiKey: ApiKey.DescribeProducers,
  decode: decodeDescribeProducersRequest,
  encode: encodeDescribeProducersResponse,
  handle(ctx, request) {
    const response = defaultDescribeProducersResponse();
    response.topics = request.topics.map((t) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((p) => partition(ctx, t.name, p)),
    }));
    return response;
  },
  errorResponse(_ctx, request, errorCode) {
    const response = defaultDescribeProducersResponse();
    response.topics = request.topics.map((t) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((partitionIndex) => ({
        partitionIndex,
        errorCode,
        errorMessage: null,
        activeProducers: [],
      })),
    }));
    return response;
  },
});
