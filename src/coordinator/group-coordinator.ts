// The group coordinator: the one owner of every group (classic and KIP-848) and of committed
// offsets. Handlers call it; it checks and mutates group state synchronously, then persists to
// __consumer_offsets. Commits are applied to memory only once their records are durable, so an
// acknowledged offset survives a restart; membership changes are persisted in the background.
// On open it replays __consumer_offsets to rebuild offsets and group metadata.
import { randomUUID } from 'node:crypto';
import { coordinatorLimits } from '../limits.ts';
import { ErrorCode } from '../protocol/error-codes.ts';
import type { ConsumerGroupDescribeResponseDescribedGroup } from '../protocol/generated/consumer-group-describe-response.ts';
import { assignmentToList } from './assignment.ts';
import {
  ClassicGroup,
  type ClassicJoinRequest,
  type ClassicSyncRequest,
  type JoinGroupResult,
  joinError,
  type MemberIdentity,
  type SyncGroupResult,
  syncError,
} from './classic-group.ts';
import {
  ConsumerGroup,
  type ConsumerHeartbeatRequest,
  type ConsumerHeartbeatResult,
  compileSubscriptionRegex,
  heartbeatError,
  MemberEpoch,
} from './consumer-group.ts';
import {
  consumerProtocolAssignmentBytes,
  consumerProtocolSubscriptionBytes,
  subscriptionTopics,
} from './consumer-protocol.ts';
import { type CoordinatorConfig, resolveCoordinatorConfig } from './coordinator-config.ts';
import { type CoordinatorClock, CoordinatorTimers, systemCoordinatorClock } from './coordinator-timers.ts';
import type { CommittedOffset } from './group-offsets.ts';
import type { GroupRuntime } from './group-runtime.ts';
import type { OffsetsLog, OffsetsLogRecord } from './offsets-log.ts';
import {
  decodeConsumerCurrentAssignmentValue,
  decodeConsumerGroupMetadataValue,
  decodeConsumerMemberMetadataValue,
  decodeConsumerTargetMemberValue,
  decodeConsumerTargetMetadataValue,
  decodeGroupMetadataValue,
  decodeOffsetCommitValue,
  decodeOffsetsKey,
  encodeConsumerGroupMetadataValue,
  encodeGroupMetadataValue,
  encodeOffsetCommitValue,
  encodeOffsetsKey,
  type OffsetsRecordKey,
  offsetsPartitionFor,
} from './offsets-records.ts';
import type { TopicCatalog } from './topic-catalog.ts';

export type Group = ClassicGroup | ConsumerGroup;

export interface CoordinatorLogger {
  warn(details: object, message: string): void;
}

/** Where offsets sent by TxnOffsetCommit wait until their transaction completes (src/txn). */
export interface PendingTransactionalOffsets {
  hasPendingOffsets(groupId: string, topic: string, partition: number): boolean;
}

export interface GroupCoordinatorOptions {
  log: OffsetsLog;
  topics: TopicCatalog;
  /** The transaction coordinator, once running; without it no offset is ever pending. */
  transactions?: () => PendingTransactionalOffsets | undefined;
  config?: Partial<CoordinatorConfig>;
  /** Default: the system clock with self-arming timers; a manual clock makes timers manual too. */
  clock?: CoordinatorClock;
  logger?: CoordinatorLogger;
}

export interface OffsetCommitInput {
  groupId: string;
  generationIdOrMemberEpoch: number;
  memberId: string;
  groupInstanceId: string | null;
  /** OffsetCommit v2–v4 retention; -1 for the broker's rule. */
  retentionTimeMs: number;
  apiVersion: number;
  topics: {
    name: string;
    partitions: {
      partitionIndex: number;
      committedOffset: bigint;
      committedLeaderEpoch: number;
      committedMetadata: string | null;
    }[];
  }[];
}

export interface PartitionResult {
  partitionIndex: number;
  errorCode: number;
}
export interface TopicResults {
  name: string;
  partitions: PartitionResult[];
}

export interface OffsetFetchInput {
  groupId: string;
  memberId: string | null;
  memberEpoch: number;
  topics: { name: string; partitionIndexes: number[] }[] | null;
  requireStable: boolean;
}

export interface FetchedPartition {
  partitionIndex: number;
  committedOffset: bigint;
  committedLeaderEpoch: number;
  metadata: string;
  errorCode: number;
}
export interface FetchedGroup {
  groupId: string;
  errorCode: number;
  topics: { name: string; partitions: FetchedPartition[] }[];
}

export interface DescribedGroup {
  errorCode: number;
  groupId: string;
  groupState: string;
  protocolType: string;
  protocolData: string;
  members: {
    memberId: string;
    groupInstanceId: string | null;
    clientId: string;
    clientHost: string;
    memberMetadata: Buffer;
    memberAssignment: Buffer;
  }[];
}

export interface ListedGroup {
  groupId: string;
  protocolType: string;
  groupState: string;
  groupType: 'classic' | 'consumer';
}

export class GroupCoordinator {
  readonly config: CoordinatorConfig;
  readonly #log: OffsetsLog;
  readonly #topics: TopicCatalog;
  readonly #clock: CoordinatorClock;
  readonly #timers: CoordinatorTimers;
  readonly #logger: CoordinatorLogger | undefined;
  readonly #transactions: () => PendingTransactionalOffsets | undefined;
  readonly #groups = new Map<string, Group>();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #rt: GroupRuntime;
  #closed = false;

  private constructor(options: GroupCoordinatorOptions) {
    this.config = resolveCoordinatorConfig(options.config);
    if (options.log.partitions !== this.config.offsetsTopicPartitions) {
      throw new RangeError(
        `Cannot start the group coordinator: __consumer_offsets has ${options.log.partitions} partitions, config says ${this.config.offsetsTopicPartitions}`,
      );
    }
    this.#log = options.log;
    this.#topics = options.topics;
    this.#clock = options.clock ?? systemCoordinatorClock;
    this.#timers = new CoordinatorTimers(this.#clock, { autoRun: options.clock === undefined });
    this.#logger = options.logger;
    this.#transactions = options.transactions ?? (() => undefined);
    this.#rt = {
      clock: this.#clock,
      timers: this.#timers,
      config: this.config,
      topics: this.#topics,
      persistMetadata: (groupId) => this.#persistMetadata(groupId),
      append: (groupId, records) => this.#append(groupId, records),
      newMemberId: (prefix) => `${prefix}-${randomUUID()}`,
    };
  }

  /** Opens the coordinator: replays __consumer_offsets, then starts the retention sweep. */
  static async open(options: GroupCoordinatorOptions): Promise<GroupCoordinator> {
    const coordinator = new GroupCoordinator(options);
    for (let p = 0; p < coordinator.#log.partitions; p++) {
      for await (const record of coordinator.#log.readAll(p)) coordinator.#replay(record);
    }
    // Restored members' sessions start at load time, as in Kafka (onGroupLoaded).
    for (const group of coordinator.#groups.values()) group.onLoaded();
    coordinator.#scheduleRetentionSweep();
    return coordinator;
  }

  /** Fires due timers now (tests with a manual clock call this after advancing it). */
  runDueTimers(): number {
    return this.#timers.runDue();
  }

  group(groupId: string): Group | undefined {
    return this.#groups.get(groupId);
  }

  get groupCount(): number {
    return this.#groups.size;
  }

  // ---- Classic protocol ------------------------------------------------------------------

  joinGroup(groupId: string, request: ClassicJoinRequest): Promise<JoinGroupResult> {
    const invalid = this.#checkJoin(groupId, request);
    if (invalid !== ErrorCode.none) return Promise.resolve(joinError(invalid, request.memberId));
    const req = {
      ...request,
      rebalanceTimeoutMs: Math.min(request.rebalanceTimeoutMs, coordinatorLimits.rebalanceTimeoutMsMax),
    };
    let group = this.#groups.get(groupId);
    if (group === undefined) {
      if (req.memberId !== '') return Promise.resolve(joinError(ErrorCode.unknownMemberId, req.memberId));
      if (this.#groups.size >= coordinatorLimits.groupsMax)
        return Promise.resolve(joinError(ErrorCode.coordinatorNotAvailable));
      group = new ClassicGroup(groupId, this.#rt);
      this.#groups.set(groupId, group);
    } else if (group.type === 'consumer') {
      if (!group.isEmpty)
        return Promise.resolve(joinError(ErrorCode.inconsistentGroupProtocol, req.memberId));
      group = this.#convert(group, 'classic');
    }
    const classic = group as ClassicGroup;
    return new Promise((resolve) => classic.join(req, resolve));
  }

  #checkJoin(groupId: string, req: ClassicJoinRequest): number {
    if (groupId === '' || groupId.length > coordinatorLimits.idBytesMax) return ErrorCode.invalidGroupId;
    if (
      req.sessionTimeoutMs < this.config.sessionTimeoutMsMin ||
      req.sessionTimeoutMs > this.config.sessionTimeoutMsMax
    ) {
      return ErrorCode.invalidSessionTimeout;
    }
    if (req.protocolType === '' || req.protocols.length === 0) return ErrorCode.inconsistentGroupProtocol;
    if (
      req.protocols.length > coordinatorLimits.joinProtocolsMax ||
      req.protocols.some((p) => p.metadata.length > coordinatorLimits.memberMetadataBytesMax) ||
      [req.memberId, req.clientId, req.groupInstanceId ?? '', req.protocolType].some(
        (s) => s.length > coordinatorLimits.idBytesMax,
      )
    ) {
      return ErrorCode.invalidRequest;
    }
    return ErrorCode.none;
  }

  syncGroup(groupId: string, request: ClassicSyncRequest): Promise<SyncGroupResult> {
    const group = this.#groups.get(groupId);
    if (groupId === '') return Promise.resolve(syncError(ErrorCode.invalidGroupId));
    if (group === undefined || group.type !== 'classic')
      return Promise.resolve(syncError(ErrorCode.unknownMemberId));
    if (request.assignments.some((a) => a.assignment.length > coordinatorLimits.memberMetadataBytesMax)) {
      return Promise.resolve(syncError(ErrorCode.invalidRequest));
    }
    return new Promise((resolve) => group.sync(request, resolve));
  }

  heartbeat(groupId: string, memberId: string, groupInstanceId: string | null, generationId: number): number {
    if (groupId === '') return ErrorCode.invalidGroupId;
    const group = this.#groups.get(groupId);
    if (group === undefined || group.type !== 'classic') return ErrorCode.unknownMemberId;
    return group.heartbeat(memberId, groupInstanceId, generationId);
  }

  /** LeaveGroup: a top-level error (group-wide) and one code per identity. */
  leaveGroup(
    groupId: string,
    identities: readonly MemberIdentity[],
  ): { errorCode: number; members: number[] } {
    if (groupId === '') return { errorCode: ErrorCode.invalidGroupId, members: [] };
    const group = this.#groups.get(groupId);
    if (group === undefined || group.type !== 'classic')
      return { errorCode: ErrorCode.unknownMemberId, members: [] };
    return { errorCode: ErrorCode.none, members: group.leave(identities) };
  }

  // ---- KIP-848 consumer protocol ---------------------------------------------------------

  consumerGroupHeartbeat(
    groupId: string,
    request: ConsumerHeartbeatRequest,
    apiVersion: number,
  ): ConsumerHeartbeatResult {
    const invalid = this.#checkConsumerHeartbeat(groupId, request, apiVersion);
    if (invalid !== undefined) return invalid;
    const req: ConsumerHeartbeatRequest = {
      ...request,
      memberId: request.memberId === '' ? randomUUID() : request.memberId,
      rebalanceTimeoutMs: Math.min(request.rebalanceTimeoutMs, coordinatorLimits.rebalanceTimeoutMsMax),
    };
    let group = this.#groups.get(groupId);
    if (req.memberEpoch !== MemberEpoch.join) {
      if (group === undefined || group.type !== 'consumer') return heartbeatError(ErrorCode.unknownMemberId);
      return group.heartbeat(req);
    }
    if (group === undefined) {
      if (this.#groups.size >= coordinatorLimits.groupsMax)
        return heartbeatError(ErrorCode.coordinatorNotAvailable);
      group = new ConsumerGroup(groupId, this.#rt);
      this.#groups.set(groupId, group);
    } else if (group.type === 'classic') {
      if (!group.isEmpty)
        return heartbeatError(ErrorCode.groupIdNotFound, `Group ${groupId} is not a consumer group`);
      group = this.#convert(group, 'consumer');
    }
    return (group as ConsumerGroup).heartbeat(req);
  }

  #checkConsumerHeartbeat(
    groupId: string,
    req: ConsumerHeartbeatRequest,
    apiVersion: number,
  ): ConsumerHeartbeatResult | undefined {
    const bad = (message: string) => heartbeatError(ErrorCode.invalidRequest, message);
    if (groupId === '' || groupId.length > coordinatorLimits.idBytesMax)
      return bad(`GroupId must be 1 to ${coordinatorLimits.idBytesMax} characters`);
    if (req.instanceId === '') return bad('InstanceId can not be empty');
    if (req.memberEpoch < MemberEpoch.leaveStatic) return bad(`MemberEpoch ${req.memberEpoch} is invalid`);
    if (req.memberId === '' && (req.memberEpoch !== MemberEpoch.join || apiVersion >= 1))
      return bad('MemberId can not be empty');
    if (req.memberId.length > coordinatorLimits.idBytesMax)
      return bad(`MemberId is longer than ${coordinatorLimits.idBytesMax}`);
    if (req.memberEpoch === MemberEpoch.leaveStatic && req.instanceId === null)
      return bad('InstanceId is required to leave with epoch -2');
    if (req.memberEpoch === MemberEpoch.join) {
      if (req.rebalanceTimeoutMs === -1) return bad('RebalanceTimeoutMs must be provided when joining');
      if (req.subscribedTopicNames === null && req.subscribedTopicRegex === null) {
        return bad('SubscribedTopicNames or SubscribedTopicRegex must be provided when joining');
      }
      if (req.ownedTopicPartitions !== null && req.ownedTopicPartitions.length > 0)
        return bad('TopicPartitions must be empty when (re-)joining');
    }
    if ((req.subscribedTopicNames?.length ?? 0) > coordinatorLimits.subscribedTopicsMax) {
      return bad(`SubscribedTopicNames holds more than ${coordinatorLimits.subscribedTopicsMax} topics`);
    }
    if (req.serverAssignor !== null && !this.config.consumerAssignors.includes(req.serverAssignor)) {
      return heartbeatError(
        ErrorCode.unsupportedAssignor,
        `ServerAssignor ${req.serverAssignor} is not supported`,
      );
    }
    if (req.subscribedTopicRegex !== null && req.subscribedTopicRegex !== '') {
      if (req.subscribedTopicRegex.length > coordinatorLimits.subscriptionRegexBytesMax)
        return bad('SubscribedTopicRegex is too long');
      try {
        compileSubscriptionRegex(req.subscribedTopicRegex);
      } catch {
        return bad(`SubscribedTopicRegex ${req.subscribedTopicRegex} is not a valid regular expression`);
      }
    }
    return undefined;
  }

  consumerGroupDescribe(groupIds: readonly string[]): ConsumerGroupDescribeResponseDescribedGroup[] {
    return groupIds.map((groupId) => {
      const group = this.#groups.get(groupId);
      const described: ConsumerGroupDescribeResponseDescribedGroup = {
        errorCode: ErrorCode.none,
        errorMessage: null,
        groupId,
        groupState: '',
        groupEpoch: -1,
        assignmentEpoch: -1,
        assignorName: '',
        members: [],
        authorizedOperations: -2147483648,
      };
      if (group === undefined || group.type !== 'consumer') {
        described.errorCode = ErrorCode.groupIdNotFound;
        described.errorMessage =
          group === undefined ? `Group ${groupId} not found` : `Group ${groupId} is not a consumer group`;
        return described;
      }
      described.groupState = group.state;
      described.groupEpoch = group.groupEpoch;
      described.assignmentEpoch = group.assignmentEpoch;
      described.assignorName = group.assignorName;
      const named = (a: Parameters<typeof assignmentToList>[0]) => ({
        topicPartitions: assignmentToList(a).map(({ topicId, partitions }) => ({
          topicId,
          topicName: this.#topics.byId(topicId)?.name ?? '',
          partitions,
        })),
      });
      described.members = [...group.members()].map((m) => ({
        memberId: m.memberId,
        instanceId: m.instanceId,
        rackId: m.rackId,
        memberEpoch: m.memberEpoch,
        clientId: m.clientId,
        clientHost: m.clientHost,
        subscribedTopicNames: m.subscribedTopicNames,
        subscribedTopicRegex: m.subscribedTopicRegex,
        assignment: named(m.assigned),
        targetAssignment: named(group.targetOf(m.memberId)),
      }));
      return described;
    });
  }

  // ---- Group administration --------------------------------------------------------------

  describeGroups(groupIds: readonly string[]): DescribedGroup[] {
    return groupIds.map((groupId) => {
      const group = this.#groups.get(groupId);
      if (group === undefined) {
        return {
          errorCode: ErrorCode.none,
          groupId,
          groupState: 'Dead',
          protocolType: '',
          protocolData: '',
          members: [],
        };
      }
      if (group.type === 'consumer') {
        return {
          errorCode: ErrorCode.none,
          groupId,
          groupState: group.state,
          protocolType: 'consumer',
          protocolData: group.assignorName,
          members: [...group.members()].map((m) => ({
            memberId: m.memberId,
            groupInstanceId: m.instanceId,
            clientId: m.clientId,
            clientHost: m.clientHost,
            memberMetadata: consumerProtocolSubscriptionBytes(m.subscribedTopicNames),
            memberAssignment: consumerProtocolAssignmentBytes(m.assigned, this.#topics),
          })),
        };
      }
      const stable = group.state === 'Stable';
      return {
        errorCode: ErrorCode.none,
        groupId,
        groupState: group.state,
        protocolType: group.protocolType ?? '',
        protocolData: stable ? (group.protocolName ?? '') : '',
        members:
          group.state === 'Dead'
            ? []
            : [...group.members()].map((m) => ({
                memberId: m.memberId,
                groupInstanceId: m.groupInstanceId,
                clientId: m.clientId,
                clientHost: m.clientHost,
                memberMetadata: stable
                  ? (m.protocols.find((p) => p.name === group.protocolName)?.metadata ?? Buffer.alloc(0))
                  : Buffer.alloc(0),
                memberAssignment: stable ? m.assignment : Buffer.alloc(0),
              })),
      };
    });
  }

  /** ListGroups; filters compare case-insensitively, an empty filter matches everything. */
  listGroups(statesFilter: readonly string[], typesFilter: readonly string[]): ListedGroup[] {
    const states = new Set(statesFilter.map((s) => s.toLowerCase()));
    const types = new Set(typesFilter.map((s) => s.toLowerCase()));
    const out: ListedGroup[] = [];
    for (const group of this.#groups.values()) {
      const listed: ListedGroup =
        group.type === 'classic'
          ? {
              groupId: group.groupId,
              protocolType: group.protocolType ?? '',
              groupState: group.state,
              groupType: 'classic',
            }
          : {
              groupId: group.groupId,
              protocolType: 'consumer',
              groupState: group.state,
              groupType: 'consumer',
            };
      if (listed.groupState === 'Dead') continue;
      if (states.size > 0 && !states.has(listed.groupState.toLowerCase())) continue;
      if (types.size > 0 && !types.has(listed.groupType)) continue;
      out.push(listed);
    }
    return out.sort((a, b) => (a.groupId < b.groupId ? -1 : 1));
  }

  async deleteGroups(groupIds: readonly string[]): Promise<{ groupId: string; errorCode: number }[]> {
    // Every group is checked and removed synchronously first; then the tombstones are awaited.
    const pending = groupIds.map((groupId) => ({ groupId, outcome: this.#deleteGroupNow(groupId) }));
    return Promise.all(
      pending.map(async ({ groupId, outcome }) => {
        if (typeof outcome === 'number') return { groupId, errorCode: outcome };
        try {
          await outcome;
          return { groupId, errorCode: ErrorCode.none };
        } catch (error) {
          this.#logger?.warn({ groupId, error }, `Cannot persist the deletion of group '${groupId}'`);
          return { groupId, errorCode: ErrorCode.coordinatorNotAvailable };
        }
      }),
    );
  }

  /** Checks and removes a group synchronously; returns an error code or its tombstones' append. */
  #deleteGroupNow(groupId: string): number | Promise<void> {
    if (groupId === '') return ErrorCode.invalidGroupId;
    const group = this.#groups.get(groupId);
    if (group === undefined || (group.type === 'classic' && group.state === 'Dead'))
      return ErrorCode.groupIdNotFound;
    if (!group.isEmpty) return ErrorCode.nonEmptyGroup;
    const nowMs = this.#clock.nowMs();
    const records: OffsetsLogRecord[] = [];
    for (const [topic, partition] of group.offsets.entries()) {
      records.push({
        key: encodeOffsetsKey({ kind: 'offset', groupId, topic, partition }),
        value: null,
        timestampMs: nowMs,
      });
    }
    records.push({ key: encodeOffsetsKey({ kind: 'group', groupId }), value: null, timestampMs: nowMs });
    for (const kind of ['consumerTargetMetadata', 'consumerGroup'] as const) {
      records.push({ key: encodeOffsetsKey({ kind, groupId }), value: null, timestampMs: nowMs });
    }
    group.kill();
    this.#groups.delete(groupId);
    return this.#appendAndWait(groupId, records);
  }

  // ---- Offsets ---------------------------------------------------------------------------

  async commitOffsets(input: OffsetCommitInput): Promise<TopicResults[]> {
    const all = (code: number): TopicResults[] =>
      input.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: code })),
      }));
    const count = input.topics.reduce((n, t) => n + t.partitions.length, 0);
    if (count > coordinatorLimits.offsetRequestPartitionsMax) return all(ErrorCode.invalidRequest);
    if (input.groupId === '' || input.groupId.length > coordinatorLimits.idBytesMax)
      return all(ErrorCode.invalidGroupId);
    let group = this.#groups.get(input.groupId);
    if (group === undefined) {
      if (input.generationIdOrMemberEpoch >= 0) {
        return all(input.apiVersion >= 9 ? ErrorCode.groupIdNotFound : ErrorCode.illegalGeneration);
      }
      if (this.#groups.size >= coordinatorLimits.groupsMax) return all(ErrorCode.coordinatorNotAvailable);
      group = new ClassicGroup(input.groupId, this.#rt);
      this.#groups.set(input.groupId, group);
    }
    const groupError =
      group.type === 'classic'
        ? group.validateOffsetCommit(
            input.memberId,
            input.groupInstanceId,
            input.generationIdOrMemberEpoch,
            false,
          )
        : group.validateOffsetCommit(
            input.memberId,
            input.generationIdOrMemberEpoch,
            input.apiVersion,
            false,
            input.topics.flatMap((t) =>
              t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex })),
            ),
          );
    if (groupError !== ErrorCode.none) return all(groupError);

    const nowMs = this.#clock.nowMs();
    const expireTimestampMs = input.retentionTimeMs >= 0 ? nowMs + input.retentionTimeMs : -1;
    const results: TopicResults[] = [];
    const accepted: [string, number, CommittedOffset][] = [];
    for (const t of input.topics) {
      const topic = this.#topics.byName(t.name);
      const partitions = t.partitions.map((p): PartitionResult => {
        const metadata = p.committedMetadata ?? '';
        let errorCode: number = ErrorCode.none;
        if (Buffer.byteLength(metadata) > coordinatorLimits.offsetMetadataBytesMax)
          errorCode = ErrorCode.offsetMetadataTooLarge;
        else if (topic === undefined || p.partitionIndex < 0 || p.partitionIndex >= topic.partitions) {
          errorCode = ErrorCode.unknownTopicOrPartition;
        } else {
          accepted.push([
            t.name,
            p.partitionIndex,
            {
              offset: p.committedOffset,
              leaderEpoch: p.committedLeaderEpoch,
              metadata,
              commitTimestampMs: nowMs,
              expireTimestampMs,
            },
          ]);
        }
        return { partitionIndex: p.partitionIndex, errorCode };
      });
      results.push({ name: t.name, partitions });
    }
    if (accepted.length === 0) return results;
    const records = accepted.map(([topic, partition, value]) => ({
      key: encodeOffsetsKey({ kind: 'offset', groupId: input.groupId, topic, partition }),
      value: encodeOffsetCommitValue(value),
      timestampMs: nowMs,
    }));
    const target = group;
    try {
      await this.#appendAndWait(input.groupId, records);
    } catch (error) {
      this.#logger?.warn(
        { groupId: input.groupId, error },
        `Cannot persist offsets of group '${input.groupId}'`,
      );
      const failed = new Set(accepted.map(([t, p]) => `${t}\u0000${p}`));
      for (const r of results)
        for (const p of r.partitions)
          if (failed.has(`${r.name}\u0000${p.partitionIndex}`))
            p.errorCode = ErrorCode.coordinatorNotAvailable;
      return results;
    }
    // Applied in log order; a group deleted (tombstoned) after this append does not get them back.
    if (this.#groups.get(input.groupId) === target) {
      for (const [topic, partition, value] of accepted)
        target.offsets.set(input.groupId, topic, partition, value);
    }
    return results;
  }

  // ---- Transactional offsets (used by the transaction coordinator, src/txn) --------------

  /** TxnOffsetCommit's group check (KIP-447): NONE, or the error for this generation and member. */
  validateTxnOffsetCommit(
    groupId: string,
    memberId: string,
    groupInstanceId: string | null,
    generationId: number,
  ): number {
    if (groupId === '' || groupId.length > coordinatorLimits.idBytesMax) return ErrorCode.invalidGroupId;
    const group = this.#groups.get(groupId);
    if (group === undefined) return generationId < 0 ? ErrorCode.none : ErrorCode.illegalGeneration;
    return group.type === 'classic'
      ? group.validateOffsetCommit(memberId, groupInstanceId, generationId, true)
      : group.validateOffsetCommit(memberId, generationId, 0, true, null);
  }

  /**
   * Makes offsets a transaction committed visible, once its commit markers are written: appended to
   * __consumer_offsets as ordinary offset commits, then applied. Offsets of aborted transactions
   * never reach the coordinator.
   */
  async commitTransactionalOffsets(
    groupId: string,
    offsets: readonly {
      topic: string;
      partition: number;
      offset: bigint;
      leaderEpoch: number;
      metadata: string;
    }[],
  ): Promise<void> {
    let group = this.#groups.get(groupId);
    if (group === undefined) {
      if (this.#groups.size >= coordinatorLimits.groupsMax)
        throw new RangeError(
          `Cannot commit transactional offsets of group '${groupId}': ${this.#groups.size} groups exist`,
        );
      group = new ClassicGroup(groupId, this.#rt);
      this.#groups.set(groupId, group);
    }
    const nowMs = this.#clock.nowMs();
    const accepted = offsets.map((o): [string, number, CommittedOffset] => [
      o.topic,
      o.partition,
      {
        offset: o.offset,
        leaderEpoch: o.leaderEpoch,
        metadata: o.metadata,
        commitTimestampMs: nowMs,
        expireTimestampMs: -1,
      },
    ]);
    const records = accepted.map(([topic, partition, value]) => ({
      key: encodeOffsetsKey({ kind: 'offset', groupId, topic, partition }),
      value: encodeOffsetCommitValue(value),
      timestampMs: nowMs,
    }));
    const target = group;
    await this.#appendAndWait(groupId, records);
    if (this.#groups.get(groupId) !== target) return;
    for (const [topic, partition, value] of accepted) target.offsets.set(groupId, topic, partition, value);
  }

  /**
   * Whether a transaction that has not completed yet holds an offset for the group's partition
   * (KIP-447): such an offset is not visible yet, and a RequireStable OffsetFetch must wait for it.
   */
  hasPendingTransactionalOffsets(groupId: string, topic: string, partition: number): boolean {
    return this.#transactions()?.hasPendingOffsets(groupId, topic, partition) ?? false;
  }

  /**
   * Committed offsets of the requested partitions (null: every partition with one). With
   * `requireStable`, a partition with a pending transactional offset answers UNSTABLE_OFFSET_COMMIT
   * and no offset, as Kafka does, whether or not the group exists yet; the client retries.
   */
  fetchOffsets(input: OffsetFetchInput): FetchedGroup {
    const group = this.#groups.get(input.groupId);
    const result: FetchedGroup = { groupId: input.groupId, errorCode: ErrorCode.none, topics: [] };
    if (group?.type === 'consumer') {
      result.errorCode = group.validateOffsetFetch(input.memberId, input.memberEpoch);
      if (result.errorCode !== ErrorCode.none) return result;
    }
    const offsets = group?.offsets;
    const requested =
      input.topics ??
      (offsets === undefined
        ? []
        : offsets.topics().map((name) => ({ name, partitionIndexes: offsets.partitions(name) })));
    for (const t of requested) {
      result.topics.push({
        name: t.name,
        partitions: t.partitionIndexes.map((partitionIndex): FetchedPartition => {
          if (
            input.requireStable &&
            this.hasPendingTransactionalOffsets(input.groupId, t.name, partitionIndex)
          ) {
            return {
              partitionIndex,
              committedOffset: -1n,
              committedLeaderEpoch: -1,
              metadata: '',
              errorCode: ErrorCode.unstableOffsetCommit,
            };
          }
          const o = offsets?.get(t.name, partitionIndex);
          return {
            partitionIndex,
            committedOffset: o?.offset ?? -1n,
            committedLeaderEpoch: o?.leaderEpoch ?? -1,
            metadata: o?.metadata ?? '',
            errorCode: ErrorCode.none,
          };
        }),
      });
    }
    return result;
  }

  async deleteOffsets(
    groupId: string,
    topics: readonly { name: string; partitions: number[] }[],
  ): Promise<{ errorCode: number; topics: TopicResults[] }> {
    const group = this.#groups.get(groupId);
    if (groupId === '') return { errorCode: ErrorCode.invalidGroupId, topics: [] };
    if (group === undefined || (group.type === 'classic' && group.state === 'Dead'))
      return { errorCode: ErrorCode.groupIdNotFound, topics: [] };
    let subscribed: Set<string> | undefined = new Set();
    if (group.type === 'consumer') subscribed = group.subscribedTopicNames();
    else if (!group.isEmpty) {
      subscribed = group.subscribedTopics(subscriptionTopics);
      if (subscribed === undefined) return { errorCode: ErrorCode.nonEmptyGroup, topics: [] };
    }
    const nowMs = this.#clock.nowMs();
    const records: OffsetsLogRecord[] = [];
    const results = topics.map((t): TopicResults => {
      const topic = this.#topics.byName(t.name);
      return {
        name: t.name,
        partitions: t.partitions.map((partitionIndex) => {
          if (topic === undefined || partitionIndex < 0 || partitionIndex >= topic.partitions) {
            return { partitionIndex, errorCode: ErrorCode.unknownTopicOrPartition };
          }
          if (subscribed.has(t.name)) return { partitionIndex, errorCode: ErrorCode.groupSubscribedToTopic };
          if (group.offsets.delete(t.name, partitionIndex)) {
            records.push({
              key: encodeOffsetsKey({ kind: 'offset', groupId, topic: t.name, partition: partitionIndex }),
              value: null,
              timestampMs: nowMs,
            });
          }
          return { partitionIndex, errorCode: ErrorCode.none };
        }),
      };
    });
    if (records.length === 0) return { errorCode: ErrorCode.none, topics: results };
    try {
      await this.#appendAndWait(groupId, records);
    } catch {
      return { errorCode: ErrorCode.coordinatorNotAvailable, topics: [] };
    }
    return { errorCode: ErrorCode.none, topics: results };
  }

  // ---- Persistence -----------------------------------------------------------------------

  #persistMetadata(groupId: string): void {
    const group = this.#groups.get(groupId);
    if (group === undefined) return;
    const timestampMs = this.#clock.nowMs();
    const record: OffsetsLogRecord =
      group.type === 'classic'
        ? {
            key: encodeOffsetsKey({ kind: 'group', groupId }),
            value: encodeGroupMetadataValue(group.toRecord()),
            timestampMs,
          }
        : {
            key: encodeOffsetsKey({ kind: 'consumerGroup', groupId }),
            value: encodeConsumerGroupMetadataValue({ epoch: group.groupEpoch }),
            timestampMs,
          };
    this.#append(groupId, [record]);
  }

  /** Background append: ordered with every other append of the partition, failures logged. */
  #append(groupId: string, records: OffsetsLogRecord[]): void {
    this.#appendAndWait(groupId, records).catch((error: unknown) => {
      this.#logger?.warn(
        { groupId, error },
        `Cannot persist metadata of group '${groupId}' to __consumer_offsets`,
      );
    });
  }

  #appendAndWait(groupId: string, records: readonly OffsetsLogRecord[]): Promise<void> {
    if (this.#closed)
      return Promise.reject(new Error(`Cannot persist group '${groupId}': the coordinator is closed`));
    const partition = offsetsPartitionFor(groupId, this.#log.partitions);
    const chunks: Promise<void>[] = [];
    // Every chunk is handed to the log now (synchronously), so the log's order is the call order.
    for (let i = 0; i < records.length; i += coordinatorLimits.offsetsAppendRecordsMax) {
      chunks.push(
        this.#log.append(partition, records.slice(i, i + coordinatorLimits.offsetsAppendRecordsMax)),
      );
    }
    const done = Promise.all(chunks).then(() => {});
    this.#inFlight.add(done);
    const forget = () => this.#inFlight.delete(done);
    done.then(forget, forget);
    return done;
  }

  #replay(record: OffsetsLogRecord): void {
    const key = decodeOffsetsKey(record.key);
    if (key === undefined) return;
    const { groupId } = key;
    if (key.kind === 'offset') {
      if (record.value === null) {
        this.#groups.get(groupId)?.offsets.delete(key.topic, key.partition);
        return;
      }
      let group = this.#groups.get(groupId);
      if (group === undefined) {
        group = new ClassicGroup(groupId, this.#rt);
        this.#groups.set(groupId, group);
      }
      const v = decodeOffsetCommitValue(record.value);
      group.offsets.set(groupId, key.topic, key.partition, { ...v, metadata: v.metadata });
      return;
    }
    const existing = this.#groups.get(groupId);
    if (key.kind !== 'group' && key.kind !== 'consumerGroup') {
      this.#replayConsumerRecord(key, existing, record.value);
      return;
    }
    if (record.value === null) {
      if (existing === undefined || existing.type !== (key.kind === 'group' ? 'classic' : 'consumer')) return;
      if (existing.offsets.size === 0) this.#groups.delete(groupId);
      else if (existing.type === 'consumer')
        this.#groups.set(groupId, new ClassicGroup(groupId, this.#rt, existing.offsets));
      return;
    }
    if (key.kind === 'group') {
      const classic =
        existing?.type === 'classic' ? existing : new ClassicGroup(groupId, this.#rt, existing?.offsets);
      classic.restore(decodeGroupMetadataValue(record.value));
      this.#groups.set(groupId, classic);
    } else {
      const consumer =
        existing?.type === 'consumer' ? existing : new ConsumerGroup(groupId, this.#rt, existing?.offsets);
      consumer.restore(decodeConsumerGroupMetadataValue(record.value).epoch);
      this.#groups.set(groupId, consumer);
    }
  }

  /** Replays a KIP-848 member or target-assignment record into its consumer group. */
  #replayConsumerRecord(
    key: Exclude<OffsetsRecordKey, { kind: 'offset' | 'group' | 'consumerGroup' }>,
    existing: Group | undefined,
    value: Buffer | null,
  ): void {
    let group: ConsumerGroup;
    if (existing?.type === 'consumer') group = existing;
    else if (value === null) return;
    else {
      group = new ConsumerGroup(key.groupId, this.#rt, existing?.offsets);
      this.#groups.set(key.groupId, group);
    }
    switch (key.kind) {
      case 'consumerTargetMetadata':
        if (value !== null) group.restoreAssignmentEpoch(decodeConsumerTargetMetadataValue(value));
        return;
      case 'consumerMember':
        group.restoreMember(
          key.memberId,
          value,
          value === null ? null : decodeConsumerMemberMetadataValue(value),
        );
        return;
      case 'consumerTargetMember':
        group.restoreTarget(
          key.memberId,
          value,
          value === null ? null : decodeConsumerTargetMemberValue(value),
        );
        return;
      case 'consumerCurrentAssignment':
        group.restoreCurrentAssignment(
          key.memberId,
          value,
          value === null ? null : decodeConsumerCurrentAssignmentValue(value),
        );
        return;
    }
  }

  /** Replaces an empty group by one of the other type, keeping its committed offsets. */
  #convert(group: Group, to: 'classic' | 'consumer'): Group {
    group.kill();
    const next =
      to === 'classic'
        ? new ClassicGroup(group.groupId, this.#rt, group.offsets)
        : new ConsumerGroup(group.groupId, this.#rt, group.offsets);
    this.#groups.set(group.groupId, next);
    return next;
  }

  // ---- Retention, lifecycle --------------------------------------------------------------

  #scheduleRetentionSweep(): void {
    this.#timers.set(
      '\u0000retention',
      this.#clock.nowMs() + this.config.offsetsRetentionCheckIntervalMs,
      () => {
        this.expireOffsets();
        this.#scheduleRetentionSweep();
      },
    );
  }

  /**
   * Removes offsets past retention: an explicit expire timestamp (OffsetCommit v2–v4), else
   * offsetsRetentionMs after the later of the commit and the moment the group became empty (only
   * empty groups lose offsets this way). Empty groups left without offsets are deleted.
   */
  expireOffsets(): number {
    const nowMs = this.#clock.nowMs();
    let expired = 0;
    for (const group of [...this.#groups.values()]) {
      const records: OffsetsLogRecord[] = [];
      for (const [topic, partition, o] of [...group.offsets.entries()]) {
        const due =
          o.expireTimestampMs >= 0
            ? nowMs >= o.expireTimestampMs
            : group.isEmpty &&
              nowMs >= Math.max(o.commitTimestampMs, group.stateSinceMs) + this.config.offsetsRetentionMs;
        if (!due) continue;
        group.offsets.delete(topic, partition);
        records.push({
          key: encodeOffsetsKey({ kind: 'offset', groupId: group.groupId, topic, partition }),
          value: null,
          timestampMs: nowMs,
        });
        expired++;
      }
      if (group.isEmpty && group.offsets.size === 0) {
        if (group.type === 'consumer') {
          records.push({
            key: encodeOffsetsKey({ kind: 'consumerTargetMetadata', groupId: group.groupId }),
            value: null,
            timestampMs: nowMs,
          });
        }
        records.push({
          key: encodeOffsetsKey({
            kind: group.type === 'classic' ? 'group' : 'consumerGroup',
            groupId: group.groupId,
          }),
          value: null,
          timestampMs: nowMs,
        });
        group.kill();
        this.#groups.delete(group.groupId);
      }
      if (records.length > 0) this.#append(group.groupId, records);
    }
    return expired;
  }

  /** Answers parked requests with NOT_COORDINATOR, stops timers and waits for pending appends. */
  async close(): Promise<void> {
    if (this.#closed) return;
    for (const group of this.#groups.values()) {
      if (group.type === 'classic') group.kill(ErrorCode.notCoordinator);
      else group.kill();
    }
    this.#timers.close();
    this.#closed = true;
    await Promise.allSettled([...this.#inFlight]);
  }
}
