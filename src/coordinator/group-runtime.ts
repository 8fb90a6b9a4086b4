// What a group object may use from its coordinator: time, timers, configuration, topics and a
// way to persist itself. Groups never await: they mutate their state synchronously and hand
// records to persist(), which appends in the background in call order.
import type { CoordinatorConfig } from './coordinator-config.ts';
import type { CoordinatorClock, CoordinatorTimers } from './coordinator-timers.ts';
import type { OffsetsLogRecord } from './offsets-log.ts';
import type { TopicCatalog } from './topic-catalog.ts';

export interface GroupRuntime {
  readonly clock: CoordinatorClock;
  readonly timers: CoordinatorTimers;
  readonly config: CoordinatorConfig;
  readonly topics: TopicCatalog;
  /** Writes the group's metadata record to __consumer_offsets (background; failures are logged). */
  persistMetadata(groupId: string): void;
  /** Appends records of the group to __consumer_offsets (background, in call order). */
  append(groupId: string, records: OffsetsLogRecord[]): void;
  /** A new member id: `${prefix}-${uuid}` (prefix is the client id for classic members). */
  newMemberId(prefix: string): string;
}

/** Timer keys of one group share a prefix so deleting the group cancels all of them. */
export function groupTimerKey(groupId: string, ...parts: string[]): string {
  return `${groupId}\u0000${parts.join('\u0000')}`;
}

export function groupTimerPrefix(groupId: string): string {
  return `${groupId}\u0000`;
}
