// Shared set-up for the coordinator's tests: a coordinator over an in-memory __consumer_offsets,
// a manual clock and an in-memory topic catalog, plus helpers to drive classic members.
import { ErrorCode } from '../protocol/error-codes.ts';
import type { ClassicJoinRequest, JoinGroupResult, SyncGroupResult } from './classic-group.ts';
import type { ConsumerHeartbeatRequest } from './consumer-group.ts';
import type { CoordinatorConfig } from './coordinator-config.ts';
import { ManualCoordinatorClock } from './coordinator-timers.ts';
import { GroupCoordinator } from './group-coordinator.ts';
import { MemoryOffsetsLog } from './memory-offsets-log.ts';
import { MemoryTopicCatalog } from './topic-catalog.ts';

export const testConfig: Partial<CoordinatorConfig> = {
  initialRebalanceDelayMs: 100,
  sessionTimeoutMsMin: 1_000,
  consumerSessionTimeoutMs: 10_000,
  consumerHeartbeatIntervalMs: 1_000,
  offsetsTopicPartitions: 4,
};

export interface Fixture {
  clock: ManualCoordinatorClock;
  log: MemoryOffsetsLog;
  topics: MemoryTopicCatalog;
  coordinator: GroupCoordinator;
  /** Advances the clock, fires due timers and lets parked replies settle. */
  advance(ms: number): Promise<void>;
  reopen(): Promise<GroupCoordinator>;
}

export async function openFixture(config: Partial<CoordinatorConfig> = {}): Promise<Fixture> {
  const clock = new ManualCoordinatorClock(1_000_000);
  const log = new MemoryOffsetsLog(testConfig.offsetsTopicPartitions ?? 4);
  const topics = new MemoryTopicCatalog();
  const all = { ...testConfig, ...config };
  const fixture: Fixture = {
    clock,
    log,
    topics,
    coordinator: await GroupCoordinator.open({ log, topics, clock, config: all }),
    async advance(ms: number) {
      // In 10 ms steps, so a timer that re-arms itself (the initial rebalance delay) fires on time.
      for (let left = ms; left > 0; left -= 10) {
        clock.advance(Math.min(10, left));
        fixture.coordinator.runDueTimers();
      }
      fixture.coordinator.runDueTimers();
      await settle();
    },
    async reopen() {
      await fixture.coordinator.close();
      fixture.coordinator = await GroupCoordinator.open({ log, topics, clock, config: all });
      return fixture.coordinator;
    },
  };
  return fixture;
}

/** Lets promise callbacks run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A promise with its outcome readable synchronously once settled. */
export interface Tracked<T> {
  readonly promise: Promise<T>;
  value: T | undefined;
}

export function track<T>(promise: Promise<T>): Tracked<T> {
  const tracked: Tracked<T> = { promise, value: undefined };
  promise.then((v) => {
    tracked.value = v;
  });
  return tracked;
}

/** A KIP-848 heartbeat of member 'm' subscribed to topic 't', with `overrides`. */
export function heartbeatRequest(overrides: Partial<ConsumerHeartbeatRequest>): ConsumerHeartbeatRequest {
  return {
    memberId: 'm',
    memberEpoch: 0,
    instanceId: null,
    rackId: null,
    rebalanceTimeoutMs: 5_000,
    subscribedTopicNames: ['t'],
    subscribedTopicRegex: null,
    serverAssignor: null,
    ownedTopicPartitions: [],
    clientId: 'client',
    clientHost: '/127.0.0.1',
    ...overrides,
  };
}

export function joinRequest(overrides: Partial<ClassicJoinRequest> = {}): ClassicJoinRequest {
  return {
    memberId: '',
    groupInstanceId: null,
    clientId: 'client',
    clientHost: '/127.0.0.1',
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 30_000,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: Buffer.from('m') }],
    requireKnownMemberId: true,
    supportsSkipAssignment: true,
    ...overrides,
  };
}

/** KIP-394 first round trip: returns the member id the coordinator assigned. */
export async function memberIdFor(
  c: GroupCoordinator,
  groupId: string,
  overrides: Partial<ClassicJoinRequest> = {},
): Promise<string> {
  const first = await c.joinGroup(groupId, joinRequest(overrides));
  if (first.errorCode !== ErrorCode.memberIdRequired)
    throw new Error(`expected MEMBER_ID_REQUIRED, got ${first.errorCode}`);
  return first.memberId;
}

export function syncRequest(
  memberId: string,
  generationId: number,
  assignments: { memberId: string; assignment: Buffer }[] = [],
) {
  return {
    memberId,
    groupInstanceId: null,
    generationId,
    protocolType: null,
    protocolName: null,
    assignments,
  };
}

export type { JoinGroupResult, SyncGroupResult };
