// ListOffsets (key 2), versions 0-10. Per partition: timestamp -2 = log start offset (earliest),
// -1 = latest (the log end offset, or the last stable offset for read_committed, v2+), -3 = the
// first record carrying the largest timestamp (v7+, KIP-734), -4 = earliest local offset (=
// earliest: there is no tiered storage), -5 = earliest pending upload (none: offset -1); a
// timestamp >= 0 = the first record whose timestamp is at or after it, or -1 when there is none.
// As in Kafka, read_committed answers only offsets below the last stable offset (else -1), so a
// consumer never seeks into an undecided transaction. v0 answers with oldStyleOffsets (at most
// maxNumOffsets of them: the one offset found).
import { ErrorCode } from '../../protocol/error-codes.ts';
import { ApiKey } from '../../protocol/generated/apis.ts';
import {
  decodeListOffsetsRequest,
  type ListOffsetsRequest,
  type ListOffsetsRequestListOffsetsPartition,
} from '../../protocol/generated/list-offsets-request.ts';
import {
  defaultListOffsetsResponse,
  defaultListOffsetsResponseListOffsetsPartitionResponse,
  encodeListOffsetsResponse,
  type ListOffsetsResponse,
  type ListOffsetsResponseListOffsetsPartitionResponse,
} from '../../protocol/generated/list-offsets-response.ts';
import { errorCodeFor } from '../error-code-for.ts';
import { defineHandler, type RequestContext } from '../handler.ts';

const LATEST = -1n;
const EARLIEST = -2n;
const MAX_TIMESTAMP = -3n;
const EARLIEST_LOCAL = -4n;
const EARLIEST_PENDING_UPLOAD = -5n;
/** isolationLevel exists from v2 (KIP-98). */
const READ_COMMITTED_MIN_VERSION = 2;

type PartitionResponse = ListOffsetsResponseListOffsetsPartitionResponse;

function answer(
  ctx: RequestContext,
  index: number,
  errorCode: number,
  offset = -1n,
  timestamp = -1n,
): PartitionResponse {
  const r = defaultListOffsetsResponseListOffsetsPartitionResponse();
  r.partitionIndex = index;
  r.errorCode = errorCode;
  if (ctx.apiVersion === 0) {
    if (errorCode === ErrorCode.none && offset >= 0n) r.oldStyleOffsets = [offset];
    return r;
  }
  r.offset = offset;
  r.timestamp = timestamp;
  if (ctx.apiVersion >= 4 && errorCode === ErrorCode.none) r.leaderEpoch = 0;
  return r;
}

async function lookUp(
  ctx: RequestContext,
  topic: string,
  p: ListOffsetsRequestListOffsetsPartition,
  readCommitted: boolean,
) {
  const log = ctx.services.logs.partition(topic, p.partitionIndex);
  if (log === undefined) return answer(ctx, p.partitionIndex, ErrorCode.unknownTopicOrPartition);
  try {
    // Read before the lookup: a marker appended meanwhile only makes the answer more conservative.
    const fetchableEnd = readCommitted ? log.lastStableOffset : log.logEndOffset;
    const visible = (found: { offset: number; timestampMs: number } | undefined) =>
      found === undefined || found.offset >= fetchableEnd
        ? answer(ctx, p.partitionIndex, ErrorCode.none)
        : answer(ctx, p.partitionIndex, ErrorCode.none, BigInt(found.offset), BigInt(found.timestampMs));
    switch (p.timestamp) {
      case EARLIEST:
      case EARLIEST_LOCAL:
        return answer(ctx, p.partitionIndex, ErrorCode.none, BigInt(log.logStartOffset));
      case LATEST:
        return answer(ctx, p.partitionIndex, ErrorCode.none, BigInt(fetchableEnd));
      case EARLIEST_PENDING_UPLOAD:
        return answer(ctx, p.partitionIndex, ErrorCode.none);
      case MAX_TIMESTAMP:
        return visible(await log.maxTimestamp());
      default: {
        if (p.timestamp < 0n) {
          return answer(ctx, p.partitionIndex, ErrorCode.invalidRequest);
        }
        return visible(await log.offsetForTimestamp(Number(p.timestamp)));
      }
    }
  } catch (error) {
    return answer(ctx, p.partitionIndex, errorCodeFor(error));
  }
}

export const handler = defineHandler<ListOffsetsRequest, ListOffsetsResponse>({
  apiKey: ApiKey.ListOffsets,
  decode: decodeListOffsetsRequest,
  encode: encodeListOffsetsResponse,
  async handle(ctx, request) {
    const response = defaultListOffsetsResponse();
    const readCommitted = ctx.apiVersion >= READ_COMMITTED_MIN_VERSION && request.isolationLevel === 1;
    response.topics = await Promise.all(
      request.topics.map(async (t) => {
        const allowed = ctx.authorize('Describe', 'Topic', t.name);
        const partitions = await Promise.all(
          t.partitions.map((p) =>
            allowed
              ? lookUp(ctx, t.name, p, readCommitted)
              : answer(ctx, p.partitionIndex, ErrorCode.topicAuthorizationFailed),
          ),
        );
        return { name: t.name, partitions };
      }),
    );
    return response;
  },
  errorResponse(ctx, request, errorCode) {
    const response = defaultListOffsetsResponse();
    response.topics = request.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => answer(ctx, p.partitionIndex, errorCode)),
    }));
    return response;
  },
});
