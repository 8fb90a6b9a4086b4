// The admin client: topics, configs, partitions, offsets, records, groups and the cluster.
// Each call goes where Kafka wants it (controller-bound calls to any broker, which forwards;
// offsets and record deletion to leaders; group calls to the group's coordinator) and turns the
// first error code it finds into a KafkaError naming the resource.
import { ErrorCode } from '../protocol/error-codes.ts';
import { ApiKey } from '../protocol/generated/apis.ts';
import { defaultCreatePartitionsRequest } from '../protocol/generated/create-partitions-request.ts';
import type { CreatePartitionsResponse } from '../protocol/generated/create-partitions-response.ts';
import { defaultCreateTopicsRequest } from '../protocol/generated/create-topics-request.ts';
import type { CreateTopicsResponse } from '../protocol/generated/create-topics-response.ts';
import { defaultDeleteGroupsRequest } from '../protocol/generated/delete-groups-request.ts';
import type { DeleteGroupsResponse } from '../protocol/generated/delete-groups-response.ts';
import { defaultDeleteRecordsRequest } from '../protocol/generated/delete-records-request.ts';
import type { DeleteRecordsResponse } from '../protocol/generated/delete-records-response.ts';
import { defaultDeleteTopicsRequest } from '../protocol/generated/delete-topics-request.ts';
import type { DeleteTopicsResponse } from '../protocol/generated/delete-topics-response.ts';
import { defaultDescribeClusterRequest } from '../protocol/generated/describe-cluster-request.ts';
import type { DescribeClusterResponse } from '../protocol/generated/describe-cluster-response.ts';
import { defaultDescribeConfigsRequest } from '../protocol/generated/describe-configs-request.ts';
import type { DescribeConfigsResponse } from '../protocol/generated/describe-configs-response.ts';
import { defaultDescribeGroupsRequest } from '../protocol/generated/describe-groups-request.ts';
import type { DescribeGroupsResponse } from '../protocol/generated/describe-groups-response.ts';
import { defaultIncrementalAlterConfigsRequest } from '../protocol/generated/incremental-alter-configs-request.ts';
import type { IncrementalAlterConfigsResponse } from '../protocol/generated/incremental-alter-configs-response.ts';
import { defaultListGroupsRequest } from '../protocol/generated/list-groups-request.ts';
import type { ListGroupsResponse } from '../protocol/generated/list-groups-response.ts';
import { type BrokerInfo, Cluster, type ClusterOptions, type PartitionInfo } from './cluster.ts';
import { decodeAssignment } from './consumer-protocol.ts';
import { ClientStateError, KafkaError, throwIfError } from './errors.ts';
import { type CommittedOffset, commitOffsets, fetchCommittedOffsets } from './group-offsets.ts';
import {
  groupByTopic,
  listOffsets,
  type OffsetSpec,
  type PartitionOffset,
  type PartitionOffsetQuery,
} from './list-offsets.ts';
import { withRetries } from './retry.ts';
import type { TopicPartitionOffset } from './transaction-manager.ts';

export interface NewTopic {
  topic: string;
  partitions?: number;
  replicationFactor?: number;
  configs?: Readonly<Record<string, string>>;
}

export interface TopicDescription {
  name: string;
  topicId: string;
  internal: boolean;
  partitions: (PartitionInfo & { earliestOffset?: bigint; latestOffset?: bigint })[];
}

export type ConfigResourceType = 'topic' | 'broker';
const resourceTypes = { topic: 2, broker: 4 } as const;

export interface ConfigEntry {
  name: string;
  value: string | null;
  readOnly: boolean;
  isDefault: boolean;
  isSensitive: boolean;
}

export interface ConfigChange {
  name: string;
  /** Required for set, append and subtract. */
  value?: string;
  op?: 'set' | 'delete' | 'append' | 'subtract';
}
const configOps = { set: 0, delete: 1, append: 2, subtract: 3 } as const;

export interface GroupListing {
  groupId: string;
  protocolType: string;
  state: string;
  type: string;
}

export interface GroupMemberDescription {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  /** Decoded when the group uses the consumer protocol. */
  assignment: { topic: string; partitions: number[] }[];
}

export interface GroupDescription {
  groupId: string;
  state: string;
  protocolType: string;
  protocol: string;
  members: GroupMemberDescription[];
}

export type OffsetResetTarget = OffsetSpec | { offset: bigint };

export class Admin {
  readonly #cluster: Cluster;

  constructor(options: ClusterOptions) {
    this.#cluster = new Cluster(options);
  }

  /** The underlying cluster view (metadata, connections), shared with helpers such as the CLI's. */
  get cluster(): Cluster {
    return this.#cluster;
  }

  async createTopics(
    topics: readonly NewTopic[],
    options: { timeoutMs?: number; validateOnly?: boolean } = {},
  ): Promise<void> {
    const { body } = await this.#cluster.sendAny<CreateTopicsResponse>(
      ApiKey.CreateTopics,
      (v) => ({
        ...defaultCreateTopicsRequest(),
        timeoutMs: options.timeoutMs ?? 30_000,
        validateOnly: v >= 1 ? (options.validateOnly ?? false) : false,
        topics: topics.map((t) => ({
          name: t.topic,
          numPartitions: t.partitions ?? -1,
          replicationFactor: t.replicationFactor ?? -1,
          assignments: [],
          configs: Object.entries(t.configs ?? {}).map(([name, value]) => ({ name, value })),
        })),
      }),
      { minVersion: 4 },
    );
    for (const t of body.topics) throwIfError(`create topic '${t.name}'`, t.errorCode, t.errorMessage);
    // The controller has the topic; wait until brokers serve its leaders, so the next call works.
    if (options.validateOnly !== true) await this.#cluster.topicsWithLeaders(topics.map((t) => t.topic));
  }

  async deleteTopics(names: readonly string[], options: { timeoutMs?: number } = {}): Promise<void> {
    const { body } = await this.#cluster.sendAny<DeleteTopicsResponse>(ApiKey.DeleteTopics, (v) => {
      const request = defaultDeleteTopicsRequest();
      request.timeoutMs = options.timeoutMs ?? 30_000;
      if (v >= 6) request.topics = names.map((name) => ({ name, topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }));
      else request.topicNames = [...names];
      return request;
    });
    for (const t of body.responses)
      throwIfError(`delete topic '${t.name ?? t.topicId}'`, t.errorCode, t.errorMessage);
  }

  /** Topic names, internal topics left out unless asked for. */
  async listTopics(options: { includeInternal?: boolean } = {}): Promise<string[]> {
    const body = await this.#cluster.refreshMetadata(null);
    return body.topics
      .filter((t) => t.name !== null && (options.includeInternal === true || !t.isInternal))
      .map((t) => t.name!)
      .sort();
  }

  /** Partitions with leaders and replicas; with `offsets`, each partition's earliest and latest offset too. */
  async describeTopics(
    names: readonly string[],
    options: { offsets?: boolean } = {},
  ): Promise<TopicDescription[]> {
    const infos = await this.#cluster.topicsWithLeaders(names);
    const descriptions: TopicDescription[] = infos.map((t) => ({
      ...t,
      partitions: t.partitions.map((p) => ({ ...p })),
    }));
    if (options.offsets !== true) return descriptions;
    const queries = descriptions.flatMap((t) =>
      t.partitions.map((p) => ({ topic: t.name, partition: p.partition })),
    );
    const [earliest, latest] = await Promise.all([
      listOffsets(
        this.#cluster,
        queries.map((q) => ({ ...q, spec: 'earliest' as const })),
      ),
      listOffsets(
        this.#cluster,
        queries.map((q) => ({ ...q, spec: 'latest' as const })),
      ),
    ]);
    let i = 0;
    for (const t of descriptions) {
      for (const p of t.partitions) {
        p.earliestOffset = earliest[i]!.offset;
        p.latestOffset = latest[i]!.offset;
        i++;
      }
    }
    return descriptions;
  }

  async describeConfigs(
    type: ConfigResourceType,
    name: string,
    keys: readonly string[] | null = null,
  ): Promise<ConfigEntry[]> {
    const action = `describe configs of ${type} '${name}'`;
    const send = () =>
      this.#cluster.sendAny<DescribeConfigsResponse>(
        ApiKey.DescribeConfigs,
        () => ({
          ...defaultDescribeConfigsRequest(),
          resources: [
            {
              resourceType: resourceTypes[type],
              resourceName: name,
              configurationKeys: keys === null ? null : [...keys],
            },
          ],
        }),
        { minVersion: 1 },
      );
    // A broker's configs must be asked of that broker.
    const { body } =
      type === 'broker'
        ? await this.#cluster.sendTo<DescribeConfigsResponse>(
            Number(name),
            ApiKey.DescribeConfigs,
            () => ({
              ...defaultDescribeConfigsRequest(),
              resources: [
                {
                  resourceType: resourceTypes[type],
                  resourceName: name,
                  configurationKeys: keys === null ? null : [...keys],
                },
              ],
            }),
            { minVersion: 1 },
          )
        : await send();
    const result = body.results[0];
    if (result === undefined) throw new KafkaError(action, ErrorCode.unknownServerError, 'empty response');
    throwIfError(action, result.errorCode, result.errorMessage);
    return result.configs.map((c) => ({
      name: c.name,
      value: c.value,
      readOnly: c.readOnly,
      isDefault: c.configSource === 5 || c.isDefault,
      isSensitive: c.isSensitive,
    }));
  }

  /** Incremental change of configs (IncrementalAlterConfigs): only the named entries change. */
  async alterConfigs(
    type: ConfigResourceType,
    name: string,
    changes: readonly ConfigChange[],
  ): Promise<void> {
    for (const c of changes) {
      if ((c.op ?? 'set') !== 'delete' && c.value === undefined) {
        throw new ClientStateError(
          `Cannot alter config '${c.name}' of ${type} '${name}': ${c.op ?? 'set'} needs a value`,
        );
      }
    }
    const build = () => ({
      ...defaultIncrementalAlterConfigsRequest(),
      resources: [
        {
          resourceType: resourceTypes[type],
          resourceName: name,
          configs: changes.map((c) => ({
            name: c.name,
            configOperation: configOps[c.op ?? 'set'],
            value: c.value ?? null,
          })),
        },
      ],
    });
    const { body } =
      type === 'broker'
        ? await this.#cluster.sendTo<IncrementalAlterConfigsResponse>(
            Number(name),
            ApiKey.IncrementalAlterConfigs,
            build,
          )
        : await this.#cluster.sendAny<IncrementalAlterConfigsResponse>(ApiKey.IncrementalAlterConfigs, build);
    for (const r of body.responses)
      throwIfError(`alter configs of ${type} '${r.resourceName}'`, r.errorCode, r.errorMessage);
  }

  /** Grows a topic to `count` partitions in total. */
  async createPartitions(topic: string, count: number): Promise<void> {
    const { body } = await this.#cluster.sendAny<CreatePartitionsResponse>(ApiKey.CreatePartitions, () => ({
      ...defaultCreatePartitionsRequest(),
      timeoutMs: 30_000,
      topics: [{ name: topic, count, assignments: null }],
    }));
    for (const r of body.results)
      throwIfError(`grow topic '${r.name}' to ${count} partitions`, r.errorCode, r.errorMessage);
    await withRetries(async () => {
      const [info] = await this.#cluster.topicsWithLeaders([topic]);
      if ((info?.partitions.length ?? 0) < count) {
        throw new KafkaError(
          `see ${count} partitions of '${topic}'`,
          ErrorCode.leaderNotAvailable,
          'metadata not updated yet',
        );
      }
    }, this.#cluster.retry);
  }

  listOffsets(
    queries: readonly PartitionOffsetQuery[],
    isolation: 'read_uncommitted' | 'read_committed' = 'read_uncommitted',
  ): Promise<PartitionOffset[]> {
    return listOffsets(this.#cluster, queries, isolation);
  }

  /** Deletes records before `offset` in each partition; returns the new low watermarks. */
  async deleteRecords(
    targets: readonly TopicPartitionOffset[],
  ): Promise<{ topic: string; partition: number; lowWatermark: bigint }[]> {
    await this.#cluster.topicsWithLeaders([...new Set(targets.map((t) => t.topic))]);
    const byLeader = new Map<number, TopicPartitionOffset[]>();
    for (const t of targets) {
      const leader = this.#cluster.leaderOf(t.topic, t.partition);
      byLeader.set(leader, [...(byLeader.get(leader) ?? []), t]);
    }
    const out: { topic: string; partition: number; lowWatermark: bigint }[] = [];
    for (const [leader, ts] of byLeader) {
      const { body } = await this.#cluster.sendTo<DeleteRecordsResponse>(
        leader,
        ApiKey.DeleteRecords,
        () => ({
          ...defaultDeleteRecordsRequest(),
          timeoutMs: 30_000,
          topics: groupByTopic(ts).map(([name, ps]) => ({
            name,
            partitions: ps.map((p) => ({ partitionIndex: p.partition, offset: p.offset })),
          })),
        }),
      );
      for (const t of body.topics) {
        for (const p of t.partitions) {
          throwIfError(`delete records of '${t.name}'-${p.partitionIndex}`, p.errorCode);
          out.push({ topic: t.name, partition: p.partitionIndex, lowWatermark: p.lowWatermark });
        }
      }
    }
    return out;
  }

  /** Groups known to every broker (each coordinates some), sorted by id. */
  async listGroups(): Promise<GroupListing[]> {
    if (this.#cluster.brokers().length === 0) await this.#cluster.refreshMetadata([]);
    const all = new Map<string, GroupListing>();
    for (const broker of this.#cluster.brokers()) {
      const { body } = await this.#cluster.sendTo<ListGroupsResponse>(broker.nodeId, ApiKey.ListGroups, () =>
        defaultListGroupsRequest(),
      );
      throwIfError(`list groups on node ${broker.nodeId}`, body.errorCode);
      for (const g of body.groups) {
        all.set(g.groupId, {
          groupId: g.groupId,
          protocolType: g.protocolType,
          state: g.groupState,
          type: g.groupType,
        });
      }
    }
    return [...all.values()].sort((a, b) => a.groupId.localeCompare(b.groupId));
  }

  async describeGroups(groupIds: readonly string[]): Promise<GroupDescription[]> {
    const out: GroupDescription[] = [];
    for (const groupId of groupIds) {
      const { body } = await this.#cluster.sendToCoordinator<DescribeGroupsResponse>(
        'group',
        groupId,
        ApiKey.DescribeGroups,
        () => ({ ...defaultDescribeGroupsRequest(), groups: [groupId] }),
        ({ body: b }) =>
          throwIfError(`describe group '${groupId}'`, b.groups[0]?.errorCode ?? ErrorCode.unknownServerError),
      );
      const g = body.groups[0]!;
      out.push({
        groupId: g.groupId,
        state: g.groupState,
        protocolType: g.protocolType,
        protocol: g.protocolData,
        members: g.members.map((m) => ({
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          assignment:
            g.protocolType === 'consumer' && m.memberAssignment.length > 0
              ? decodeAssignment(m.memberAssignment)
              : [],
        })),
      });
    }
    return out;
  }

  async deleteGroups(groupIds: readonly string[]): Promise<void> {
    for (const groupId of groupIds) {
      await this.#cluster.sendToCoordinator<DeleteGroupsResponse>(
        'group',
        groupId,
        ApiKey.DeleteGroups,
        () => ({ ...defaultDeleteGroupsRequest(), groupsNames: [groupId] }),
        ({ body }) =>
          throwIfError(
            `delete group '${groupId}'`,
            body.results[0]?.errorCode ?? ErrorCode.unknownServerError,
          ),
      );
    }
  }

  listConsumerGroupOffsets(
    groupId: string,
    partitions: readonly { topic: string; partition: number }[] | null = null,
  ): Promise<CommittedOffset[]> {
    return fetchCommittedOffsets(this.#cluster, groupId, partitions);
  }

  /** Sets committed offsets of a group that has no active members. */
  alterConsumerGroupOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    return commitOffsets(this.#cluster, groupId, offsets);
  }

  /** Resets a group's offsets on `topic` (all partitions unless given) to earliest, latest, a timestamp or an offset. */
  async resetConsumerGroupOffsets(
    groupId: string,
    topic: string,
    to: OffsetResetTarget,
    partitions: readonly number[] | null = null,
  ): Promise<TopicPartitionOffset[]> {
    const [info] = await this.#cluster.topicsWithLeaders([topic]);
    const chosen = partitions ?? info!.partitions.map((p) => p.partition);
    let offsets: TopicPartitionOffset[];
    if (typeof to === 'object' && 'offset' in to) {
      offsets = chosen.map((partition) => ({ topic, partition, offset: to.offset }));
    } else {
      const found = await listOffsets(
        this.#cluster,
        chosen.map((partition) => ({ topic, partition, spec: to })),
      );
      // A timestamp after the last record resolves to no offset (-1): reset to the end instead.
      const ends = found.some((f) => f.offset < 0n)
        ? await listOffsets(
            this.#cluster,
            chosen.map((partition) => ({ topic, partition, spec: 'latest' as const })),
          )
        : found;
      offsets = found.map((f, i) => ({
        topic,
        partition: f.partition,
        offset: f.offset < 0n ? ends[i]!.offset : f.offset,
      }));
    }
    await commitOffsets(this.#cluster, groupId, offsets);
    return offsets;
  }

  async describeCluster(): Promise<{ clusterId: string; controllerId: number; brokers: BrokerInfo[] }> {
    const { body } = await this.#cluster.sendAny<DescribeClusterResponse>(ApiKey.DescribeCluster, () =>
      defaultDescribeClusterRequest(),
    );
    throwIfError('describe the cluster', body.errorCode, body.errorMessage);
    return {
      clusterId: body.clusterId,
      controllerId: body.controllerId,
      brokers: body.brokers.map((b) => ({ nodeId: b.brokerId, host: b.host, port: b.port, rack: b.rack })),
    };
  }

  close(): void {
    this.#cluster.close();
  }
}
