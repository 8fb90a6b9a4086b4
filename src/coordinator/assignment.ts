// A set of partitions by topic id: what a KIP-848 member owns, is assigned, or must revoke.
// Plain maps of sets, never shared between members: every operation returns a new value.

export type Assignment = Map<string, Set<number>>;

export interface TopicPartitionsList {
  topicId: string;
  partitions: number[];
}

export function emptyAssignment(): Assignment {
  return new Map();
}

export function assignmentFromList(list: readonly TopicPartitionsList[]): Assignment {
  const a: Assignment = new Map();
  for (const { topicId, partitions } of list) {
    if (partitions.length === 0) continue;
    const set = a.get(topicId) ?? new Set<number>();
    for (const p of partitions) set.add(p);
    a.set(topicId, set);
  }
  return a;
}

/** Sorted by topic id then partition, so responses and tests are stable. */
export function assignmentToList(a: Assignment): TopicPartitionsList[] {
  return [...a.entries()]
    .filter(([, ps]) => ps.size > 0)
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([topicId, ps]) => ({ topicId, partitions: [...ps].sort((x, y) => x - y) }));
}

export function assignmentSize(a: Assignment): number {
  let n = 0;
  for (const ps of a.values()) n += ps.size;
  return n;
}

export function assignmentHas(a: Assignment, topicId: string, partition: number): boolean {
  return a.get(topicId)?.has(partition) ?? false;
}

export function assignmentAdd(a: Assignment, topicId: string, partition: number): void {
  let ps = a.get(topicId);
  if (ps === undefined) {
    ps = new Set();
    a.set(topicId, ps);
  }
  ps.add(partition);
}

/** Partitions in `a` that are also in `b`. */
export function assignmentIntersect(a: Assignment, b: Assignment): Assignment {
  const out: Assignment = new Map();
  for (const [t, ps] of a) for (const p of ps) if (assignmentHas(b, t, p)) assignmentAdd(out, t, p);
  return out;
}

/** Partitions in `a` that are not in `b`. */
export function assignmentMinus(a: Assignment, b: Assignment): Assignment {
  const out: Assignment = new Map();
  for (const [t, ps] of a) for (const p of ps) if (!assignmentHas(b, t, p)) assignmentAdd(out, t, p);
  return out;
}

export function assignmentUnion(a: Assignment, b: Assignment): Assignment {
  const out: Assignment = new Map();
  for (const src of [a, b]) for (const [t, ps] of src) for (const p of ps) assignmentAdd(out, t, p);
  return out;
}

export function assignmentEquals(a: Assignment, b: Assignment): boolean {
  return assignmentSize(a) === assignmentSize(b) && assignmentSize(assignmentMinus(a, b)) === 0;
}

/** True when every partition of `a` is in `b`. */
export function assignmentSubsetOf(a: Assignment, b: Assignment): boolean {
  return assignmentSize(assignmentMinus(a, b)) === 0;
}
