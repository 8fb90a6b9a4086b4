// One classic group (JoinGroup/SyncGroup/Heartbeat/LeaveGroup): Kafka's state machine
//   Empty → PreparingRebalance → CompletingRebalance → Stable → (PreparingRebalance ...)
// Every method runs to completion synchronously. JoinGroup and SyncGroup answers that must wait
// for other members are parked as reply callbacks on the member and called when the rebalance
// moves on (or with an error when the member is removed). See REBALANCE.md.
import { ErrorCode } from '../protocol/error-codes.ts';
import { GroupOffsets } from './group-offsets.ts';
import { type GroupRuntime, groupTimerKey, groupTimerPrefix } from './group-runtime.ts';
import type { GroupMemberRecord, GroupMetadataRecordValue } from './offsets-records.ts';

export type ClassicGroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export interface JoinProtocol {
  name: string;
  metadata: Buffer;
}

export interface ClassicJoinRequest {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: JoinProtocol[];
  /** JoinGroup v4+: a member without an id gets MEMBER_ID_REQUIRED and an id first (KIP-394). */
  requireKnownMemberId: boolean;
  /** JoinGroup v9+: a static leader rejoining a stable group gets the members and skips assignment. */
  supportsSkipAssignment: boolean;
}

export interface JoinGroupResult {
  errorCode: number;
  generationId: number;
  protocolType: string | null;
  protocolName: string | null;
  leader: string;
  skipAssignment: boolean;
  memberId: string;
  members: { memberId: string; groupInstanceId: string | null; metadata: Buffer }[];
}

export interface ClassicSyncRequest {
  memberId: string;
  groupInstanceId: string | null;
  generationId: number;
  protocolType: string | null;
  protocolName: string | null;
  assignments: { memberId: string; assignment: Buffer }[];
}

export interface SyncGroupResult {
  errorCode: number;
  protocolType: string | null;
  protocolName: string | null;
  assignment: Buffer;
}

export interface MemberIdentity {
  memberId: string;
  groupInstanceId: string | null;
}

export type JoinReply = (result: JoinGroupResult) => void;
export type SyncReply = (result: SyncGroupResult) => void;

export interface ClassicMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: JoinProtocol[];
  assignment: Buffer;
  joinReply: JoinReply | undefined;
  syncReply: SyncReply | undefined;
}

const EMPTY = Buffer.alloc(0);

export function joinError(errorCode: number, memberId = ''): JoinGroupResult {
  return {
    errorCode,
    generationId: -1,
    protocolType: null,
    protocolName: null,
    leader: '',
    skipAssignment: false,
    memberId,
    members: [],
  };
}

export function syncError(errorCode: number): SyncGroupResult {
  return { errorCode, protocolType: null, protocolName: null, assignment: EMPTY };
}

export class ClassicGroup {
  readonly type = 'classic';
  readonly groupId: string;
  readonly offsets: GroupOffsets;
  readonly #rt: GroupRuntime;
  #state: ClassicGroupState = 'Empty';
  #stateSinceMs: number;
  #generationId = 0;
  #protocolType: string | null = null;
  #protocolName: string | null = null;
  #leaderId: string | null = null;
  readonly #members = new Map<string, ClassicMember>();
  /** Member ids handed out with MEMBER_ID_REQUIRED, waiting for their second JoinGroup. */
  readonly #pendingMembers = new Set<string>();
  /** Members that have joined the current generation but not yet sent SyncGroup. */
  readonly #pendingSync = new Set<string>();
  readonly #staticMembers = new Map<string, string>();
  /** During the initial delay: time left to extend it by, and whether someone new joined. */
  #initialDelayRemainingMs = 0;
  #newMemberJoined = false;
  #inInitialDelay = false;

  constructor(groupId: string, rt: GroupRuntime, offsets: GroupOffsets = new GroupOffsets()) {
    this.groupId = groupId;
    this.#rt = rt;
    this.offsets = offsets;
    this.#stateSinceMs = rt.clock.nowMs();
  }

  get state(): ClassicGroupState {
    return this.#state;
  }
  get stateSinceMs(): number {
    return this.#stateSinceMs;
  }
  get generationId(): number {
    return this.#generationId;
  }
  get protocolType(): string | null {
    return this.#protocolType;
  }
  get protocolName(): string | null {
    return this.#protocolName;
  }
  get leaderId(): string | null {
    return this.#leaderId;
  }
  get memberCount(): number {
    return this.#members.size;
  }
  members(): IterableIterator<ClassicMember> {
    return this.#members.values();
  }
  hasMember(memberId: string): boolean {
    return this.#members.has(memberId);
  }
  /** A group with no members and no pending joins may be deleted or taken over. */
  get isEmpty(): boolean {
    return this.#state === 'Empty' || this.#state === 'Dead';
  }

  // ---- JoinGroup -------------------------------------------------------------------------

  join(req: ClassicJoinRequest, reply: JoinReply): void {
    if (this.#state === 'Dead') {
      reply(joinError(ErrorCode.coordinatorNotAvailable, req.memberId));
      return;
    }
    if (req.memberId === '') {
      this.#joinUnknown(req, reply);
      return;
    }
    if (this.#pendingMembers.has(req.memberId)) {
      this.#pendingMembers.delete(req.memberId);
      this.#rt.timers.cancel(this.#key('pending', req.memberId));
      if (!this.#supports(req)) {
        reply(joinError(ErrorCode.inconsistentGroupProtocol, req.memberId));
        return;
      }
      this.#addMemberAndRebalance(req.memberId, req, reply);
      return;
    }
    const fenced = this.#checkMember(req.memberId, req.groupInstanceId);
    if (fenced !== ErrorCode.none) {
      reply(joinError(fenced, req.memberId));
      return;
    }
    const member = this.#members.get(req.memberId) as ClassicMember;
    if (!this.#supports(req)) {
      reply(joinError(ErrorCode.inconsistentGroupProtocol, req.memberId));
      return;
    }
    switch (this.#state) {
      case 'PreparingRebalance': {
        this.#updateMemberAndRebalance(member, req, reply);
        return;
      }
      case 'CompletingRebalance':
        if (sameProtocols(member.protocols, req.protocols)) {
          reply(this.#currentJoinResult(member, false));
          return;
        }
        {
          this.#updateMemberAndRebalance(member, req, reply);
          return;
        }
      case 'Stable':
        if (this.#leaderId === member.memberId || !sameProtocols(member.protocols, req.protocols)) {
          this.#updateMemberAndRebalance(member, req, reply);
          return;
        }
        {
          reply(this.#currentJoinResult(member, false));
          return;
        }
      default: {
        reply(joinError(ErrorCode.unknownMemberId, req.memberId));
        return;
      }
    }
  }

  #joinUnknown(req: ClassicJoinRequest, reply: JoinReply): void {
    if (!this.#supports(req)) {
      reply(joinError(ErrorCode.inconsistentGroupProtocol));
      return;
    }
    if (req.groupInstanceId !== null) {
      const existing = this.#staticMembers.get(req.groupInstanceId);
      if (existing !== undefined) {
        this.#replaceStaticMember(existing, req, reply);
        return;
      }
    }
    if (this.#members.size + this.#pendingMembers.size >= this.#rt.config.groupMembersMax) {
      reply(joinError(ErrorCode.groupMaxSizeReached));
      return;
    }
    const memberId = this.#rt.newMemberId(req.clientId);
    if (req.groupInstanceId === null && req.requireKnownMemberId) {
      // KIP-394: the id is handed out first; a member that never comes back with it expires.
      this.#pendingMembers.add(memberId);
      this.#rt.timers.set(
        this.#key('pending', memberId),
        this.#rt.clock.nowMs() + req.sessionTimeoutMs,
        () => {
          this.#pendingMembers.delete(memberId);
          if (this.#state === 'PreparingRebalance') this.#tryCompleteJoin();
        },
      );
      reply(joinError(ErrorCode.memberIdRequired, memberId));
      return;
    }
    this.#addMemberAndRebalance(memberId, req, reply);
  }

  #addMemberAndRebalance(memberId: string, req: ClassicJoinRequest, reply: JoinReply): void {
    const member: ClassicMember = {
      memberId,
      groupInstanceId: req.groupInstanceId,
      clientId: req.clientId,
      clientHost: req.clientHost,
      sessionTimeoutMs: req.sessionTimeoutMs,
      rebalanceTimeoutMs: req.rebalanceTimeoutMs,
      protocolType: req.protocolType,
      protocols: req.protocols,
      assignment: EMPTY,
      joinReply: reply,
      syncReply: undefined,
    };
    this.#members.set(memberId, member);
    if (req.groupInstanceId !== null) this.#staticMembers.set(req.groupInstanceId, memberId);
    if (this.#leaderId === null) this.#leaderId = memberId;
    if (this.#protocolType === null) this.#protocolType = req.protocolType;
    // A member parked in JoinGroup cannot heartbeat; the join deadline bounds it instead.
    this.#rt.timers.cancel(this.#key('session', memberId));
    this.#newMemberJoined = true;
    if (this.#state === 'PreparingRebalance') this.#tryCompleteJoin();
    else this.#prepareRebalance();
  }

  #updateMemberAndRebalance(member: ClassicMember, req: ClassicJoinRequest, reply: JoinReply): void {
    // A second parked JoinGroup from the same member replaces the first, which is answered now.
    member.joinReply?.(joinError(ErrorCode.rebalanceInProgress, member.memberId));
    member.protocols = req.protocols;
    member.sessionTimeoutMs = req.sessionTimeoutMs;
    member.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
    member.clientId = req.clientId;
    member.clientHost = req.clientHost;
    member.joinReply = reply;
    this.#rt.timers.cancel(this.#key('session', member.memberId));
    if (this.#state === 'PreparingRebalance') this.#tryCompleteJoin();
    else this.#prepareRebalance();
  }

  /** KIP-345: a static member rejoining without its member id takes over its old identity. */
  #replaceStaticMember(oldMemberId: string, req: ClassicJoinRequest, reply: JoinReply): void {
    const old = this.#members.get(oldMemberId) as ClassicMember;
    const memberId = this.#rt.newMemberId(req.clientId);
    old.joinReply?.(joinError(ErrorCode.fencedInstanceId, oldMemberId));
    old.syncReply?.(syncError(ErrorCode.fencedInstanceId));
    this.#members.delete(oldMemberId);
    this.#rt.timers.cancel(this.#key('session', oldMemberId));
    const protocolsChanged = !sameSelectedMetadata(old.protocols, req.protocols, this.#protocolName);
    const member: ClassicMember = {
      ...old,
      memberId,
      clientId: req.clientId,
      clientHost: req.clientHost,
      sessionTimeoutMs: req.sessionTimeoutMs,
      rebalanceTimeoutMs: req.rebalanceTimeoutMs,
      protocols: req.protocols,
      joinReply: undefined,
      syncReply: undefined,
    };
    this.#members.set(memberId, member);
    this.#staticMembers.set(req.groupInstanceId as string, memberId);
    if (this.#leaderId === oldMemberId) this.#leaderId = memberId;
    if (this.#pendingSync.delete(oldMemberId)) this.#pendingSync.add(memberId);

    if (this.#state === 'PreparingRebalance') {
      member.joinReply = reply;
      this.#tryCompleteJoin();
      return;
    }
    if (this.#state === 'Stable' && protocolsChanged) {
      member.joinReply = reply;
      this.#prepareRebalance();
      return;
    }
    // Unchanged metadata: no rebalance. The member gets the current generation and, with SyncGroup,
    // its old assignment; a static leader (v9+) gets the members but is told to skip assignment.
    this.#scheduleSession(member);
    this.#rt.persistMetadata(this.groupId);
    const isLeader = this.#leaderId === memberId;
    reply(
      this.#currentJoinResult(member, isLeader && this.#state === 'Stable' && req.supportsSkipAssignment),
    );
  }

  #currentJoinResult(member: ClassicMember, skipAssignment: boolean): JoinGroupResult {
    const isLeader = this.#leaderId === member.memberId;
    const inRebalanceAnswer = this.#state === 'CompletingRebalance' || skipAssignment;
    return {
      errorCode: ErrorCode.none,
      generationId: this.#generationId,
      protocolType: this.#protocolType,
      protocolName: this.#protocolName,
      leader: this.#leaderId ?? '',
      skipAssignment,
      memberId: member.memberId,
      members: isLeader && inRebalanceAnswer ? this.#memberList() : [],
    };
  }

  #memberList(): JoinGroupResult['members'] {
    return [...this.#members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      metadata: m.protocols.find((p) => p.name === this.#protocolName)?.metadata ?? EMPTY,
    }));
  }

  #supports(req: ClassicJoinRequest): boolean {
    if (req.protocolType === '' || req.protocols.length === 0) return false;
    if (this.#members.size === 0) return true;
    if (req.protocolType !== this.#protocolType) return false;
    return req.protocols.some((p) =>
      [...this.#members.values()].every((m) => m.protocols.some((q) => q.name === p.name)),
    );
  }

  // ---- Rebalance -------------------------------------------------------------------------

  #prepareRebalance(): void {
    const nowMs = this.#rt.clock.nowMs();
    if (this.#state === 'CompletingRebalance') {
      for (const m of this.#members.values()) {
        m.assignment = EMPTY;
        m.syncReply?.(syncError(ErrorCode.rebalanceInProgress));
        m.syncReply = undefined;
      }
    }
    this.#rt.timers.cancel(this.#key('sync'));
    this.#pendingSync.clear();
    const rebalanceTimeoutMs = this.#rebalanceTimeoutMs();
    if (this.#state === 'Empty') {
      // group.initial.rebalance.delay.ms: wait for more members, extending while new ones arrive,
      // up to the rebalance timeout in total.
      const delayMs = Math.min(this.#rt.config.initialRebalanceDelayMs, rebalanceTimeoutMs);
      this.#initialDelayRemainingMs = rebalanceTimeoutMs - delayMs;
      this.#newMemberJoined = false;
      this.#inInitialDelay = true;
      this.#setState('PreparingRebalance', nowMs);
      this.#rt.timers.set(this.#key('join'), nowMs + delayMs, () => this.#onInitialDelayExpired());
      return;
    }
    this.#inInitialDelay = false;
    this.#setState('PreparingRebalance', nowMs);
    this.#rt.timers.set(this.#key('join'), nowMs + rebalanceTimeoutMs, () => this.#completeJoin());
    this.#tryCompleteJoin();
  }

  #onInitialDelayExpired(): void {
    if (this.#newMemberJoined && this.#initialDelayRemainingMs > 0) {
      const delayMs = Math.min(this.#rt.config.initialRebalanceDelayMs, this.#initialDelayRemainingMs);
      this.#initialDelayRemainingMs -= delayMs;
      this.#newMemberJoined = false;
      this.#rt.timers.set(this.#key('join'), this.#rt.clock.nowMs() + delayMs, () =>
        this.#onInitialDelayExpired(),
      );
      return;
    }
    this.#inInitialDelay = false;
    this.#completeJoin();
  }

  #tryCompleteJoin(): void {
    if (this.#state !== 'PreparingRebalance' || this.#inInitialDelay) return;
    if (this.#pendingMembers.size > 0) return;
    for (const m of this.#members.values()) if (m.joinReply === undefined) return;
    this.#completeJoin();
  }

  /** Ends the join phase: members that did not rejoin are removed, the next generation starts. */
  #completeJoin(): void {
    if (this.#state !== 'PreparingRebalance') return;
    this.#rt.timers.cancel(this.#key('join'));
    for (const m of [...this.#members.values()]) if (m.joinReply === undefined) this.#dropMember(m);
    const nowMs = this.#rt.clock.nowMs();
    this.#generationId++;
    if (this.#members.size === 0) {
      this.#protocolName = null;
      this.#leaderId = null;
      this.#setState('Empty', nowMs);
      this.#rt.persistMetadata(this.groupId);
      return;
    }
    this.#protocolName = this.#selectProtocol();
    if (this.#leaderId === null || !this.#members.has(this.#leaderId)) {
      this.#leaderId = this.#members.keys().next().value as string;
    }
    this.#setState('CompletingRebalance', nowMs);
    // Members that never send SyncGroup would block the group forever: bound the sync phase.
    for (const id of this.#members.keys()) this.#pendingSync.add(id);
    this.#rt.timers.set(this.#key('sync'), nowMs + this.#rebalanceTimeoutMs(), () => this.#onSyncExpired());
    const members = this.#memberList();
    for (const m of this.#members.values()) {
      const reply = m.joinReply as JoinReply;
      m.joinReply = undefined;
      this.#scheduleSession(m);
      reply({
        errorCode: ErrorCode.none,
        generationId: this.#generationId,
        protocolType: this.#protocolType,
        protocolName: this.#protocolName,
        leader: this.#leaderId,
        skipAssignment: false,
        memberId: m.memberId,
        members: m.memberId === this.#leaderId ? members : [],
      });
    }
  }

  /** Each member votes for its most preferred protocol among those every member supports. */
  #selectProtocol(): string {
    const members = [...this.#members.values()];
    const first = members[0] as ClassicMember;
    const candidates = first.protocols
      .map((p) => p.name)
      .filter((name) => members.every((m) => m.protocols.some((p) => p.name === name)));
    const votes = new Map<string, number>();
    for (const m of members) {
      const choice = m.protocols.find((p) => candidates.includes(p.name))?.name;
      if (choice !== undefined) votes.set(choice, (votes.get(choice) ?? 0) + 1);
    }
    let best = candidates[0] as string;
    for (const name of candidates) if ((votes.get(name) ?? 0) > (votes.get(best) ?? 0)) best = name;
    return best;
  }

  #onSyncExpired(): void {
    if (this.#state !== 'CompletingRebalance' && this.#state !== 'Stable') return;
    const late = [...this.#pendingSync];
    this.#pendingSync.clear();
    for (const id of late) {
      const m = this.#members.get(id);
      if (m !== undefined) this.#dropMember(m);
    }
    if (late.length > 0) this.#afterRemoval();
  }

  #rebalanceTimeoutMs(): number {
    let max = 0;
    for (const m of this.#members.values()) max = Math.max(max, m.rebalanceTimeoutMs);
    return max;
  }

  // ---- SyncGroup, Heartbeat, LeaveGroup ----------------------------------------------------

  sync(req: ClassicSyncRequest, reply: SyncReply): void {
    if (this.#state === 'Dead') {
      reply(syncError(ErrorCode.coordinatorNotAvailable));
      return;
    }
    const fenced = this.#checkMember(req.memberId, req.groupInstanceId);
    if (fenced !== ErrorCode.none) {
      reply(syncError(fenced));
      return;
    }
    if (req.generationId !== this.#generationId) {
      reply(syncError(ErrorCode.illegalGeneration));
      return;
    }
    if (
      (req.protocolType !== null && req.protocolType !== this.#protocolType) ||
      (req.protocolName !== null && req.protocolName !== this.#protocolName)
    ) {
      reply(syncError(ErrorCode.inconsistentGroupProtocol));
      return;
    }
    const member = this.#members.get(req.memberId) as ClassicMember;
    switch (this.#state) {
      case 'PreparingRebalance': {
        reply(syncError(ErrorCode.rebalanceInProgress));
        return;
      }
      case 'CompletingRebalance': {
        member.syncReply?.(syncError(ErrorCode.rebalanceInProgress));
        member.syncReply = reply;
        this.#pendingSync.delete(member.memberId);
        this.#scheduleSession(member);
        if (member.memberId === this.#leaderId) this.#completeSync(req.assignments);
        return;
      }
      case 'Stable':
        this.#pendingSync.delete(member.memberId);
        this.#scheduleSession(member);
        {
          reply(this.#syncResult(member));
          return;
        }
      default: {
        reply(syncError(ErrorCode.unknownMemberId));
        return;
      }
    }
  }

  #completeSync(assignments: ClassicSyncRequest['assignments']): void {
    const byMember = new Map(assignments.map((a) => [a.memberId, a.assignment]));
    for (const m of this.#members.values()) m.assignment = byMember.get(m.memberId) ?? EMPTY;
    this.#setState('Stable', this.#rt.clock.nowMs());
    if (this.#pendingSync.size === 0) this.#rt.timers.cancel(this.#key('sync'));
    this.#rt.persistMetadata(this.groupId);
    for (const m of this.#members.values()) {
      const reply = m.syncReply;
      m.syncReply = undefined;
      reply?.(this.#syncResult(m));
    }
  }

  #syncResult(m: ClassicMember): SyncGroupResult {
    return {
      errorCode: ErrorCode.none,
      protocolType: this.#protocolType,
      protocolName: this.#protocolName,
      assignment: m.assignment,
    };
  }

  heartbeat(memberId: string, groupInstanceId: string | null, generationId: number): number {
    if (this.#state === 'Dead') return ErrorCode.coordinatorNotAvailable;
    const fenced = this.#checkMember(memberId, groupInstanceId);
    if (fenced !== ErrorCode.none) return fenced;
    if (generationId !== this.#generationId) return ErrorCode.illegalGeneration;
    const member = this.#members.get(memberId) as ClassicMember;
    switch (this.#state) {
      case 'PreparingRebalance':
        this.#scheduleSession(member);
        return ErrorCode.rebalanceInProgress;
      case 'CompletingRebalance':
      case 'Stable':
        this.#scheduleSession(member);
        return ErrorCode.none;
      default:
        return ErrorCode.unknownMemberId;
    }
  }

  /** LeaveGroup for each identity; returns one error code per identity, in order. */
  leave(identities: readonly MemberIdentity[]): number[] {
    if (this.#state === 'Dead') return identities.map(() => ErrorCode.coordinatorNotAvailable);
    let removed = false;
    const codes = identities.map(({ memberId, groupInstanceId }) => {
      if (groupInstanceId !== null) {
        const current = this.#staticMembers.get(groupInstanceId);
        if (current === undefined) return ErrorCode.unknownMemberId;
        if (memberId !== '' && memberId !== current) return ErrorCode.fencedInstanceId;
        this.#dropMember(this.#members.get(current) as ClassicMember);
        removed = true;
        return ErrorCode.none;
      }
      if (this.#pendingMembers.delete(memberId)) {
        this.#rt.timers.cancel(this.#key('pending', memberId));
        removed = true;
        return ErrorCode.none;
      }
      const member = this.#members.get(memberId);
      if (member === undefined) return ErrorCode.unknownMemberId;
      this.#dropMember(member);
      removed = true;
      return ErrorCode.none;
    });
    if (removed) this.#afterRemoval();
    return codes;
  }

  /** Checks the member id and, for static members, that the instance id still maps to it. */
  #checkMember(memberId: string, groupInstanceId: string | null): number {
    if (groupInstanceId !== null) {
      const current = this.#staticMembers.get(groupInstanceId);
      if (current === undefined) return ErrorCode.unknownMemberId;
      if (current !== memberId) return ErrorCode.fencedInstanceId;
    }
    return this.#members.has(memberId) ? ErrorCode.none : ErrorCode.unknownMemberId;
  }

  #scheduleSession(member: ClassicMember): void {
    const memberId = member.memberId;
    this.#rt.timers.set(
      this.#key('session', memberId),
      this.#rt.clock.nowMs() + member.sessionTimeoutMs,
      () => {
        const m = this.#members.get(memberId);
        // A member parked in JoinGroup is kept alive by the join deadline instead.
        if (m === undefined || m.joinReply !== undefined) return;
        this.#dropMember(m);
        this.#afterRemoval();
      },
    );
  }

  /** Removes a member and answers its parked requests; callers then call #afterRemoval(). */
  #dropMember(member: ClassicMember): void {
    this.#members.delete(member.memberId);
    if (
      member.groupInstanceId !== null &&
      this.#staticMembers.get(member.groupInstanceId) === member.memberId
    ) {
      this.#staticMembers.delete(member.groupInstanceId);
    }
    this.#pendingSync.delete(member.memberId);
    this.#rt.timers.cancel(this.#key('session', member.memberId));
    if (this.#leaderId === member.memberId) this.#leaderId = this.#members.keys().next().value ?? null;
    member.joinReply?.(joinError(ErrorCode.unknownMemberId, member.memberId));
    member.syncReply?.(syncError(ErrorCode.unknownMemberId));
    member.joinReply = undefined;
    member.syncReply = undefined;
  }

  #afterRemoval(): void {
    if (this.#state === 'Stable' || this.#state === 'CompletingRebalance') this.#prepareRebalance();
    else if (this.#state === 'PreparingRebalance') this.#tryCompleteJoin();
  }

  #setState(state: ClassicGroupState, nowMs: number): void {
    this.#state = state;
    this.#stateSinceMs = nowMs;
  }

  #key(...parts: string[]): string {
    return groupTimerKey(this.groupId, ...parts);
  }

  // ---- Offsets, persistence, lifecycle ---------------------------------------------------

  /** Kafka's checks for an OffsetCommit (and TxnOffsetCommit) against this group. */
  validateOffsetCommit(
    memberId: string,
    groupInstanceId: string | null,
    generationId: number,
    transactional: boolean,
  ): number {
    if (this.#state === 'Dead') return ErrorCode.coordinatorNotAvailable;
    // Admin tools and simple consumers commit without a generation to a group nobody is in.
    if (generationId < 0 && this.#state === 'Empty') return ErrorCode.none;
    if (generationId >= 0 || memberId !== '' || groupInstanceId !== null) {
      const fenced = this.#checkMember(memberId, groupInstanceId);
      if (fenced !== ErrorCode.none) return fenced;
      if (!transactional && this.#state === 'CompletingRebalance') return ErrorCode.rebalanceInProgress;
      if (generationId !== this.#generationId) return ErrorCode.illegalGeneration;
      return ErrorCode.none;
    }
    return transactional || this.#state === 'Empty' ? ErrorCode.none : ErrorCode.unknownMemberId;
  }

  /** Topics the members' consumer-protocol subscriptions name, or undefined for other protocols. */
  subscribedTopics(decodeTopics: (metadata: Buffer) => string[]): Set<string> | undefined {
    if (this.#protocolType !== 'consumer' || this.#protocolName === null) return undefined;
    const topics = new Set<string>();
    for (const m of this.#members.values()) {
      const metadata = m.protocols.find((p) => p.name === this.#protocolName)?.metadata;
      if (metadata !== undefined) for (const t of decodeTopics(metadata)) topics.add(t);
    }
    return topics;
  }

  toRecord(): GroupMetadataRecordValue {
    const members: GroupMemberRecord[] = [...this.#members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      rebalanceTimeoutMs: m.rebalanceTimeoutMs,
      sessionTimeoutMs: m.sessionTimeoutMs,
      subscription: m.protocols.find((p) => p.name === this.#protocolName)?.metadata ?? EMPTY,
      assignment: m.assignment,
    }));
    return {
      protocolType: this.#protocolType ?? '',
      generation: this.#generationId,
      protocol: this.#protocolName,
      leader: this.#leaderId,
      currentStateTimestampMs: this.#stateSinceMs,
      members,
    };
  }

  /**
   * Rebuilds the group from a GroupMetadata record replayed on start, as Kafka loads it: Stable at
   * the record's generation with its members, leader, protocol and assignments, or Empty when it
   * has none. A restored member supports only the selected protocol, with its subscription as
   * metadata. Each replayed record replaces what the one before restored; session timers start in
   * onLoaded(), once the replay is over.
   */
  restore(record: GroupMetadataRecordValue): void {
    for (const m of this.#members.values()) this.#rt.timers.cancel(this.#key('session', m.memberId));
    this.#members.clear();
    this.#staticMembers.clear();
    this.#pendingSync.clear();
    this.#generationId = record.generation;
    this.#protocolType = record.protocolType === '' ? null : record.protocolType;
    this.#protocolName = record.protocol;
    this.#leaderId = null;
    const protocol = record.protocol;
    if (protocol !== null && this.#protocolType !== null) {
      for (const m of record.members) {
        this.#members.set(m.memberId, {
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          sessionTimeoutMs: m.sessionTimeoutMs,
          // GroupMetadataValue v0 has no rebalance timeout: Kafka uses the session timeout.
          rebalanceTimeoutMs: m.rebalanceTimeoutMs >= 0 ? m.rebalanceTimeoutMs : m.sessionTimeoutMs,
          protocolType: this.#protocolType,
          protocols: [{ name: protocol, metadata: m.subscription }],
          assignment: m.assignment,
          joinReply: undefined,
          syncReply: undefined,
        });
        if (m.groupInstanceId !== null) this.#staticMembers.set(m.groupInstanceId, m.memberId);
      }
    }
    if (this.#members.size > 0) {
      this.#leaderId =
        record.leader !== null && this.#members.has(record.leader)
          ? record.leader
          : (this.#members.keys().next().value as string);
    }
    const sinceMs =
      record.currentStateTimestampMs >= 0 ? record.currentStateTimestampMs : this.#rt.clock.nowMs();
    this.#setState(this.#members.size > 0 ? 'Stable' : 'Empty', sinceMs);
  }

  /**
   * After the replay: every restored member's session timer starts now, so members that keep
   * heartbeating carry on in the same generation and those that are gone expire (and the group
   * rebalances) after their session timeout, as in Kafka's coordinator.
   */
  onLoaded(): void {
    for (const m of this.#members.values()) this.#scheduleSession(m);
  }

  /** Marks the group dead (deleted or taken over): timers cancelled, parked requests answered. */
  kill(errorCode: number = ErrorCode.coordinatorNotAvailable): void {
    this.#rt.timers.cancelPrefix(groupTimerPrefix(this.groupId));
    for (const m of this.#members.values()) {
      m.joinReply?.(joinError(errorCode, m.memberId));
      m.syncReply?.(syncError(errorCode));
      m.joinReply = undefined;
      m.syncReply = undefined;
    }
    this.#members.clear();
    this.#pendingMembers.clear();
    this.#staticMembers.clear();
    this.#pendingSync.clear();
    this.#setState('Dead', this.#rt.clock.nowMs());
  }
}

function sameProtocols(a: readonly JoinProtocol[], b: readonly JoinProtocol[]): boolean {
  return (
    a.length === b.length &&
    a.every((p, i) => p.name === b[i]?.name && p.metadata.equals(b[i]?.metadata ?? EMPTY))
  );
}

function sameSelectedMetadata(
  a: readonly JoinProtocol[],
  b: readonly JoinProtocol[],
  protocol: string | null,
): boolean {
  if (protocol === null) return sameProtocols(a, b);
  const x = a.find((p) => p.name === protocol)?.metadata;
  const y = b.find((p) => p.name === protocol)?.metadata;
  return x !== undefined && y !== undefined && x.equals(y);
}
