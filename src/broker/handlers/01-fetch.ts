// Fetch (key 1), versions 0-17. Long poll: reads every requested partition and, until minBytes
// are gathered, parks on the append notifier until data arrives, maxWaitMs (clipped to
// fetchWaitMsMax) passes or the connection closes. Sizes: each partition returns at most
// partitionMaxBytes and the response at most maxBytes (v3+, clipped to fetchResponseBytesMax),
// but the first batch of the first partition with data is returned whole even if larger (KIP-74),
// so a consumer always progresses. Fetch sessions (v7+, KIP-227) are kept in the FetchSessionCache;
// incremental responses carry only partitions with news. v13+ names topics by id. Every answer
// carries the last stable offset (the first offset of the oldest open transaction, else the high
// watermark); read_committed (v4+) reads only below it and gets the aborted transactions that
// overlap the batches returned, so the client can drop their records.
// v4+ get batches as stored (magic 2). v0-3 get them down-converted by the records module (v0-1
// magic 0, v2-3 magic 1; offsets kept, control batches left out, aborted data included since these
// versions are read_uncommitted only; zstd data is UNSUPPORTED_COMPRESSION_TYPE), cut to the
// partition's limit in whole messages; a first message over the limit is sent whole from v3
// (KIP-74, and as Kafka's down-conversion sends its first converted batch when the stored batch
// fit), else cut short, the partial message by which v0-2 clients learn it is too large.
import { brokerLimits } from '../../limits.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import { ApiKey } from '../../protocol/generated/apis.ts';
import { decodeFetchRequest, type FetchRequest } from '../../protocol/generated/fetch-request.ts';
import {
  defaultFetchResponse,
  defaultFetchResponsePartitionData,
  encodeFetchResponse,
  type FetchResponse,
  type FetchResponseFetchableTopicResponse,
  type FetchResponsePartitionData,
} from '../../protocol/generated/fetch-response.ts';
import { batchOffsets } from '../../protocol/records/batch-header.ts';
import {
  downConvertBatch,
  fitLegacyEntries,
  legacyFetchMagic,
  type OversizedFirstEntry,
} from '../../protocol/records/legacy-conversion.ts';
import type { LegacyMagic } from '../../protocol/records/legacy-message-set.ts';
import { partitionKey } from '../append-notifier.ts';
import { errorCodeFor } from '../error-code-for.ts';
import {
  type FetchPartitionRequest,
  type FetchPartitionState,
  type FetchSessionRequest,
  mustSend,
  sessionKey,
} from '../fetch-sessions.ts';
import { defineHandler, type RequestContext } from '../handler.ts';
import { topicsById } from '../topic-names.ts';

const TOPIC_IDS_MIN_VERSION = 13;
const MAX_BYTES_MIN_VERSION = 3;
const TRANSACTIONS_MIN_VERSION = 4;
const READ_COMMITTED = 1;
const NO_RECORDS = Buffer.alloc(0);

interface PartitionRead {
  state: FetchPartitionState;
  errorCode: number;
  highWatermark: bigint;
  lastStableOffset: bigint;
  logStartOffset: bigint;
  records: Buffer[];
  abortedTransactions: { producerId: bigint; firstOffset: bigint }[];
  bytes: number;
}

interface Round {
  reads: PartitionRead[];
  bytes: number;
  failed: boolean;
}

function sessionRequest(ctx: RequestContext, request: FetchRequest): FetchSessionRequest {
  const byId = ctx.apiVersion >= TOPIC_IDS_MIN_VERSION;
  const ids = byId ? topicsById(ctx.services.logs) : null;
  const partitions: FetchPartitionRequest[] = [];
  for (const t of request.topics) {
    const topic = ids === null ? t.topic : (ids.get(t.topicId)?.name ?? '');
    for (const p of t.partitions) {
      partitions.push({
        topic,
        topicId: t.topicId,
        partition: p.partition,
        fetchOffset: p.fetchOffset,
        partitionMaxBytes: p.partitionMaxBytes,
      });
    }
  }
  const forgotten = request.forgottenTopicsData.flatMap((t) =>
    t.partitions.map((p) => sessionKey(byId ? t.topicId : t.topic, p)),
  );
  return { sessionId: request.sessionId, sessionEpoch: request.sessionEpoch, partitions, forgotten };
}

async function readPartition(
  ctx: RequestContext,
  state: FetchPartitionState,
  budget: number,
  first: boolean,
  readCommitted: boolean,
) {
  const read: PartitionRead = {
    state,
    errorCode: 0,
    highWatermark: -1n,
    lastStableOffset: -1n,
    logStartOffset: -1n,
    records: [],
    abortedTransactions: [],
    bytes: 0,
  };
  const fail = (errorCode: number) => Object.assign(read, { errorCode });
  if (state.topic === '') return fail(ErrorCode.unknownTopicId);
  if (!ctx.authorize('Read', 'Topic', state.topic)) return fail(ErrorCode.topicAuthorizationFailed);
  const log = ctx.services.logs.partition(state.topic, state.partition);
  if (log === undefined) return fail(ErrorCode.unknownTopicOrPartition);
  if (log.isOffline) return fail(ErrorCode.kafkaStorageError);
  read.highWatermark = BigInt(log.logEndOffset);
  // Read before the data: a marker appended meanwhile only makes the answer more conservative.
  const stable = log.lastStableOffset;
  read.lastStableOffset = BigInt(stable);
  read.logStartOffset = BigInt(log.logStartOffset);
  if (state.fetchOffset < read.logStartOffset || state.fetchOffset > read.highWatermark) {
    return fail(ErrorCode.offsetOutOfRange);
  }
  const maxBytes = Math.min(state.partitionMaxBytes, budget);
  const visibleEnd = readCommitted ? read.lastStableOffset : read.highWatermark;
  if (state.fetchOffset >= visibleEnd || (maxBytes <= 0 && !first)) return read;
  try {
    const result = await log.read(Number(state.fetchOffset), Math.max(maxBytes, 0), { minOneBatch: first });
    // The oldest open transaction starts a batch, so whole batches below it are all stable.
    const batches = readCommitted
      ? result.batches.filter((b) => b.readBigInt64BE(0) < visibleEnd)
      : result.batches;
    const magic = legacyFetchMagic(ctx.apiVersion);
    read.records =
      magic === undefined
        ? batches
        : await downConverted(batches, magic, Math.max(maxBytes, 0), first, ctx.apiVersion);
    read.bytes = batches.reduce((sum, b) => sum + b.length, 0);
    read.logStartOffset = BigInt(result.logStartOffset);
  } catch (error) {
    fail(errorCodeFor(error));
    if (read.errorCode === ErrorCode.unknownServerError)
      ctx.log.error({ err: error, topic: state.topic }, 'Read failed');
  }
  return read;
}

/** Fetch v0-3: the batches read as legacy entries of `magic`, fitted to the partition's limit. */
async function downConverted(
  batches: Buffer[],
  magic: LegacyMagic,
  limitBytes: number,
  first: boolean,
  apiVersion: number,
): Promise<Buffer[]> {
  const converted = await Promise.all(batches.map((b) => downConvertBatch(b, magic)));
  const storedFirstBytes = batches[0]?.length ?? 0;
  let oversized: OversizedFirstEntry = 'drop';
  if (first) {
    oversized = apiVersion >= MAX_BYTES_MIN_VERSION || storedFirstBytes <= limitBytes ? 'whole' : 'partial';
  }
  return fitLegacyEntries(converted.flat(), limitBytes, oversized);
}

/** The aborted transactions overlapping the batches a read_committed read returns. */
function attachAborted(ctx: RequestContext, read: PartitionRead): void {
  const last = read.records.at(-1);
  const log = ctx.services.logs.partition(read.state.topic, read.state.partition);
  if (last === undefined || log === undefined) return;
  const end = Number(last.readBigInt64BE(0)) + last.readInt32BE(batchOffsets.lastOffsetDelta) + 1;
  read.abortedTransactions = log
    .abortedTransactions(Number(read.state.fetchOffset), end)
    .map((a) => ({ producerId: a.producerId, firstOffset: BigInt(a.firstOffset) }));
}

/** Keeps the whole batches within min(partitionMaxBytes, budget), and the first one regardless if `first`. */
function trimToBudget(read: PartitionRead, budget: number, first: boolean): void {
  const limit = Math.min(read.state.partitionMaxBytes, budget);
  let total = 0;
  let keep = 0;
  while (
    keep < read.records.length &&
    (total + read.records[keep]!.length <= limit || (keep === 0 && first))
  ) {
    total += read.records[keep]!.length;
    keep++;
  }
  if (keep === read.records.length) return;
  read.records = read.records.slice(0, keep);
  read.bytes = total;
}

/**
 * Reads the partitions in request order as if one at a time (each gets what the ones before it
 * left of maxBytes; the first with data gets its first batch whole), but in waves of concurrent
 * reads: a wave takes partitions while their budgets together fit in what is left, so a consumer
 * of a few partitions waits for one storage round trip instead of one per partition, and memory
 * stays bounded by maxBytes. Each read is then trimmed to the budget the sequential order gives it.
 */
async function readRound(
  ctx: RequestContext,
  partitions: FetchPartitionState[],
  maxBytes: number,
  readCommitted: boolean,
): Promise<Round> {
  const round: Round = { reads: [], bytes: 0, failed: false };
  let next = 0;
  // Bounded by the partition count: every wave takes at least one partition.
  while (next < partitions.length) {
    const left = maxBytes - round.bytes;
    const first = round.bytes === 0;
    const wave: FetchPartitionState[] = [];
    let waveBytes = 0;
    for (; next < partitions.length; next++) {
      const state = partitions[next]!;
      const bytes = Math.max(0, Math.min(state.partitionMaxBytes, left));
      if (wave.length > 0 && waveBytes + bytes > left) break;
      wave.push(state);
      waveBytes += bytes;
    }
    const reads = await Promise.all(
      wave.map((state) => readPartition(ctx, state, left, first, readCommitted)),
    );
    for (const read of reads) {
      trimToBudget(read, maxBytes - round.bytes, round.bytes === 0);
      if (readCommitted) attachAborted(ctx, read);
      round.reads.push(read);
      round.bytes += read.bytes;
      if (read.errorCode !== ErrorCode.none) round.failed = true;
    }
  }
  return round;
}

function partitionData(
  ctx: RequestContext,
  request: FetchRequest,
  read: PartitionRead,
): FetchResponsePartitionData {
  const data = defaultFetchResponsePartitionData();
  data.partitionIndex = read.state.partition;
  data.errorCode = read.errorCode;
  data.highWatermark = read.highWatermark;
  data.lastStableOffset = read.lastStableOffset;
  data.logStartOffset = read.logStartOffset;
  if (ctx.apiVersion >= TRANSACTIONS_MIN_VERSION) {
    data.abortedTransactions = request.isolationLevel === READ_COMMITTED ? read.abortedTransactions : null;
  }
  data.records = read.records.length > 0 ? read.records : NO_RECORDS;
  return data;
}

function assemble(
  ctx: RequestContext,
  request: FetchRequest,
  round: Round,
  incremental: boolean,
): FetchResponseFetchableTopicResponse[] {
  const byTopic = new Map<string, FetchResponseFetchableTopicResponse>();
  for (const read of round.reads) {
    const send = mustSend(read.state, {
      errorCode: read.errorCode,
      hasRecords: read.bytes > 0,
      highWatermark: read.highWatermark,
      lastStableOffset: read.lastStableOffset,
      logStartOffset: read.logStartOffset,
    });
    if (incremental && !send) continue;
    const key = `${read.state.topicId}\u0000${read.state.topic}`;
    let topic = byTopic.get(key);
    if (topic === undefined) {
      topic = { topic: read.state.topic, topicId: read.state.topicId, partitions: [] };
      if (ctx.apiVersion >= TOPIC_IDS_MIN_VERSION) topic.topic = '';
      byTopic.set(key, topic);
    }
    topic.partitions.push(partitionData(ctx, request, read));
  }
  return [...byTopic.values()];
}

export const handler = defineHandler<FetchRequest, FetchResponse>({
  apiKey: ApiKey.Fetch,
  decode: decodeFetchRequest,
  encode: encodeFetchResponse,
  async handle(ctx, request) {
    const { fetchSessions, appends } = ctx.services;
    const byId = ctx.apiVersion >= TOPIC_IDS_MIN_VERSION;
    const resolved = fetchSessions.resolve(ctx.apiVersion, sessionRequest(ctx, request), byId);
    const response = defaultFetchResponse();
    if (!resolved.ok) {
      response.errorCode = resolved.errorCode;
      return response;
    }
    const requestedMax =
      ctx.apiVersion >= MAX_BYTES_MIN_VERSION ? request.maxBytes : brokerLimits.fetchResponseBytesMax;
    const maxBytes = Math.min(Math.max(requestedMax, 0), brokerLimits.fetchResponseBytesMax);
    const deadline = Date.now() + Math.min(Math.max(request.maxWaitMs, 0), brokerLimits.fetchWaitMsMax);
    const keys = resolved.partitions.map((p) => partitionKey(p.topic, p.partition));
    const readCommitted =
      ctx.apiVersion >= TRANSACTIONS_MIN_VERSION && request.isolationLevel === READ_COMMITTED;
    let round = await readRound(ctx, resolved.partitions, maxBytes, readCommitted);
    // Bounded by the deadline: each pass either returns or parks until an append or the deadline.
    while (round.bytes < request.minBytes && !round.failed && !ctx.signal.aborted) {
      const remainingMs = deadline - Date.now();
      if (remainingMs <= 0) break;
      const woken = await appends.wait(keys, remainingMs, ctx.signal);
      if (!woken) {
        round = await readRound(ctx, resolved.partitions, maxBytes, readCommitted);
        break;
      }
      round = await readRound(ctx, resolved.partitions, maxBytes, readCommitted);
    }
    if (ctx.apiVersion >= 7) response.sessionId = resolved.sessionId;
    response.responses = assemble(ctx, request, round, resolved.incremental);
    return response;
  },
  errorResponse(_ctx, _request, errorCode) {
    const response = defaultFetchResponse();
    response.errorCode = errorCode;
    return response;
  },
});
