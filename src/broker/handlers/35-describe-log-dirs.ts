// DescribeLogDirs (key 35), versions 0-4: the one data directory, with the size of each
// partition (all or the ones asked for), and from v4 the volume's total and usable bytes.
// Requires Describe on the cluster.
import { statfs } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ErrorCode } from '../../protocol/error-codes.ts';
import { ApiKey } from '../../protocol/generated/apis.ts';
import {
  type DescribeLogDirsRequest,
  decodeDescribeLogDirsRequest,
} from '../../protocol/generated/describe-log-dirs-request.ts';
import {
  type DescribeLogDirsResponse,
  type DescribeLogDirsResponseDescribeLogDirsTopic,
  defaultDescribeLogDirsResponse,
  defaultDescribeLogDirsResponseDescribeLogDirsResult,
  encodeDescribeLogDirsResponse,
} from '../../protocol/generated/describe-log-dirs-response.ts';
import { CLUSTER_RESOURCE_NAME } from '../authorizer.ts';
import { defineHandler, type RequestContext } from '../handler.ts';

const VOLUME_BYTES_MIN_VERSION = 4;

function partitionsOf(
  ctx: RequestContext,
  request: DescribeLogDirsRequest,
): DescribeLogDirsResponseDescribeLogDirsTopic[] {
  const { logs } = ctx.services;
  const wanted =
    request.topics ??
    logs
      .listTopics()
      .map((t) => ({ topic: t.name, partitions: Array.from({ length: t.partitions }, (_, i) => i) }));
  const out: DescribeLogDirsResponseDescribeLogDirsTopic[] = [];
  for (const t of wanted) {
    const partitions = t.partitions.flatMap((p) => {
      const log = logs.partition(t.topic, p);
      if (log === undefined) return [];
      return [{ partitionIndex: p, partitionSize: BigInt(log.sizeBytes), offsetLag: 0n, isFutureKey: false }];
    });
    if (partitions.length > 0) out.push({ name: t.topic, partitions });
  }
  return out;
}

export const handler = defineHandler<DescribeLogDirsRequest, DescribeLogDirsResponse>({
  apiKey: ApiKey.DescribeLogDirs,
  decode: decodeDescribeLogDirsRequest,
  encode: encodeDescribeLogDirsResponse,
  async handle(ctx, request) {
    const response = defaultDescribeLogDirsResponse();
    if (!ctx.authorize('Describe', 'Cluster', CLUSTER_RESOURCE_NAME)) {
      if (ctx.apiVersion >= 3) response.errorCode = ErrorCode.clusterAuthorizationFailed;
      return response;
    }
    const result = defaultDescribeLogDirsResponseDescribeLogDirsResult();
    result.logDir = resolve(ctx.services.logs.dataDir);
    result.topics = partitionsOf(ctx, request);
    if (ctx.apiVersion >= VOLUME_BYTES_MIN_VERSION) {
      const volume = await statfs(result.logDir);
      result.totalBytes = BigInt(volume.blocks) * BigInt(volume.bsize);
      result.usableBytes = BigInt(volume.bavail) * BigInt(volume.bsize);
    }
    response.results = [result];
    return response;
  },
  errorResponse(ctx, _request, errorCode) {
    const response = defaultDescribeLogDirsResponse();
    if (ctx.apiVersion >= 3) response.errorCode = errorCode;
    return response;
  },
});
