// Pending timers of one operator: a binary min-heap on (time, sequence) so timers at the same
// time fire in registration order, with duplicates of (key, time) ignored. Array-based and
// loop-based: no recursion, bounded by engineLimits.timersMax.
import { engineLimits } from '../../limits.ts';
import { EngineError } from '../engine-error.ts';

export interface Timer {
  readonly timeMs: number;
  readonly keyId: string;
  readonly key: unknown;
  readonly seq: number;
}

export class TimerHeap {
  readonly #owner: string;
  #heap: Timer[] = [];
  #pending = new Set<string>();
  #seq = 0;

  constructor(owner: string) {
    this.#owner = owner;
  }

  get size(): number {
    return this.#heap.length;
  }

  /** Time of the earliest timer (possibly a deleted one), or Infinity: a hint for waiting. */
  peekTimeMs(): number {
    return this.#heap[0]?.timeMs ?? Number.POSITIVE_INFINITY;
  }

  /** Registers a timer; returns false if the same key already has one at that time. */
  add(timeMs: number, keyId: string, key: unknown): boolean {
    const id = `${timeMs}|${keyId}`;
    if (this.#pending.has(id)) return false;
    if (this.#heap.length >= engineLimits.timersMax) {
      throw new EngineError(
        'limit_exceeded',
        `Operator '${this.#owner}' cannot hold more than ${engineLimits.timersMax} timers`,
      );
    }
    this.#pending.add(id);
    const heap = this.#heap;
    heap.push({ timeMs, keyId, key, seq: this.#seq++ });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(heap[i]!, heap[parent]!)) break;
      swap(heap, i, parent);
      i = parent;
    }
    return true;
  }

  delete(timeMs: number, keyId: string): void {
    // Lazy: the entry stays in the heap and is skipped when it surfaces.
    this.#pending.delete(`${timeMs}|${keyId}`);
  }

  /** Removes and returns the earliest live timer at or before `timeMs`, or undefined. */
  popDue(timeMs: number): Timer | undefined {
    const heap = this.#heap;
    while (heap.length > 0 && heap[0]!.timeMs <= timeMs) {
      const top = heap[0]!;
      const last = heap.pop()!;
      if (heap.length > 0) {
        heap[0] = last;
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          const r = l + 1;
          let m = i;
          if (l < heap.length && less(heap[l]!, heap[m]!)) m = l;
          if (r < heap.length && less(heap[r]!, heap[m]!)) m = r;
          if (m === i) break;
          swap(heap, i, m);
          i = m;
        }
      }
      if (this.#pending.delete(`${top.timeMs}|${top.keyId}`)) return top;
    }
    return undefined;
  }

  snapshot(): Timer[] {
    return this.#heap.filter((t) => this.#pending.has(`${t.timeMs}|${t.keyId}`));
  }

  restore(timers: readonly Timer[]): void {
    this.#heap = [];
    this.#pending = new Set();
    this.#seq = 0;
    const sorted = [...timers].sort((a, b) => a.timeMs - b.timeMs || a.seq - b.seq);
    for (const t of sorted) this.add(t.timeMs, t.keyId, t.key);
  }
}

function less(a: Timer, b: Timer): boolean {
  return a.timeMs < b.timeMs || (a.timeMs === b.timeMs && a.seq < b.seq);
}

function swap(heap: Timer[], i: number, j: number): void {
  const t = heap[i]!;
  heap[i] = heap[j]!;
  heap[j] = t;
}
