// Wakes long-polling fetches when data arrives. Produce calls notify() after an append; a Fetch
// that has not yet gathered minBytes parks here on the partitions it reads and is woken by the
// first append to any of them, by its deadline, or by its connection closing. Owns the set of
// parked fetches, bounded by parkedFetchesMax: beyond it a fetch is answered at once, not parked.
import { brokerLimits } from '../limits.ts';

interface Parked {
  wake(): void;
}

export function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

export class AppendNotifier {
  #byPartition = new Map<string, Set<Parked>>();
  #parked = 0;
  #parkedMax: number;

  constructor(parkedMax: number = brokerLimits.parkedFetchesMax) {
    this.#parkedMax = parkedMax;
  }

  get parkedCount(): number {
    return this.#parked;
  }

  /** Wakes every fetch parked on the partition. */
  notify(topic: string, partition: number): void {
    const parked = this.#byPartition.get(partitionKey(topic, partition));
    if (parked === undefined) return;
    for (const p of [...parked]) p.wake();
  }

  /**
   * Resolves true when one of `keys` is appended to, false at the deadline, on abort, or at once
   * when parkedFetchesMax fetches are already parked.
   */
  wait(keys: readonly string[], timeoutMs: number, signal: AbortSignal): Promise<boolean> {
    if (timeoutMs <= 0 || signal.aborted || this.#parked >= this.#parkedMax || keys.length === 0) {
      return Promise.resolve(false);
    }
    return new Promise((resolve) => {
      const parked: Parked = { wake: () => finish(true) };
      const onAbort = () => finish(false);
      const timer = setTimeout(() => finish(false), timeoutMs);
      let done = false;
      const finish = (woken: boolean) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        for (const key of keys) {
          const set = this.#byPartition.get(key);
          set?.delete(parked);
          if (set?.size === 0) this.#byPartition.delete(key);
        }
        this.#parked--;
        resolve(woken);
      };
      this.#parked++;
      signal.addEventListener('abort', onAbort, { once: true });
      for (const key of keys) {
        const set = this.#byPartition.get(key) ?? new Set<Parked>();
        this.#byPartition.set(key, set);
        set.add(parked);
      }
    });
  }
}
