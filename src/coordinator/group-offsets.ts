// The committed offsets of one group, by topic then partition. Owned by the group object; only
// the coordinator writes it, and only after the commit's records are durable in __consumer_offsets.
import { coordinatorLimits } from '../limits.ts';

export interface CommittedOffset {
  offset: bigint;
  leaderEpoch: number;
  metadata: string;
  commitTimestampMs: number;
  /** Explicit expiry from OffsetCommit v2–v4's retention time; -1 when the group's rule applies. */
  expireTimestampMs: number;
}

export class GroupOffsets {
  readonly #byTopic = new Map<string, Map<number, CommittedOffset>>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get(topic: string, partition: number): CommittedOffset | undefined {
    return this.#byTopic.get(topic)?.get(partition);
  }

  set(groupId: string, topic: string, partition: number, value: CommittedOffset): void {
    let partitions = this.#byTopic.get(topic);
    if (partitions === undefined) {
      partitions = new Map();
      this.#byTopic.set(topic, partitions);
    }
    if (!partitions.has(partition)) {
      if (this.#size >= coordinatorLimits.offsetsPerGroupMax) {
        throw new RangeError(
          `Cannot store an offset for group '${groupId}': it holds ${this.#size} offsets, the most allowed`,
        );
      }
      this.#size++;
    }
    partitions.set(partition, value);
  }

  delete(topic: string, partition: number): boolean {
    const partitions = this.#byTopic.get(topic);
    if (partitions === undefined || !partitions.delete(partition)) return false;
    this.#size--;
    if (partitions.size === 0) this.#byTopic.delete(topic);
    return true;
  }

  topics(): string[] {
    return [...this.#byTopic.keys()].sort();
  }

  partitions(topic: string): number[] {
    return [...(this.#byTopic.get(topic)?.keys() ?? [])].sort((a, b) => a - b);
  }

  *entries(): Generator<[string, number, CommittedOffset]> {
    for (const [topic, partitions] of this.#byTopic) for (const [p, v] of partitions) yield [topic, p, v];
  }
}
