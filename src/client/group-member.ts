// A member of a classic consumer group (JoinGroup, SyncGroup, Heartbeat, LeaveGroup). One loop
// owns the membership: it joins (retrying MEMBER_ID_REQUIRED with the id the coordinator gave),
// computes the assignment when it is the leader, syncs, then heartbeats until the coordinator
// says a rebalance is on, when it revokes (the consumer commits) and joins again. Eager
// protocol: every rebalance revokes all partitions before the new assignment arrives.
import { ErrorCode } from '../protocol/error-codes.ts';
import { ApiKey } from '../protocol/generated/apis.ts';
import { defaultHeartbeatRequest } from '../protocol/generated/heartbeat-request.ts';
import type { HeartbeatResponse } from '../protocol/generated/heartbeat-response.ts';
import { defaultJoinGroupRequest } from '../protocol/generated/join-group-request.ts';
import type { JoinGroupResponse } from '../protocol/generated/join-group-response.ts';
import { defaultLeaveGroupRequest } from '../protocol/generated/leave-group-request.ts';
import type { LeaveGroupResponse } from '../protocol/generated/leave-group-response.ts';
import { defaultSyncGroupRequest } from '../protocol/generated/sync-group-request.ts';
import type { SyncGroupResponse } from '../protocol/generated/sync-group-response.ts';
import { type Assignor, assignorsByName } from './assignors.ts';
import type { Cluster } from './cluster.ts';
import {
  decodeAssignment,
  decodeSubscription,
  encodeAssignment,
  encodeSubscription,
  type TopicPartitions,
} from './consumer-protocol.ts';
import {
  ClientStateError,
  ConnectionError,
  KafkaError,
  needsCoordinatorLookup,
  RequestTimeoutError,
} from './errors.ts';
import type { GroupGeneration } from './group-offsets.ts';
import { backoffMs } from './retry.ts';

export interface GroupMemberOptions {
  groupId: string;
  topics: readonly string[];
  groupInstanceId?: string | null;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  heartbeatIntervalMs: number;
  assignors: readonly string[];
}

export interface GroupMemberHooks {
  /** Before rejoining: stop using the current partitions (commit their offsets). */
  revoke(): Promise<void>;
  /** After a successful sync: the partitions this member now owns. */
  assign(partitions: TopicPartitions[], generation: GroupGeneration): void;
  /** The membership failed for good (e.g. fenced instance id). */
  fail(error: Error): void;
}

/** Join errors after which the member starts over as a new member (empty member id). */
const resetMemberCodes: ReadonlySet<number> = new Set([ErrorCode.unknownMemberId]);
/** Join/sync/heartbeat errors that just mean: join again. */
const rejoinCodes: ReadonlySet<number> = new Set([
  ErrorCode.rebalanceInProgress,
  ErrorCode.illegalGeneration,
  ErrorCode.unknownMemberId,
]);

export class GroupMember {
  readonly #cluster: Cluster;
  readonly #options: GroupMemberOptions;
  readonly #hooks: GroupMemberHooks;
  readonly #assignors: Assignor[];
  #memberId = '';
  #generation: GroupGeneration | null = null;
  #needsJoin = true;
  #stopped = false;
  #wakeLoop: (() => void) | null = null;
  #loop: Promise<void> | null = null;
  #attempt = 0;

  constructor(cluster: Cluster, options: GroupMemberOptions, hooks: GroupMemberHooks) {
    this.#cluster = cluster;
    this.#options = options;
    this.#hooks = hooks;
    this.#assignors = options.assignors.map((name) => {
      const a = assignorsByName.get(name);
      if (a === undefined)
        throw new ClientStateError(
          `Cannot join group '${options.groupId}': unknown assignor '${name}' (known: range, roundrobin)`,
        );
      return a;
    });
  }

  /** The generation this member last synced in, or null while (re)joining. */
  get generation(): GroupGeneration | null {
    return this.#generation;
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  /** Forces a rejoin at the next turn of the loop (e.g. subscription changed). */
  requestRejoin(): void {
    this.#needsJoin = true;
    this.#wakeLoop?.();
  }

  /** Stops heartbeating and leaves the group so that its partitions move at once. */
  async leave(): Promise<void> {
    this.#stopped = true;
    this.#wakeLoop?.();
    await this.#loop?.catch(() => undefined);
    if (this.#memberId === '') return;
    const memberId = this.#memberId;
    this.#memberId = '';
    this.#generation = null;
    try {
      await this.#cluster.sendToCoordinator<LeaveGroupResponse>(
        'group',
        this.#options.groupId,
        ApiKey.LeaveGroup,
        (v) => {
          const request = defaultLeaveGroupRequest();
          request.groupId = this.#options.groupId;
          if (v >= 3)
            request.members = [
              {
                memberId,
                groupInstanceId: this.#options.groupInstanceId ?? null,
                reason: v >= 5 ? 'the consumer is closing' : null,
              },
            ];
          else request.memberId = memberId;
          return request;
        },
        ({ body }) => {
          if (body.errorCode !== ErrorCode.unknownMemberId && body.errorCode !== ErrorCode.none) {
            throw new KafkaError(`leave group '${this.#options.groupId}'`, body.errorCode);
          }
        },
        { lane: 'group', retry: { attemptsMax: 3 } },
      );
    } catch {
      // Leaving is a courtesy: the session timeout removes the member anyway.
    }
  }

  async #run(): Promise<void> {
    // One iteration per join or heartbeat; ends when leave() stops it.
    while (!this.#stopped) {
      try {
        if (this.#needsJoin) {
          this.#generation = null;
          await this.#hooks.revoke();
          if (this.#stopped) break;
          await this.#joinAndSync();
          this.#attempt = 0;
          continue;
        }
        await this.#sleep(this.#options.heartbeatIntervalMs);
        if (this.#stopped || this.#needsJoin) continue;
        await this.#heartbeat();
        this.#attempt = 0;
      } catch (error) {
        if (this.#stopped) break;
        if (!this.#recover(error)) {
          this.#hooks.fail(error as Error);
          return;
        }
        await this.#sleep(backoffMs(this.#attempt++, this.#cluster.retry));
      }
    }
  }

  /** Decides what an error means for the membership; false when it is final. */
  #recover(error: unknown): boolean {
    if (error instanceof ConnectionError || error instanceof RequestTimeoutError) {
      this.#cluster.forgetCoordinator('group', this.#options.groupId);
      return true;
    }
    if (!(error instanceof KafkaError)) return false;
    if (needsCoordinatorLookup(error.code)) this.#cluster.forgetCoordinator('group', this.#options.groupId);
    if (resetMemberCodes.has(error.code)) this.#memberId = '';
    if (rejoinCodes.has(error.code)) this.#needsJoin = true;
    return error.retriable || rejoinCodes.has(error.code);
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done(): void {
        clearTimeout(timer);
        self.#wakeLoop = null;
        resolve();
      }
      this.#wakeLoop = done;
    });
  }

  async #joinAndSync(): Promise<void> {
    const { groupId } = this.#options;
    const coordinator = await this.#cluster.coordinator('group', groupId);
    const subscription = encodeSubscription({
      topics: [...this.#options.topics],
      ownedPartitions: [],
      generationId: -1,
      rackId: null,
      userData: null,
    });
    let join = await this.#join(coordinator, subscription);
    if (join.errorCode === ErrorCode.memberIdRequired) {
      // KIP-394: the coordinator hands out the id and expects a second join with it.
      this.#memberId = join.memberId;
      join = await this.#join(coordinator, subscription);
    }
    if (join.errorCode !== ErrorCode.none) throw new KafkaError(`join group '${groupId}'`, join.errorCode);
    this.#memberId = join.memberId;
    const assignments = join.leader === join.memberId ? await this.#assign(join) : [];
    const { body: sync } = await this.#cluster.sendTo<SyncGroupResponse>(
      coordinator,
      ApiKey.SyncGroup,
      (v) => ({
        ...defaultSyncGroupRequest(),
        groupId,
        generationId: join.generationId,
        memberId: this.#memberId,
        groupInstanceId: v >= 3 ? (this.#options.groupInstanceId ?? null) : null,
        protocolType: v >= 5 ? 'consumer' : null,
        protocolName: v >= 5 ? join.protocolName : null,
        assignments,
      }),
      { lane: 'group', timeoutMs: this.#options.rebalanceTimeoutMs + 5_000 },
    );
    if (sync.errorCode !== ErrorCode.none)
      throw new KafkaError(`sync group '${groupId}' generation ${join.generationId}`, sync.errorCode);
    this.#generation = {
      generationId: join.generationId,
      memberId: this.#memberId,
      groupInstanceId: this.#options.groupInstanceId ?? null,
    };
    this.#needsJoin = false;
    this.#hooks.assign(decodeAssignment(sync.assignment), this.#generation);
  }

  async #join(coordinator: number, subscription: Buffer): Promise<JoinGroupResponse> {
    const { body } = await this.#cluster.sendTo<JoinGroupResponse>(
      coordinator,
      ApiKey.JoinGroup,
      (v) => ({
        ...defaultJoinGroupRequest(),
        groupId: this.#options.groupId,
        sessionTimeoutMs: this.#options.sessionTimeoutMs,
        rebalanceTimeoutMs: v >= 1 ? this.#options.rebalanceTimeoutMs : -1,
        memberId: this.#memberId,
        groupInstanceId: v >= 5 ? (this.#options.groupInstanceId ?? null) : null,
        protocolType: 'consumer',
        protocols: this.#assignors.map((a) => ({ name: a.name, metadata: subscription })),
      }),
      { lane: 'group', timeoutMs: this.#options.rebalanceTimeoutMs + 5_000 },
    );
    return body;
  }

  async #assign(join: JoinGroupResponse): Promise<{ memberId: string; assignment: Buffer }[]> {
    const assignor = this.#assignors.find((a) => a.name === join.protocolName);
    if (assignor === undefined) {
      throw new ClientStateError(
        `Cannot lead group '${this.#options.groupId}': it chose assignor '${join.protocolName}', which this member lacks`,
      );
    }
    const members = join.members.map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      topics: decodeSubscription(m.metadata).topics,
    }));
    const topics = [...new Set(members.flatMap((m) => m.topics))];
    const body = await this.#cluster.refreshMetadata(topics);
    const counts = new Map<string, number>();
    for (const t of body.topics)
      if (t.name !== null && t.errorCode === ErrorCode.none) counts.set(t.name, t.partitions.length);
    const result = assignor.assign(members, counts);
    return members.map((m) => ({
      memberId: m.memberId,
      assignment: encodeAssignment(result.get(m.memberId) ?? []),
    }));
  }

  async #heartbeat(): Promise<void> {
    const generation = this.#generation;
    if (generation === null) return;
    const coordinator = await this.#cluster.coordinator('group', this.#options.groupId);
    const { body } = await this.#cluster.sendTo<HeartbeatResponse>(
      coordinator,
      ApiKey.Heartbeat,
      (v) => ({
        ...defaultHeartbeatRequest(),
        groupId: this.#options.groupId,
        generationId: generation.generationId,
        memberId: generation.memberId,
        groupInstanceId: v >= 3 ? generation.groupInstanceId : null,
      }),
      { lane: 'group' },
    );
    if (body.errorCode !== ErrorCode.none)
      throw new KafkaError(`heartbeat in group '${this.#options.groupId}'`, body.errorCode);
  }
}
