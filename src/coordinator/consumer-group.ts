// One consumer group of the new protocol (KIP-848, ConsumerGroupHeartbeat). The coordinator
// owns the assignment: a change in membership, subscriptions or subscribed topics bumps the
// group epoch; the target assignment is recomputed by the server assignor for that epoch; each
// member then reconciles towards its target one heartbeat at a time, revoking before it is
// given partitions another member still owns. Everything runs synchronously. See REBALANCE.md.
import { ErrorCode } from '../protocol/error-codes.ts';
import {
  type Assignment,
  assignmentEquals,
  assignmentFromList,
  assignmentHas,
  assignmentIntersect,
  assignmentMinus,
  assignmentSize,
  assignmentSubsetOf,
  assignmentToList,
  assignmentUnion,
  emptyAssignment,
  type TopicPartitionsList,
} from './assignment.ts';
import type { AssignorMember, ServerAssignor } from './assignor.ts';
import { GroupOffsets } from './group-offsets.ts';
import { type GroupRuntime, groupTimerKey, groupTimerPrefix } from './group-runtime.ts';
import type { OffsetsLogRecord } from './offsets-log.ts';
import {
  type ConsumerCurrentAssignmentRecordValue,
  type ConsumerMemberMetadataRecordValue,
  encodeConsumerCurrentAssignmentValue,
  encodeConsumerGroupMetadataValue,
  encodeConsumerMemberMetadataValue,
  encodeConsumerTargetMemberValue,
  encodeConsumerTargetMetadataValue,
  encodeOffsetsKey,
  type TopicPartitionsRecord,
} from './offsets-records.ts';
import { rangeAssignor } from './range-assignor.ts';
import { uniformAssignor } from './uniform-assignor.ts';

export const serverAssignors: ReadonlyMap<string, ServerAssignor> = new Map([
  [uniformAssignor.name, uniformAssignor],
  [rangeAssignor.name, rangeAssignor],
]);

/** memberEpoch values with a meaning of their own in ConsumerGroupHeartbeat. */
export const MemberEpoch = { join: 0, leave: -1, leaveStatic: -2 } as const;

export type ConsumerMemberState = 'stable' | 'unrevokedPartitions' | 'unreleasedPartitions';
export type ConsumerGroupState = 'Empty' | 'Assigning' | 'Reconciling' | 'Stable' | 'Dead';

export interface ConsumerMember {
  memberId: string;
  instanceId: string | null;
  rackId: string | null;
  clientId: string;
  clientHost: string;
  rebalanceTimeoutMs: number;
  subscribedTopicNames: string[];
  subscribedTopicRegex: string | null;
  serverAssignor: string | null;
  memberEpoch: number;
  previousMemberEpoch: number;
  state: ConsumerMemberState;
  /** Partitions the member may consume now. */
  assigned: Assignment;
  /** Partitions the member must give up before it advances to the target epoch. */
  pendingRevocation: Assignment;
  /**
   * The member epoch at which each partition of `assigned` and `pendingRevocation` was given to
   * the member (KIP-1251 assignment epochs): an OffsetCommit with an older member epoch may commit
   * a partition the member still holds if the epoch is at least the partition's.
   */
  assignmentEpochs: AssignmentEpochs;
}

/** Per topic id, per partition: the member epoch the partition was assigned at. */
export type AssignmentEpochs = ReadonlyMap<string, ReadonlyMap<number, number>>;

/** A partition an OffsetCommit names: the topic by name, as the request carries it. */
export interface CommitPartitionRef {
  topic: string;
  partition: number;
}

export interface ConsumerHeartbeatRequest {
  memberId: string;
  memberEpoch: number;
  instanceId: string | null;
  rackId: string | null;
  rebalanceTimeoutMs: number;
  subscribedTopicNames: string[] | null;
  subscribedTopicRegex: string | null;
  serverAssignor: string | null;
  /** Partitions the member reports owning; null when unchanged since its last heartbeat. */
  ownedTopicPartitions: TopicPartitionsList[] | null;
  clientId: string;
  clientHost: string;
}

export interface ConsumerHeartbeatResult {
  errorCode: number;
  errorMessage: string | null;
  memberId: string | null;
  memberEpoch: number;
  heartbeatIntervalMs: number;
  /** The member's full assignment, or null when it has not changed. */
  assignment: TopicPartitionsList[] | null;
}

export function heartbeatError(
  errorCode: number,
  errorMessage: string | null = null,
): ConsumerHeartbeatResult {
  return {
    errorCode,
    errorMessage,
    memberId: null,
    memberEpoch: 0,
    heartbeatIntervalMs: 0,
    assignment: null,
  };
}

export class ConsumerGroup {
  readonly type = 'consumer';
  readonly groupId: string;
  readonly offsets: GroupOffsets;
  readonly #rt: GroupRuntime;
  #groupEpoch = 0;
  #assignmentEpoch = 0;
  #dead = false;
  #emptySinceMs: number;
  readonly #members = new Map<string, ConsumerMember>();
  readonly #staticMembers = new Map<string, string>();
  readonly #target = new Map<string, Assignment>();
  /** Names, ids and partition counts of the subscribed topics when the target was computed. */
  #subscriptionKey = '';
  #assignorName: string;
  /** What __consumer_offsets holds for the group: the last value written (or replayed) per key. */
  readonly #persisted = new Map<string, PersistedMember>();
  #persistedEpoch = -1;
  #persistedAssignmentEpoch = -1;
  #assignmentEpochReplayed = false;
  /** Members whose records may have changed since the last #persist(); `all` after a new target. */
  readonly #dirty = new Set<string>();
  #allDirty = false;

  constructor(groupId: string, rt: GroupRuntime, offsets: GroupOffsets = new GroupOffsets()) {
    this.groupId = groupId;
    this.#rt = rt;
    this.offsets = offsets;
    this.#emptySinceMs = rt.clock.nowMs();
    this.#assignorName = rt.config.consumerAssignors[0] as string;
  }

  get groupEpoch(): number {
    return this.#groupEpoch;
  }
  get assignmentEpoch(): number {
    return this.#assignmentEpoch;
  }
  get assignorName(): string {
    return this.#assignorName;
  }
  get memberCount(): number {
    return this.#members.size;
  }
  get isEmpty(): boolean {
    return this.#members.size === 0;
  }
  get stateSinceMs(): number {
    return this.#emptySinceMs;
  }
  members(): IterableIterator<ConsumerMember> {
    return this.#members.values();
  }
  member(memberId: string): ConsumerMember | undefined {
    return this.#members.get(memberId);
  }
  targetOf(memberId: string): Assignment {
    return this.#target.get(memberId) ?? emptyAssignment();
  }

  get state(): ConsumerGroupState {
    if (this.#dead) return 'Dead';
    if (this.#members.size === 0) return 'Empty';
    if (this.#groupEpoch > this.#assignmentEpoch) return 'Assigning';
    for (const m of this.#members.values()) {
      if (m.memberEpoch !== this.#assignmentEpoch || m.state !== 'stable') return 'Reconciling';
    }
    return 'Stable';
  }

  /** One ConsumerGroupHeartbeat (join, reconcile, or leave); request already validated. */
  heartbeat(req: ConsumerHeartbeatRequest): ConsumerHeartbeatResult {
    const result = this.#heartbeat(req);
    this.#persist();
    return result;
  }

  #heartbeat(req: ConsumerHeartbeatRequest): ConsumerHeartbeatResult {
    if (this.#dead) return heartbeatError(ErrorCode.coordinatorNotAvailable);
    if (req.memberEpoch === MemberEpoch.leave || req.memberEpoch === MemberEpoch.leaveStatic)
      return this.#leave(req);

    let member: ConsumerMember;
    let bump = false;
    if (req.memberEpoch === MemberEpoch.join) {
      const joined = this.#join(req);
      if (typeof joined === 'number') return heartbeatError(joined);
      member = joined.member;
      bump = joined.isNew;
    } else {
      const found = this.#members.get(req.memberId);
      if (found === undefined) return heartbeatError(ErrorCode.unknownMemberId);
      if (req.instanceId !== null && found.instanceId !== req.instanceId)
        return heartbeatError(ErrorCode.fencedInstanceId);
      const fenced = this.#checkEpoch(found, req);
      if (fenced !== ErrorCode.none) return heartbeatError(fenced);
      member = found;
    }
    this.#dirty.add(member.memberId);
    if (this.#updateSubscription(member, req)) bump = true;
    if (this.#refreshSubscriptionMetadata()) bump = true;
    if (bump) this.#bumpEpoch();
    if (this.#groupEpoch > this.#assignmentEpoch) this.#computeTargetAssignment();

    const before = member.assigned;
    const owned = req.ownedTopicPartitions === null ? null : assignmentFromList(req.ownedTopicPartitions);
    this.#reconcile(member, owned);
    this.#scheduleSession(member);
    this.#scheduleRevocationDeadline(member);

    const send =
      req.memberEpoch === MemberEpoch.join ||
      !assignmentEquals(before, member.assigned) ||
      (owned !== null && !assignmentEquals(owned, member.assigned));
    return {
      errorCode: ErrorCode.none,
      errorMessage: null,
      memberId: member.memberId,
      memberEpoch: member.memberEpoch,
      heartbeatIntervalMs: this.#rt.config.consumerHeartbeatIntervalMs,
      assignment: send ? assignmentToList(member.assigned) : null,
    };
  }

  #join(req: ConsumerHeartbeatRequest): { member: ConsumerMember; isNew: boolean } | number {
    if (req.instanceId !== null) {
      const previousId = this.#staticMembers.get(req.instanceId);
      const previous = previousId === undefined ? undefined : this.#members.get(previousId);
      if (previous !== undefined && previous.memberId !== req.memberId) {
        // KIP-848 static membership: the instance is free only once its holder left with -2.
        if (previous.memberEpoch !== MemberEpoch.leaveStatic) return ErrorCode.unreleasedInstanceId;
        const member: ConsumerMember = {
          ...previous,
          memberId: req.memberId,
          clientId: req.clientId,
          clientHost: req.clientHost,
        };
        member.memberEpoch = previous.previousMemberEpoch;
        this.#members.delete(previous.memberId);
        this.#dirty.add(previous.memberId);
        this.#rt.timers.cancel(this.#key('session', previous.memberId));
        this.#rt.timers.cancel(this.#key('revocation', previous.memberId));
        this.#members.set(member.memberId, member);
        this.#staticMembers.set(req.instanceId, member.memberId);
        const target = this.#target.get(previous.memberId);
        this.#target.delete(previous.memberId);
        if (target !== undefined) this.#target.set(member.memberId, target);
        return { member, isNew: false };
      }
    }
    const existing = this.#members.get(req.memberId);
    if (existing !== undefined) {
      // Rejoining with epoch 0 under the same id (after being fenced): start over as a new member.
      this.#removeMember(existing);
    }
    if (this.#members.size >= this.#rt.config.groupMembersMax) return ErrorCode.groupMaxSizeReached;
    const member: ConsumerMember = {
      memberId: req.memberId,
      instanceId: req.instanceId,
      rackId: req.rackId,
      clientId: req.clientId,
      clientHost: req.clientHost,
      rebalanceTimeoutMs: req.rebalanceTimeoutMs,
      subscribedTopicNames: [],
      subscribedTopicRegex: null,
      serverAssignor: null,
      memberEpoch: 0,
      previousMemberEpoch: 0,
      state: 'stable',
      assigned: emptyAssignment(),
      pendingRevocation: emptyAssignment(),
      assignmentEpochs: new Map(),
    };
    this.#members.set(member.memberId, member);
    if (req.instanceId !== null) this.#staticMembers.set(req.instanceId, member.memberId);
    return { member, isNew: true };
  }

  /**
   * A member must heartbeat with its current epoch. The previous epoch is accepted when the member
   * owns nothing beyond its current assignment: its response for the new epoch may have been lost.
   */
  #checkEpoch(member: ConsumerMember, req: ConsumerHeartbeatRequest): number {
    if (req.memberEpoch === member.memberEpoch) return ErrorCode.none;
    if (
      req.memberEpoch === member.previousMemberEpoch &&
      req.ownedTopicPartitions !== null &&
      assignmentSubsetOf(assignmentFromList(req.ownedTopicPartitions), member.assigned)
    ) {
      return ErrorCode.none;
    }
    return ErrorCode.fencedMemberEpoch;
  }

  #leave(req: ConsumerHeartbeatRequest): ConsumerHeartbeatResult {
    const memberId =
      req.instanceId !== null ? (this.#staticMembers.get(req.instanceId) ?? req.memberId) : req.memberId;
    const member = this.#members.get(memberId);
    if (member === undefined) return heartbeatError(ErrorCode.unknownMemberId);
    if (req.instanceId !== null && member.memberId !== req.memberId)
      return heartbeatError(ErrorCode.fencedInstanceId);
    const result: ConsumerHeartbeatResult = {
      errorCode: ErrorCode.none,
      errorMessage: null,
      memberId: req.memberId,
      memberEpoch: req.memberEpoch,
      heartbeatIntervalMs: 0,
      assignment: null,
    };
    if (req.memberEpoch === MemberEpoch.leaveStatic && member.instanceId !== null) {
      // The static member keeps its partitions reserved until its session expires, so a restart
      // within the session timeout resumes without moving anything.
      if (member.memberEpoch !== MemberEpoch.leaveStatic) member.previousMemberEpoch = member.memberEpoch;
      member.memberEpoch = MemberEpoch.leaveStatic;
      this.#dirty.add(member.memberId);
      this.#rt.timers.cancel(this.#key('revocation', member.memberId));
      return result;
    }
    this.#fence(member);
    return result;
  }

  #updateSubscription(member: ConsumerMember, req: ConsumerHeartbeatRequest): boolean {
    let changed = false;
    if (req.rebalanceTimeoutMs !== -1) member.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
    if (req.rackId !== null) member.rackId = req.rackId;
    member.clientId = req.clientId;
    member.clientHost = req.clientHost;
    if (req.subscribedTopicNames !== null) {
      const names = [...new Set(req.subscribedTopicNames)].sort();
      if (names.join('\u0000') !== member.subscribedTopicNames.join('\u0000')) changed = true;
      member.subscribedTopicNames = names;
    }
    if (req.subscribedTopicRegex !== null) {
      const regex = req.subscribedTopicRegex === '' ? null : req.subscribedTopicRegex;
      if (regex !== member.subscribedTopicRegex) changed = true;
      member.subscribedTopicRegex = regex;
    }
    if (req.serverAssignor !== null && req.serverAssignor !== member.serverAssignor) {
      member.serverAssignor = req.serverAssignor;
      changed = true;
    }
    return changed;
  }

  /** Subscribed topic ids of a member: names that exist plus every topic its regex matches. */
  #subscribedTopicIds(member: ConsumerMember): Set<string> {
    const ids = new Set<string>();
    for (const name of member.subscribedTopicNames) {
      const topic = this.#rt.topics.byName(name);
      if (topic !== undefined) ids.add(topic.id);
    }
    if (member.subscribedTopicRegex !== null) {
      const regex = compileSubscriptionRegex(member.subscribedTopicRegex);
      for (const topic of this.#rt.topics.all()) if (regex.test(topic.name)) ids.add(topic.id);
    }
    return ids;
  }

  /** True when the subscribed topics (or their partition counts) changed since the last target. */
  #refreshSubscriptionMetadata(): boolean {
    const parts: string[] = [];
    const seen = new Set<string>();
    for (const m of this.#members.values()) {
      for (const id of this.#subscribedTopicIds(m)) {
        if (seen.has(id)) continue;
        seen.add(id);
        const topic = this.#rt.topics.byId(id);
        if (topic !== undefined) parts.push(`${id}:${topic.partitions}`);
      }
    }
    const key = parts.sort().join(',');
    if (key === this.#subscriptionKey) return false;
    this.#subscriptionKey = key;
    return true;
  }

  #bumpEpoch(): void {
    this.#groupEpoch++;
  }

  #computeTargetAssignment(): void {
    const topicPartitions = new Map<string, number>();
    const members: AssignorMember[] = [];
    const preferred = new Map<string, number>();
    for (const m of this.#members.values()) {
      const ids = this.#subscribedTopicIds(m);
      for (const id of ids) topicPartitions.set(id, this.#rt.topics.byId(id)?.partitions ?? 0);
      members.push({
        memberId: m.memberId,
        instanceId: m.instanceId,
        rackId: m.rackId,
        subscribedTopicIds: ids,
        previous: this.#target.get(m.memberId) ?? emptyAssignment(),
      });
      if (m.serverAssignor !== null)
        preferred.set(m.serverAssignor, (preferred.get(m.serverAssignor) ?? 0) + 1);
    }
    // The assignor most members ask for, else the configured default.
    let name = this.#rt.config.consumerAssignors[0] as string;
    let votes = 0;
    for (const [candidate, count] of preferred) if (count > votes) [name, votes] = [candidate, count];
    this.#assignorName = name;
    const assignor = serverAssignors.get(name) ?? uniformAssignor;
    const target = assignor.assign({ members, topicPartitions });
    this.#target.clear();
    for (const [memberId, a] of target) this.#target.set(memberId, a);
    this.#assignmentEpoch = this.#groupEpoch;
    this.#allDirty = true;
  }

  /** Partitions some member other than `except` still owns (assigned or pending revocation). */
  #ownedByOthers(except: ConsumerMember): Assignment {
    const owned: Assignment = new Map();
    for (const m of this.#members.values()) {
      if (m === except) continue;
      for (const src of [m.assigned, m.pendingRevocation]) {
        for (const [t, ps] of src) for (const p of ps) owned.set(t, (owned.get(t) ?? new Set()).add(p));
      }
    }
    return owned;
  }

  /**
   * Moves `member` one step towards its target (Kafka's CurrentAssignmentBuilder):
   *  - partitions to revoke: keep only the retained ones at the current epoch (unrevokedPartitions)
   *    until the member reports it no longer owns the revoked ones;
   *  - then advance to the target epoch with the retained partitions plus every new one no other
   *    member still owns (unreleasedPartitions while some are still owned elsewhere).
   */
  #reconcile(member: ConsumerMember, owned: Assignment | null): void {
    if (member.memberEpoch === MemberEpoch.leaveStatic) return;
    if (member.state === 'unrevokedPartitions') {
      const stillOwned =
        owned === null || assignmentSize(assignmentIntersect(owned, member.pendingRevocation)) > 0;
      if (stillOwned) return;
      member.pendingRevocation = emptyAssignment();
      member.state = 'stable';
      member.assignmentEpochs = restampedEpochs(member);
    } else if (member.state === 'stable' && member.memberEpoch === this.#assignmentEpoch) {
      return;
    }
    const target = this.#target.get(member.memberId) ?? emptyAssignment();
    const retained = assignmentIntersect(member.assigned, target);
    const revoke = assignmentMinus(member.assigned, target);
    const ownsRevoked = owned === null || assignmentSize(assignmentIntersect(owned, revoke)) > 0;
    if (assignmentSize(revoke) > 0 && ownsRevoked) {
      member.assigned = retained;
      member.pendingRevocation = revoke;
      member.state = 'unrevokedPartitions';
      member.assignmentEpochs = restampedEpochs(member);
      return;
    }
    const others = this.#ownedByOthers(member);
    const next = new Map(retained);
    let unreleased = false;
    for (const [t, ps] of assignmentMinus(target, retained)) {
      for (const p of ps) {
        if (assignmentHas(others, t, p)) unreleased = true;
        else next.set(t, (next.get(t) ?? new Set()).add(p));
      }
    }
    if (member.memberEpoch !== this.#assignmentEpoch) {
      member.previousMemberEpoch = member.memberEpoch;
      member.memberEpoch = this.#assignmentEpoch;
    }
    member.assigned = next;
    member.pendingRevocation = emptyAssignment();
    member.state = unreleased ? 'unreleasedPartitions' : 'stable';
    member.assignmentEpochs = restampedEpochs(member);
  }

  #scheduleSession(member: ConsumerMember): void {
    const memberId = member.memberId;
    this.#rt.timers.set(
      this.#key('session', memberId),
      this.#rt.clock.nowMs() + this.#rt.config.consumerSessionTimeoutMs,
      () => {
        const m = this.#members.get(memberId);
        if (m === undefined) return;
        this.#fence(m);
        this.#persist();
      },
    );
  }

  /** A member asked to revoke must do so within its rebalance timeout, or it is fenced. */
  #scheduleRevocationDeadline(member: ConsumerMember): void {
    const key = this.#key('revocation', member.memberId);
    if (member.state !== 'unrevokedPartitions') {
      this.#rt.timers.cancel(key);
      return;
    }
    if (this.#rt.timers.has(key)) return;
    const memberId = member.memberId;
    this.#rt.timers.set(key, this.#rt.clock.nowMs() + member.rebalanceTimeoutMs, () => {
      const m = this.#members.get(memberId);
      if (m === undefined || m.state !== 'unrevokedPartitions') return;
      this.#fence(m);
      this.#persist();
    });
  }

  /** Removes a member (left, expired or fenced): its partitions are free, the group epoch moves. */
  #fence(member: ConsumerMember): void {
    this.#removeMember(member);
    this.#bumpEpoch();
    this.#refreshSubscriptionMetadata();
    this.#computeTargetAssignment();
  }

  #removeMember(member: ConsumerMember): void {
    this.#members.delete(member.memberId);
    this.#dirty.add(member.memberId);
    this.#target.delete(member.memberId);
    if (member.instanceId !== null && this.#staticMembers.get(member.instanceId) === member.memberId) {
      this.#staticMembers.delete(member.instanceId);
    }
    this.#rt.timers.cancel(this.#key('session', member.memberId));
    this.#rt.timers.cancel(this.#key('revocation', member.memberId));
    if (this.#members.size === 0) this.#emptySinceMs = this.#rt.clock.nowMs();
  }

  #key(...parts: string[]): string {
    return groupTimerKey(this.groupId, ...parts);
  }

  /**
   * OffsetCommit checks for a consumer group, as Kafka 4.3+ (KIP-1251): the member's current epoch
   * commits anything; a newer one nothing; an older one only partitions the member still holds
   * (assigned or pending revocation) that it was given at that epoch or before. A member whose
   * heartbeat moved it to a new epoch (say, to give it a leaver's partitions) may have a commit
   * in flight with the epoch before: its old partitions are still its own, so the commit is not
   * a zombie's. `partitions` null (TxnOffsetCommit, checked before its partitions are known)
   * accepts only the current epoch. A refusal refuses the whole commit, as Kafka's does.
   */
  validateOffsetCommit(
    memberId: string,
    memberEpoch: number,
    apiVersion: number,
    transactional: boolean,
    partitions: readonly CommitPartitionRef[] | null,
  ): number {
    if (this.#dead) return ErrorCode.coordinatorNotAvailable;
    if (memberEpoch < 0 && this.#members.size === 0) return ErrorCode.none;
    if (transactional && memberEpoch < 0 && memberId === '') return ErrorCode.none;
    const member = this.#members.get(memberId);
    if (member === undefined) return ErrorCode.unknownMemberId;
    if (!transactional && apiVersion < 9) return ErrorCode.unsupportedVersion;
    if (memberEpoch === member.memberEpoch) return ErrorCode.none;
    if (memberEpoch > member.memberEpoch || partitions === null) return ErrorCode.staleMemberEpoch;
    for (const { topic, partition } of partitions) {
      const topicId = this.#rt.topics.byName(topic)?.id;
      const assignedAt =
        topicId === undefined ? undefined : member.assignmentEpochs.get(topicId)?.get(partition);
      if (assignedAt === undefined || memberEpoch < assignedAt) return ErrorCode.staleMemberEpoch;
    }
    return ErrorCode.none;
  }

  /** OffsetFetch v9+ checks: a member id and epoch, when given, must be current. */
  validateOffsetFetch(memberId: string | null, memberEpoch: number): number {
    if (memberId === null || memberEpoch < 0) return ErrorCode.none;
    const member = this.#members.get(memberId);
    if (member === undefined) return ErrorCode.unknownMemberId;
    return memberEpoch === member.memberEpoch ? ErrorCode.none : ErrorCode.staleMemberEpoch;
  }

  subscribedTopicNames(): Set<string> {
    const names = new Set<string>();
    for (const m of this.#members.values()) {
      for (const id of this.#subscribedTopicIds(m)) {
        const topic = this.#rt.topics.byId(id);
        if (topic !== undefined) names.add(topic.name);
      }
    }
    return names;
  }

  // ---- Persistence, as Kafka's coordinator records a consumer group ------------------------

  /**
   * Appends the records of what changed since the last call, in Kafka's order: a removed member's
   * current assignment, target and metadata tombstones; then member metadata, the group epoch,
   * target assignments and the assignment epoch, and current assignments. Keys are per group and
   * per member, so compaction keeps just the latest state of each.
   */
  #persist(): void {
    if (this.#dead) return;
    const ids = this.#allDirty ? new Set([...this.#members.keys(), ...this.#persisted.keys()]) : this.#dirty;
    const nowMs = this.#rt.clock.nowMs();
    const out: OffsetsLogRecord[] = [];
    const put = (key: Parameters<typeof encodeOffsetsKey>[0], value: Buffer | null) =>
      out.push({ key: encodeOffsetsKey(key), value, timestampMs: nowMs });
    const groupId = this.groupId;
    const current: [string, PersistedMember, Buffer][] = [];
    const targets: [string, PersistedMember, Buffer][] = [];
    for (const memberId of ids) {
      const member = this.#members.get(memberId);
      const before = this.#persisted.get(memberId);
      if (member === undefined) {
        if (before === undefined) continue;
        put({ kind: 'consumerCurrentAssignment', groupId, memberId }, null);
        put({ kind: 'consumerTargetMember', groupId, memberId }, null);
        put({ kind: 'consumerMember', groupId, memberId }, null);
        this.#persisted.delete(memberId);
        continue;
      }
      const state = before ?? {};
      this.#persisted.set(memberId, state);
      const meta = encodeConsumerMemberMetadataValue(memberMetadataRecord(member));
      if (state.metadata === undefined || !state.metadata.equals(meta)) {
        put({ kind: 'consumerMember', groupId, memberId }, meta);
        state.metadata = meta;
      }
      const target = encodeConsumerTargetMemberValue(partitionsRecord(this.targetOf(memberId), null));
      if (state.target === undefined || !state.target.equals(target)) targets.push([memberId, state, target]);
      const assignment = encodeConsumerCurrentAssignmentValue(currentAssignmentRecord(member));
      if (state.current === undefined || !state.current.equals(assignment))
        current.push([memberId, state, assignment]);
    }
    if (this.#groupEpoch !== this.#persistedEpoch) {
      put({ kind: 'consumerGroup', groupId }, encodeConsumerGroupMetadataValue({ epoch: this.#groupEpoch }));
      this.#persistedEpoch = this.#groupEpoch;
    }
    for (const [memberId, state, value] of targets) {
      put({ kind: 'consumerTargetMember', groupId, memberId }, value);
      state.target = value;
    }
    if (this.#assignmentEpoch !== this.#persistedAssignmentEpoch) {
      put(
        { kind: 'consumerTargetMetadata', groupId },
        encodeConsumerTargetMetadataValue(this.#assignmentEpoch),
      );
      this.#persistedAssignmentEpoch = this.#assignmentEpoch;
    }
    for (const [memberId, state, value] of current) {
      put({ kind: 'consumerCurrentAssignment', groupId, memberId }, value);
      state.current = value;
    }
    this.#dirty.clear();
    this.#allDirty = false;
    if (out.length > 0) this.#rt.append(groupId, out);
  }

  /** Replays ConsumerGroupMetadataValue: the group epoch. */
  restore(epoch: number): void {
    this.#groupEpoch = epoch;
    this.#persistedEpoch = epoch;
    // Logs written before target assignments were recorded: the target was for the group epoch.
    if (!this.#assignmentEpochReplayed) {
      this.#assignmentEpoch = epoch;
      this.#persistedAssignmentEpoch = epoch;
    }
  }

  /** Replays ConsumerGroupTargetAssignmentMetadataValue: the assignment epoch. */
  restoreAssignmentEpoch(epoch: number): void {
    this.#assignmentEpoch = epoch;
    this.#persistedAssignmentEpoch = epoch;
    this.#assignmentEpochReplayed = true;
  }

  /** Replays ConsumerGroupMemberMetadataValue (null: a tombstone, the member is gone). */
  restoreMember(
    memberId: string,
    value: Buffer | null,
    record: ConsumerMemberMetadataRecordValue | null,
  ): void {
    if (value === null || record === null) {
      this.#members.delete(memberId);
      this.#target.delete(memberId);
      this.#persisted.delete(memberId);
      if (this.#members.size === 0) this.#emptySinceMs = this.#rt.clock.nowMs();
      return;
    }
    const member = this.#restoredMember(memberId);
    member.instanceId = record.instanceId;
    member.rackId = record.rackId;
    member.clientId = record.clientId;
    member.clientHost = record.clientHost;
    member.subscribedTopicNames = [...new Set(record.subscribedTopicNames)].sort();
    member.subscribedTopicRegex = record.subscribedTopicRegex;
    member.rebalanceTimeoutMs = record.rebalanceTimeoutMs;
    member.serverAssignor = record.serverAssignor;
    this.#persistedOf(memberId).metadata = value;
  }

  /** Replays ConsumerGroupTargetAssignmentMemberValue (null: no target). */
  restoreTarget(memberId: string, value: Buffer | null, partitions: TopicPartitionsRecord[] | null): void {
    if (value === null || partitions === null) {
      this.#target.delete(memberId);
      const state = this.#persisted.get(memberId);
      if (state !== undefined) state.target = undefined;
      return;
    }
    this.#target.set(memberId, assignmentFromList(partitions));
    this.#persistedOf(memberId).target = value;
  }

  /** Replays ConsumerGroupCurrentMemberAssignmentValue (null: nothing assigned). */
  restoreCurrentAssignment(
    memberId: string,
    value: Buffer | null,
    record: ConsumerCurrentAssignmentRecordValue | null,
  ): void {
    if (value === null || record === null) {
      const member = this.#members.get(memberId);
      if (member !== undefined) {
        member.assigned = emptyAssignment();
        member.pendingRevocation = emptyAssignment();
        member.assignmentEpochs = new Map();
      }
      const state = this.#persisted.get(memberId);
      if (state !== undefined) state.current = undefined;
      return;
    }
    const member = this.#restoredMember(memberId);
    member.memberEpoch = record.memberEpoch;
    member.previousMemberEpoch = record.previousMemberEpoch;
    member.state = memberStates[record.state] ?? 'stable';
    member.assigned = assignmentFromList(record.assignedPartitions);
    member.pendingRevocation = assignmentFromList(record.partitionsPendingRevocation);
    const epochs = new Map<string, Map<number, number>>();
    for (const t of [...record.assignedPartitions, ...record.partitionsPendingRevocation]) {
      const byPartition = epochs.get(t.topicId) ?? new Map<number, number>();
      for (const [i, p] of t.partitions.entries()) {
        byPartition.set(p, t.assignmentEpochs?.[i] ?? record.memberEpoch);
      }
      epochs.set(t.topicId, byPartition);
    }
    member.assignmentEpochs = epochs;
    this.#persistedOf(memberId).current = value;
  }

  #restoredMember(memberId: string): ConsumerMember {
    let member = this.#members.get(memberId);
    if (member === undefined) {
      member = {
        memberId,
        instanceId: null,
        rackId: null,
        clientId: '',
        clientHost: '',
        rebalanceTimeoutMs: 0,
        subscribedTopicNames: [],
        subscribedTopicRegex: null,
        serverAssignor: null,
        memberEpoch: 0,
        previousMemberEpoch: 0,
        state: 'stable',
        assigned: emptyAssignment(),
        pendingRevocation: emptyAssignment(),
        assignmentEpochs: new Map(),
      };
      this.#members.set(memberId, member);
    }
    return member;
  }

  #persistedOf(memberId: string): PersistedMember {
    let state = this.#persisted.get(memberId);
    if (state === undefined) {
      state = {};
      this.#persisted.set(memberId, state);
    }
    return state;
  }

  /**
   * After the replay, as Kafka's coordinator on load: static ids are indexed, the subscribed
   * topics' metadata is taken as the target's (no epoch bump), and every member's session timer
   * starts now (plus its revocation deadline if it owes one). A member that keeps heartbeating
   * with its id and epoch goes on with its partitions; a gone one expires after the session timeout.
   */
  onLoaded(): void {
    this.#staticMembers.clear();
    for (const m of this.#members.values()) {
      if (m.instanceId !== null) this.#staticMembers.set(m.instanceId, m.memberId);
    }
    this.#refreshSubscriptionMetadata();
    for (const m of this.#members.values()) {
      this.#scheduleSession(m);
      this.#scheduleRevocationDeadline(m);
    }
  }

  kill(): void {
    this.#rt.timers.cancelPrefix(groupTimerPrefix(this.groupId));
    this.#members.clear();
    this.#staticMembers.clear();
    this.#target.clear();
    this.#dead = true;
  }
}

/** The last record values written for a member, so only changes are appended. */
interface PersistedMember {
  metadata?: Buffer | undefined;
  target?: Buffer | undefined;
  current?: Buffer | undefined;
}

/** Kafka's MemberState byte values. */
const memberStates: readonly ConsumerMemberState[] = [
  'stable',
  'unrevokedPartitions',
  'unreleasedPartitions',
];

function memberMetadataRecord(m: ConsumerMember): ConsumerMemberMetadataRecordValue {
  return {
    instanceId: m.instanceId,
    rackId: m.rackId,
    clientId: m.clientId,
    clientHost: m.clientHost,
    subscribedTopicNames: m.subscribedTopicNames,
    subscribedTopicRegex: m.subscribedTopicRegex,
    rebalanceTimeoutMs: m.rebalanceTimeoutMs,
    serverAssignor: m.serverAssignor,
  };
}

function partitionsRecord(a: Assignment, epochs: AssignmentEpochs | null): TopicPartitionsRecord[] {
  return assignmentToList(a).map(({ topicId, partitions }) => ({
    topicId,
    partitions,
    assignmentEpochs: epochs === null ? null : partitions.map((p) => epochs.get(topicId)?.get(p) ?? -1),
  }));
}

function currentAssignmentRecord(m: ConsumerMember): ConsumerCurrentAssignmentRecordValue {
  return {
    memberEpoch: m.memberEpoch,
    previousMemberEpoch: m.previousMemberEpoch,
    state: memberStates.indexOf(m.state),
    assignedPartitions: partitionsRecord(m.assigned, m.assignmentEpochs),
    partitionsPendingRevocation: partitionsRecord(m.pendingRevocation, m.assignmentEpochs),
  };
}

/**
 * The assignment epochs of what `member` holds now (assigned and pending revocation): a partition
 * it already held keeps its epoch, a new one gets the member's current epoch.
 */
function restampedEpochs(member: ConsumerMember): AssignmentEpochs {
  const out = new Map<string, Map<number, number>>();
  for (const [topicId, ps] of assignmentUnion(member.assigned, member.pendingRevocation)) {
    const before = member.assignmentEpochs.get(topicId);
    const epochs = new Map<number, number>();
    for (const p of ps) epochs.set(p, before?.get(p) ?? member.memberEpoch);
    out.set(topicId, epochs);
  }
  return out;
}

/** Subscription regexes match whole topic names (Kafka uses RE2/J's matches()). */
export function compileSubscriptionRegex(source: string): RegExp {
  return new RegExp(`^(?:${source})$`, 'u');
}
