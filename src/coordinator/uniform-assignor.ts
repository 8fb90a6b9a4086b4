// The `uniform` server assignor (KIP-848's default): spreads the partitions of the subscribed
// topics as evenly as the subscriptions allow, and is sticky: a partition stays with its
// previous owner while that owner is still subscribed and not above its fair share. Steps:
//   1. keep each previously assigned partition if its owner is still eligible,
//   2. hand the unassigned ones to the eligible member holding the fewest,
//   3. move partitions from the fullest members to eligible members holding at least two fewer,
//      until no such move exists (bounded by coordinatorLimits.assignorMovesMax).
import { coordinatorLimits } from '../limits.ts';
import { type Assignment, assignmentAdd, assignmentHas } from './assignment.ts';
import type { AssignorInput, AssignorMember, ServerAssignor } from './assignor.ts';

interface Slot {
  readonly member: AssignorMember;
  readonly owned: Array<[string, number]>;
}

export const uniformAssignor: ServerAssignor = {
  name: 'uniform',
  assign(input: AssignorInput): Map<string, Assignment> {
    const slots = [...input.members]
      .sort((a, b) => (a.memberId < b.memberId ? -1 : 1))
      .map((member): Slot => ({ member, owned: [] }));
    const partitions = listPartitions(input);
    const eligible = (slot: Slot, topicId: string) => slot.member.subscribedTopicIds.has(topicId);
    const quota = fairShare(slots, partitions, eligible);

    // 1. Stickiness, up to each member's fair share.
    const unassigned: Array<[string, number]> = [];
    for (const tp of partitions) {
      const owner = slots.find(
        (s) =>
          eligible(s, tp[0]) &&
          assignmentHas(s.member.previous, tp[0], tp[1]) &&
          s.owned.length < (quota.get(s) ?? 0),
      );
      if (owner === undefined) unassigned.push(tp);
      else owner.owned.push(tp);
    }
    // 2. Fill the least loaded eligible member.
    for (const tp of unassigned) {
      let best: Slot | undefined;
      for (const s of slots)
        if (eligible(s, tp[0]) && (best === undefined || s.owned.length < best.owned.length)) best = s;
      best?.owned.push(tp);
    }
    // 3. Balance: heterogeneous subscriptions can leave a member two or more above another.
    balance(slots, eligible);

    const out = new Map<string, Assignment>();
    for (const s of slots) {
      const a: Assignment = new Map();
      for (const [t, p] of s.owned) assignmentAdd(a, t, p);
      out.set(s.member.memberId, a);
    }
    return out;
  },
};

function listPartitions(input: AssignorInput): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  for (const topicId of [...input.topicPartitions.keys()].sort()) {
    const n = input.topicPartitions.get(topicId) ?? 0;
    if (out.length + n > coordinatorLimits.assignablePartitionsMax) {
      throw new RangeError(
        `Cannot compute a uniform assignment: more than ${coordinatorLimits.assignablePartitionsMax} partitions are subscribed`,
      );
    }
    for (let p = 0; p < n; p++) out.push([topicId, p]);
  }
  return out;
}

/** Each member's share if the eligible partitions were spread evenly (ceil, so nobody starves). */
function fairShare(
  slots: readonly Slot[],
  partitions: ReadonlyArray<[string, number]>,
  eligible: (s: Slot, topicId: string) => boolean,
): Map<Slot, number> {
  const quota = new Map<Slot, number>();
  const subscribers = new Map<string, number>();
  for (const [t] of partitions) {
    if (!subscribers.has(t)) subscribers.set(t, slots.filter((s) => eligible(s, t)).length);
  }
  for (const s of slots) {
    let share = 0;
    for (const [t] of partitions) if (eligible(s, t)) share += 1 / (subscribers.get(t) ?? 1);
    quota.set(s, Math.ceil(share - 1e-9));
  }
  return quota;
}

function balance(slots: Slot[], eligible: (s: Slot, topicId: string) => boolean): void {
  for (let moves = 0; moves < coordinatorLimits.assignorMovesMax; moves++) {
    let moved = false;
    const byLoad = [...slots].sort((a, b) => b.owned.length - a.owned.length);
    for (const from of byLoad) {
      for (let i = from.owned.length - 1; i >= 0 && !moved; i--) {
        const tp = from.owned[i] as [string, number];
        let to: Slot | undefined;
        for (const s of slots) {
          if (s === from || !eligible(s, tp[0]) || s.owned.length > from.owned.length - 2) continue;
          if (to === undefined || s.owned.length < to.owned.length) to = s;
        }
        if (to !== undefined) {
          from.owned.splice(i, 1);
          to.owned.push(tp);
          moved = true;
        }
      }
      if (moved) break;
    }
    if (!moved) return;
  }
}
