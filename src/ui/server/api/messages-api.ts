// The message browser: a page of records of one partition from an offset, from the first record
// at or after a timestamp, or (with neither) the newest `limit` records. Keys, values and headers
// come as JSON, text or hex views (record-view.ts).
import { httpLimits } from '../../../limits.ts';
import type { PartitionLog } from '../../../storage/partition-log.ts';
import { readRecords } from '../browse-records.ts';
import { HttpError } from '../http-error.ts';
import type { ApiContext, ApiRequest } from './api-context.ts';
import { integerParam, optionalIntegerParam } from './query-params.ts';

export function requirePartition(
  ctx: ApiContext,
  topic: string,
  partitionText: string | undefined,
): PartitionLog {
  const meta = ctx.services.logs.describeTopic(topic);
  if (meta === undefined) throw new HttpError(404, `Unknown topic '${topic}'`);
  const partition = integerParam(partitionText, 'partition', 0, meta.partitions - 1);
  const log = ctx.services.logs.partition(topic, partition);
  if (log === undefined) throw new HttpError(404, `Topic '${topic}' has no partition ${partition}`);
  const offline = log.offlineError;
  if (offline !== undefined)
    throw new HttpError(503, `Partition ${topic}-${partition} is offline: ${offline.message}`);
  return log;
}

export async function browseMessages(ctx: ApiContext, request: ApiRequest): Promise<unknown> {
  const topic = request.params[0] ?? '';
  const log = requirePartition(ctx, topic, request.params[1]);
  const { query } = request;
  const limit = optionalIntegerParam(query.get('limit'), 'limit', 1, httpLimits.browseRecordsMax) ?? 50;
  const offset = optionalIntegerParam(query.get('offset'), 'offset', 0, Number.MAX_SAFE_INTEGER);
  const timestamp = optionalIntegerParam(query.get('timestamp'), 'timestamp', 0, Number.MAX_SAFE_INTEGER);
  let from: number;
  if (offset !== null) from = offset;
  else if (timestamp !== null) from = (await log.offsetForTimestamp(timestamp))?.offset ?? log.logEndOffset;
  else from = Math.max(log.logStartOffset, log.logEndOffset - limit);
  const page = await readRecords(log, from, limit, httpLimits.browseBytesMax);
  return { topic, partition: log.partition, from, ...page };
}
