// Produce (key 0), versions 0-11. acks 0 (no response), 1 and -1; anything else is
// INVALID_REQUIRED_ACKS for every partition. With acks=0 a failure of any partition closes the
// connection (after the responses before it), as Kafka does: it is the only way that producer
// learns of the failure, and it reconnects and refreshes its metadata. Each partition's record
// set is split into batches and each batch checked (magic 2, layout, CRC, codec) by the records
// module before storage sees it; a bad batch fails only its partition, with the batch index in
// recordErrors (v8+).
// Batches over the topic's max.message.bytes are MESSAGE_TOO_LARGE. Storage patches offsets
// (and LogAppendTime when the topic uses it). An append resolves once written, and once fsynced
// when the topic's flush.messages is reached (flush.ms is the background flusher's), so acks=1
// and acks=-1 both answer after the durability policy is met; a single node has no replicas to
// wait for beyond that. acks=-1 is bounded by the request's timeoutMs (REQUEST_TIMED_OUT).
// Appends to different partitions run concurrently; each wakes the fetches waiting on it.
// Idempotent batches are checked against the partition's producer state on its append queue: a
// retried batch is answered with its original offsets, a gap is OUT_OF_ORDER_SEQUENCE_NUMBER, an
// old epoch INVALID_PRODUCER_EPOCH. A transactional batch must belong to an ongoing transaction
// the coordinator added this partition to (checked on the queue too, so it cannot land after the
// transaction's marker); Write on the transactional id is required. Clients may not send control
// batches (INVALID_RECORD): only the transaction coordinator writes markers.
// v0-2 carry legacy message sets (magic 0/1), which the records module up-converts to one record
// batch before the checks above, so storage holds magic 2 only: magic-0 messages get no timestamp
// (-1) unless the topic uses LogAppendTime, client offsets are ignored, and the response carries
// the base offset (and, v2, the append time) as for any batch.
import { brokerLimits } from '../../limits.ts';
import type { RecordsData } from '../../protocol/codec-support.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import { isProtocolError } from '../../protocol/errors.ts';
import { ApiKey } from '../../protocol/generated/apis.ts';
import { decodeProduceRequest, type ProduceRequest } from '../../protocol/generated/produce-request.ts';
import {
  defaultProduceResponse,
  defaultProduceResponsePartitionProduceResponse,
  encodeProduceResponse,
  type ProduceResponse,
  type ProduceResponsePartitionProduceResponse,
} from '../../protocol/generated/produce-response.ts';
import { batchAttributes, batchOffsets } from '../../protocol/records/batch-header.ts';
import {
  isLegacyProduceVersion,
  upConvertLegacyMessageSet,
} from '../../protocol/records/legacy-conversion.ts';
import { validateRecordBatch } from '../../protocol/records/record-batch.ts';
import { splitBatches } from '../../protocol/records/split-batches.ts';
import { errorCodeFor } from '../error-code-for.ts';
import { closeConnection, defineHandler, type RequestContext } from '../handler.ts';

const ERROR_MESSAGE_MIN_VERSION = 8;

type PartitionResult = ProduceResponsePartitionProduceResponse;

function failed(
  index: number,
  errorCode: number,
  message: string | null,
  batchIndex?: number,
): PartitionResult {
  const r = defaultProduceResponsePartitionProduceResponse();
  r.index = index;
  r.errorCode = errorCode;
  r.errorMessage = message;
  if (batchIndex !== undefined) r.recordErrors = [{ batchIndex, batchIndexErrorMessage: message }];
  return r;
}

/** The record batches of a request's records: v0-2's legacy message set up-converted to one. */
async function recordBatches(
  index: number,
  records: RecordsData,
  apiVersion: number,
): Promise<Buffer | PartitionResult> {
  const buf = Buffer.isBuffer(records) ? records : Buffer.concat(records as Buffer[]);
  if (!isLegacyProduceVersion(apiVersion)) return buf;
  try {
    return await upConvertLegacyMessageSet(buf);
  } catch (error) {
    if (!isProtocolError(error)) throw error;
    const code =
      error.code === 'unsupported_compression'
        ? ErrorCode.unsupportedCompressionType
        : ErrorCode.corruptMessage;
    return failed(index, code, error.message);
  }
}

/** The records as one buffer checked batch by batch, or the partition's failure. */
async function checkedRecords(
  index: number,
  records: RecordsData | null,
  maxMessageBytes: number,
  apiVersion: number,
): Promise<Buffer | PartitionResult> {
  if (records === null) return failed(index, ErrorCode.invalidRecord, 'Produce request has no records');
  const buf = await recordBatches(index, records, apiVersion);
  if (!Buffer.isBuffer(buf)) return buf;
  let split: ReturnType<typeof splitBatches>;
  try {
    split = splitBatches(buf);
  } catch (error) {
    return failed(index, ErrorCode.corruptMessage, (error as Error).message, 0);
  }
  if (split.batches.length === 0 || split.partialBytes > 0) {
    const what =
      split.batches.length === 0 ? 'no record batch' : `a truncated batch of ${split.partialBytes} bytes`;
    return failed(index, ErrorCode.corruptMessage, `Produce records hold ${what}`, split.batches.length);
  }
  for (let i = 0; i < split.batches.length; i++) {
    const batch = split.batches[i] as Buffer;
    if (batch.length > maxMessageBytes) {
      const message = `Record batch of ${batch.length} bytes exceeds max.message.bytes ${maxMessageBytes}`;
      return failed(index, ErrorCode.messageTooLarge, message, i);
    }
    if ((batch.readInt16BE(batchOffsets.attributes) & batchAttributes.control) !== 0)
      return failed(index, ErrorCode.invalidRecord, 'Produce requests may not carry control batches', i);
    const checked = validateRecordBatch(batch);
    if (!checked.ok) {
      const code =
        checked.problem === 'compression' ? ErrorCode.unsupportedCompressionType : ErrorCode.corruptMessage;
      return failed(index, code, checked.error.message, i);
    }
  }
  return buf;
}

async function appendPartition(
  ctx: RequestContext,
  topic: string,
  index: number,
  records: RecordsData | null,
  timeoutMs: number,
): Promise<PartitionResult> {
  const { logs, appends } = ctx.services;
  const log = logs.partition(topic, index);
  if (log === undefined) return failed(index, ErrorCode.unknownTopicOrPartition, null);
  const checked = await checkedRecords(index, records, log.config.maxMessageBytes, ctx.apiVersion);
  if (!Buffer.isBuffer(checked)) return checked;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const txns = ctx.services.nouns.transactions;
  const appended = log.append(checked, {
    crcVerified: true,
    ...(txns === undefined
      ? {}
      : { verifyTransaction: (id: bigint, epoch: number) => txns.verifyPartition(id, epoch, topic, index) }),
  });
  try {
    const result = await Promise.race([appended, timedOut]);
    if (result === 'timeout') {
      // The append continues; only the acknowledgement is given up, as in Kafka.
      appended.then(
        () => appends.notify(topic, index),
        () => {},
      );
      return failed(index, ErrorCode.requestTimedOut, `Append not durable within ${timeoutMs} ms`);
    }
    appends.notify(topic, index);
    const r = defaultProduceResponsePartitionProduceResponse();
    r.index = index;
    r.baseOffset = BigInt(result.baseOffset);
    r.logAppendTimeMs = BigInt(result.logAppendTimeMs);
    r.logStartOffset = BigInt(result.logStartOffset);
    return r;
  } catch (error) {
    const code = errorCodeFor(error);
    if (code === ErrorCode.unknownServerError)
      ctx.log.error({ err: error, topic, partition: index }, 'Append failed');
    return failed(index, code, error instanceof Error ? error.message : String(error));
  } finally {
    clearTimeout(timer);
  }
}

function versioned(ctx: RequestContext, response: ProduceResponse): ProduceResponse {
  if (ctx.apiVersion >= ERROR_MESSAGE_MIN_VERSION) return response;
  for (const t of response.responses) {
    for (const p of t.partitionResponses) {
      p.errorMessage = null;
      p.recordErrors = [];
    }
  }
  return response;
}

function everyPartition(request: ProduceRequest, errorCode: number, message: string | null): ProduceResponse {
  const response = defaultProduceResponse();
  response.responses = request.topicData.map((t) => ({
    name: t.name,
    partitionResponses: t.partitionData.map((p) => failed(p.index, errorCode, message)),
  }));
  return response;
}

export const handler = defineHandler<ProduceRequest, ProduceResponse>({
  apiKey: ApiKey.Produce,
  decode: decodeProduceRequest,
  encode: encodeProduceResponse,
  async handle(ctx, request) {
    const { acks } = request;
    const txnId = request.transactionalId;
    if (txnId !== null && !ctx.authorize('Write', 'TransactionalId', txnId)) {
      return versioned(ctx, everyPartition(request, ErrorCode.transactionalIdAuthorizationFailed, null));
    }
    if (acks !== 0 && acks !== 1 && acks !== -1) {
      return versioned(
        ctx,
        everyPartition(request, ErrorCode.invalidRequiredAcks, `acks must be -1, 0 or 1, got ${acks}`),
      );
    }
    const timeoutMs =
      acks === -1
        ? Math.min(Math.max(request.timeoutMs, 0), brokerLimits.produceAckWaitMsMax)
        : brokerLimits.produceAckWaitMsMax;
    const response = defaultProduceResponse();
    response.responses = await Promise.all(
      request.topicData.map(async (t) => {
        const allowed = ctx.authorize('Write', 'Topic', t.name);
        const partitionResponses = await Promise.all(
          t.partitionData.map((p) =>
            allowed
              ? appendPartition(ctx, t.name, p.index, p.records, timeoutMs)
              : failed(p.index, ErrorCode.topicAuthorizationFailed, null),
          ),
        );
        return { name: t.name, partitionResponses };
      }),
    );
    if (acks === 0) {
      const failures = response.responses.flatMap((t) =>
        t.partitionResponses.filter((p) => p.errorCode !== 0),
      );
      if (failures.length === 0) return null;
      ctx.log.info(
        { failures: failures.length },
        'acks=0 produce had failed partitions; closing the connection',
      );
      return closeConnection;
    }
    return versioned(ctx, response);
  },
  errorResponse(ctx, request, errorCode) {
    return request.acks === 0 ? closeConnection : versioned(ctx, everyPartition(request, errorCode, null));
  },
});
