// Client-side partition assignors of the classic group protocol, computed by the group leader.
// Both follow the Java client's: members ordered by group instance id when they have one, else
// by member id; partitions in order. Each member gets only topics it subscribed to.
import { clientLimits } from '../limits.ts';
import type { TopicPartitions } from './consumer-protocol.ts';

export interface AssignorMember {
  memberId: string;
  groupInstanceId: string | null;
  topics: readonly string[];
}

export interface Assignor {
  /** The protocol name members agree on in JoinGroup ('range', 'roundrobin'). */
  name: string;
  assign(
    members: readonly AssignorMember[],
    partitionCounts: ReadonlyMap<string, number>,
  ): Map<string, TopicPartitions[]>;
}

function ordered(members: readonly AssignorMember[]): AssignorMember[] {
  if (members.length > clientLimits.assignorMembersMax) {
    throw new RangeError(
      `Cannot assign partitions to ${members.length} members: more than ${clientLimits.assignorMembersMax}`,
    );
  }
  const key = (m: AssignorMember) => m.groupInstanceId ?? m.memberId;
  // Java orders static members (with an instance id) before dynamic ones, each group by its id.
  return [...members].sort((a, b) => {
    if ((a.groupInstanceId === null) !== (b.groupInstanceId === null))
      return a.groupInstanceId === null ? 1 : -1;
    return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
  });
}

function add(
  into: Map<string, Map<string, number[]>>,
  memberId: string,
  topic: string,
  partition: number,
): void {
  let topics = into.get(memberId);
  if (topics === undefined) {
    topics = new Map();
    into.set(memberId, topics);
  }
  const list = topics.get(topic);
  if (list === undefined) topics.set(topic, [partition]);
  else list.push(partition);
}

function finish(
  members: readonly AssignorMember[],
  raw: Map<string, Map<string, number[]>>,
): Map<string, TopicPartitions[]> {
  const out = new Map<string, TopicPartitions[]>();
  for (const m of members) {
    const topics = raw.get(m.memberId) ?? new Map<string, number[]>();
    out.set(
      m.memberId,
      [...topics].sort(([a], [b]) => (a < b ? -1 : 1)).map(([topic, partitions]) => ({ topic, partitions })),
    );
  }
  return out;
}

/** Per topic, consecutive ranges of partitions; the first members get one extra when it does not divide. */
export const rangeAssignor: Assignor = {
  name: 'range',
  assign(members, partitionCounts) {
    const raw = new Map<string, Map<string, number[]>>();
    const topics = [...new Set(members.flatMap((m) => m.topics))].sort();
    for (const topic of topics) {
      const count = partitionCounts.get(topic) ?? 0;
      const subscribers = ordered(members.filter((m) => m.topics.includes(topic)));
      const per = Math.floor(count / subscribers.length);
      const extra = count % subscribers.length;
      subscribers.forEach((m, i) => {
        const start = per * i + Math.min(i, extra);
        const length = per + (i < extra ? 1 : 0);
        for (let p = start; p < start + length; p++) add(raw, m.memberId, topic, p);
      });
    }
    return finish(members, raw);
  },
};

/** All partitions of all topics in order, dealt to members in turn, skipping members not subscribed. */
export const roundRobinAssignor: Assignor = {
  name: 'roundrobin',
  assign(members, partitionCounts) {
    const raw = new Map<string, Map<string, number[]>>();
    const circle = ordered(members);
    if (circle.length === 0) return new Map();
    const topics = [...new Set(members.flatMap((m) => m.topics))].sort();
    let next = 0;
    for (const topic of topics) {
      const count = partitionCounts.get(topic) ?? 0;
      for (let p = 0; p < count; p++) {
        // At most one full turn: some member subscribes to this topic, since it came from one.
        for (let step = 0; step < circle.length; step++) {
          const m = circle[(next + step) % circle.length]!;
          if (!m.topics.includes(topic)) continue;
          add(raw, m.memberId, topic, p);
          next = (next + step + 1) % circle.length;
          break;
        }
      }
    }
    return finish(members, raw);
  },
};

export const assignorsByName: ReadonlyMap<string, Assignor> = new Map([
  [rangeAssignor.name, rangeAssignor],
  [roundRobinAssignor.name, roundRobinAssignor],
]);
