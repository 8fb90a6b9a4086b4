// Chooses a record's partition when the caller did not. Keyed records go where the Java
// client's default partitioner sends them (murmur2 of the key). Records without a key are spread
// either sticky (Java 3.3+: fill one partition's batch, then move on, so batches grow large) or
// round-robin (one record per partition in turn).
import { partitionForKey } from './murmur2.ts';

export type NullKeyPartitioning = 'sticky' | 'roundRobin';

export class Partitioner {
  readonly #mode: NullKeyPartitioning;
  readonly #stickyBytes: number;
  readonly #random: () => number;
  readonly #sticky = new Map<string, { partition: number; bytesLeft: number }>();
  readonly #nextRoundRobin = new Map<string, number>();

  /** `stickyBytes`: how much to send to one partition before switching (the batch size). */
  constructor(mode: NullKeyPartitioning, stickyBytes: number, random: () => number = Math.random) {
    this.#mode = mode;
    this.#stickyBytes = stickyBytes;
    this.#random = random;
  }

  partition(topic: string, key: Uint8Array | null, partitionCount: number, recordBytes: number): number {
    if (partitionCount < 1)
      throw new RangeError(`Cannot pick a partition of '${topic}': it has ${partitionCount}`);
    if (key !== null) return partitionForKey(key, partitionCount);
    return this.#mode === 'sticky'
      ? this.#stickyPartition(topic, partitionCount, recordBytes)
      : this.#roundRobinPartition(topic, partitionCount);
  }

  #roundRobinPartition(topic: string, partitionCount: number): number {
    const next = this.#nextRoundRobin.get(topic) ?? Math.floor(this.#random() * partitionCount);
    this.#nextRoundRobin.set(topic, (next + 1) % partitionCount);
    return next % partitionCount;
  }

  #stickyPartition(topic: string, partitionCount: number, recordBytes: number): number {
    let state = this.#sticky.get(topic);
    if (state === undefined || state.bytesLeft <= 0 || state.partition >= partitionCount) {
      const previous = state?.partition;
      let partition = Math.floor(this.#random() * partitionCount);
      // Move to a different partition when there is one, so a switch spreads load.
      if (partition === previous && partitionCount > 1) partition = (partition + 1) % partitionCount;
      state = { partition, bytesLeft: this.#stickyBytes };
      this.#sticky.set(topic, state);
    }
    state.bytesLeft -= recordBytes;
    return state.partition;
  }
}
