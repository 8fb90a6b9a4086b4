// The `range` server assignor: per topic, the subscribed members sorted by member id (instance
// id first when static, so a restarted static member gets its range back) split the partitions
// into contiguous ranges, the first (partitions % members) members taking one extra. Members that
// subscribe to the same topics therefore get co-partitioned ranges, which joins rely on.
import { type Assignment, assignmentAdd } from './assignment.ts';
import type { AssignorInput, AssignorMember, ServerAssignor } from './assignor.ts';

function sortKey(m: AssignorMember): string {
  return m.instanceId !== null ? `0${m.instanceId}` : `1${m.memberId}`;
}

export const rangeAssignor: ServerAssignor = {
  name: 'range',
  assign(input: AssignorInput): Map<string, Assignment> {
    const out = new Map<string, Assignment>();
    for (const m of input.members) out.set(m.memberId, new Map());
    const sorted = [...input.members].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1));
    const topicIds = [...input.topicPartitions.keys()].sort();
    for (const topicId of topicIds) {
      const partitions = input.topicPartitions.get(topicId) ?? 0;
      const subscribers = sorted.filter((m) => m.subscribedTopicIds.has(topicId));
      if (subscribers.length === 0) continue;
      const base = Math.floor(partitions / subscribers.length);
      const extra = partitions % subscribers.length;
      let next = 0;
      for (let i = 0; i < subscribers.length; i++) {
        const count = base + (i < extra ? 1 : 0);
        const target = out.get((subscribers[i] as AssignorMember).memberId) as Assignment;
        for (let k = 0; k < count; k++) assignmentAdd(target, topicId, next++);
      }
    }
    return out;
  },
};
