// Consumer-group lag as the dashboard and /metrics see it: for every committed offset of every
// group, the partition's log end offset minus the committed offset (Kafka's consumer-groups tool
// computes the same). Read from the group coordinator and storage; nothing here is stored.
import type { BrokerServices } from '../broker/services.ts';
import type { GroupCoordinator } from '../coordinator/group-coordinator.ts';

export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  /** -1 when the group has no committed offset for the partition. */
  readonly committedOffset: number;
  readonly logEndOffset: number;
  /** logEndOffset - committedOffset, never below 0; the whole log when nothing is committed. */
  readonly lag: number;
}

export interface GroupLag {
  readonly groupId: string;
  readonly state: string;
  readonly type: 'classic' | 'consumer';
  readonly partitions: readonly PartitionLag[];
  readonly totalLag: number;
}

/** The group coordinator, when the broker runs one (it registers itself as the `groups` noun). */
export function groupCoordinatorOf(services: BrokerServices): GroupCoordinator | undefined {
  return (services.nouns as { groups?: GroupCoordinator }).groups;
}

/** Lag of every live group, sorted by group id; empty when no coordinator runs. */
export function groupLags(services: BrokerServices): GroupLag[] {
  const coordinator = groupCoordinatorOf(services);
  if (coordinator === undefined) return [];
  return coordinator.listGroups([], []).map((g) => ({
    groupId: g.groupId,
    state: g.groupState,
    type: g.groupType,
    ...lagOf(services, coordinator, g.groupId),
  }));
}

/** Lag of one group's committed offsets. */
export function lagOf(
  services: BrokerServices,
  coordinator: GroupCoordinator,
  groupId: string,
): { partitions: PartitionLag[]; totalLag: number } {
  const fetched = coordinator.fetchOffsets({
    groupId,
    memberId: null,
    memberEpoch: -1,
    topics: null,
    requireStable: false,
  });
  const partitions: PartitionLag[] = [];
  let totalLag = 0;
  for (const topic of fetched.topics) {
    for (const p of topic.partitions) {
      const log = services.logs.partition(topic.name, p.partitionIndex);
      if (log === undefined || log.isOffline) continue;
      const committedOffset = Number(p.committedOffset);
      const logEndOffset = log.logEndOffset;
      const from = committedOffset < 0 ? log.logStartOffset : committedOffset;
      const lag = Math.max(0, logEndOffset - from);
      totalLag += lag;
      partitions.push({ topic: topic.name, partition: p.partitionIndex, committedOffset, logEndOffset, lag });
    }
  }
  partitions.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  return { partitions, totalLag };
}
