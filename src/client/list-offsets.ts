// ListOffsets for a set of partitions: each request goes to the partition's leader, and
// partitions whose leader moved are retried after a metadata refresh.
import { ErrorCode } from '../protocol/error-codes.ts';
import { ApiKey } from '../protocol/generated/apis.ts';
import { defaultListOffsetsRequest } from '../protocol/generated/list-offsets-request.ts';
import type { ListOffsetsResponse } from '../protocol/generated/list-offsets-response.ts';
import type { Cluster } from './cluster.ts';
import { KafkaError } from './errors.ts';
import { withRetries } from './retry.ts';

/** 'earliest', 'latest' or a timestamp (ms): the first offset whose record time is at or after it. */
export type OffsetSpec = 'earliest' | 'latest' | { timestamp: number | bigint };

export type IsolationLevel = 'read_uncommitted' | 'read_committed';

export interface PartitionOffsetQuery {
  topic: string;
  partition: number;
  spec: OffsetSpec;
}

export interface PartitionOffset {
  topic: string;
  partition: number;
  /** -1 when a timestamp query found no record at or after the timestamp. */
  offset: bigint;
  timestamp: bigint;
}

const EARLIEST = -2n;
const LATEST = -1n;

export function specTimestamp(spec: OffsetSpec): bigint {
  if (spec === 'earliest') return EARLIEST;
  if (spec === 'latest') return LATEST;
  return BigInt(spec.timestamp);
}

export async function listOffsets(
  cluster: Cluster,
  queries: readonly PartitionOffsetQuery[],
  isolation: IsolationLevel = 'read_uncommitted',
): Promise<PartitionOffset[]> {
  const results = new Map<string, PartitionOffset>();
  const topics = [...new Set(queries.map((q) => q.topic))];
  await withRetries(async (attempt) => {
    // A retry follows an error that may mean a leader moved: read metadata again first.
    if (attempt > 0 || topics.some((t) => cluster.topic(t) === undefined))
      await cluster.topicsWithLeaders(topics);
    const open = queries.filter((q) => !results.has(`${q.topic}\0${q.partition}`));
    const byLeader = new Map<number, PartitionOffsetQuery[]>();
    for (const q of open) {
      const leader = cluster.leaderOf(q.topic, q.partition);
      byLeader.set(leader, [...(byLeader.get(leader) ?? []), q]);
    }
    const failures: KafkaError[] = [];
    await Promise.all(
      [...byLeader].map(async ([leader, qs]) => {
        if (leader < 0) {
          failures.push(
            new KafkaError(
              `list offsets of '${qs[0]!.topic}'-${qs[0]!.partition}`,
              ErrorCode.leaderNotAvailable,
            ),
          );
          return;
        }
        const { body } = await cluster.sendTo<ListOffsetsResponse>(
          leader,
          ApiKey.ListOffsets,
          (v) => ({
            ...defaultListOffsetsRequest(),
            replicaId: -1,
            isolationLevel: v >= 2 && isolation === 'read_committed' ? 1 : 0,
            topics: groupByTopic(qs).map(([name, ps]) => ({
              name,
              partitions: ps.map((q) => ({
                partitionIndex: q.partition,
                currentLeaderEpoch: -1,
                timestamp: specTimestamp(q.spec),
                maxNumOffsets: 1,
              })),
            })),
          }),
          { minVersion: 1 },
        );
        for (const t of body.topics) {
          for (const p of t.partitions) {
            if (p.errorCode !== ErrorCode.none) {
              failures.push(new KafkaError(`list offsets of '${t.name}'-${p.partitionIndex}`, p.errorCode));
              continue;
            }
            results.set(`${t.name}\0${p.partitionIndex}`, {
              topic: t.name,
              partition: p.partitionIndex,
              offset: p.offset,
              timestamp: p.timestamp,
            });
          }
        }
      }),
    );
    const first = failures[0];
    if (first !== undefined) throw first;
  }, cluster.retry);
  return queries.map((q) => results.get(`${q.topic}\0${q.partition}`)!);
}

export function groupByTopic<T extends { topic: string }>(items: readonly T[]): [string, T[]][] {
  const byTopic = new Map<string, T[]>();
  for (const item of items) {
    const list = byTopic.get(item.topic);
    if (list === undefined) byTopic.set(item.topic, [item]);
    else list.push(item);
  }
  return [...byTopic];
}
