// The coordinator's timers: session expiries, rebalance and join deadlines, retention sweeps.
// One keyed min-heap on (due time, sequence); setting a key again replaces its timer, so a
// heartbeat that pushes a session deadline out costs O(log n) and leaves no stale callbacks
// (replaced entries are marked dead and skipped, and the heap is rebuilt when they dominate).
// With a system clock it arms one Node timer for the earliest deadline; with a manual clock the
// owner calls runDue() after advancing time, so tests are deterministic.
import { coordinatorLimits } from '../limits.ts';

export interface CoordinatorClock {
  nowMs(): number;
}

interface Entry {
  readonly key: string;
  readonly dueMs: number;
  readonly seq: number;
  readonly fire: () => void;
  live: boolean;
}

export interface CoordinatorTimersOptions {
  /** Arm a real timer for the earliest deadline (production); off for tests with a manual clock. */
  autoRun: boolean;
}

export class CoordinatorTimers {
  readonly #clock: CoordinatorClock;
  readonly #autoRun: boolean;
  readonly #byKey = new Map<string, Entry>();
  #heap: Entry[] = [];
  #seq = 0;
  #armed: NodeJS.Timeout | undefined;
  #armedDueMs = Number.POSITIVE_INFINITY;
  #closed = false;

  constructor(clock: CoordinatorClock, options: CoordinatorTimersOptions) {
    this.#clock = clock;
    this.#autoRun = options.autoRun;
  }

  get size(): number {
    return this.#byKey.size;
  }

  has(key: string): boolean {
    return this.#byKey.has(key);
  }

  /** The deadline of `key`, if it has a timer. */
  dueMs(key: string): number | undefined {
    return this.#byKey.get(key)?.dueMs;
  }

  /** Sets (or replaces) the timer `key` to call `fire` at `dueMs`. */
  set(key: string, dueMs: number, fire: () => void): void {
    if (this.#closed) throw new Error(`Cannot set coordinator timer '${key}': the coordinator is closed`);
    const previous = this.#byKey.get(key);
    if (previous !== undefined) previous.live = false;
    else if (this.#byKey.size >= coordinatorLimits.timersMax) {
      throw new RangeError(
        `Cannot set coordinator timer '${key}': ${coordinatorLimits.timersMax} timers are pending`,
      );
    }
    const entry: Entry = { key, dueMs, seq: this.#seq++, fire, live: true };
    this.#byKey.set(key, entry);
    this.#push(entry);
    this.#compactIfMostlyDead();
    this.#arm();
  }

  cancel(key: string): void {
    const entry = this.#byKey.get(key);
    if (entry === undefined) return;
    entry.live = false;
    this.#byKey.delete(key);
    this.#compactIfMostlyDead();
  }

  /** Cancels every timer whose key starts with `prefix` (a group's timers when it is deleted). */
  cancelPrefix(prefix: string): void {
    for (const key of [...this.#byKey.keys()]) if (key.startsWith(prefix)) this.cancel(key);
  }

  /** Fires every timer due at or before now, earliest first; returns how many fired. */
  runDue(): number {
    const nowMs = this.#clock.nowMs();
    let fired = 0;
    for (;;) {
      const top = this.#heap[0];
      if (top === undefined || top.dueMs > nowMs) break;
      this.#pop();
      if (!top.live) continue;
      top.live = false;
      this.#byKey.delete(top.key);
      fired++;
      top.fire();
    }
    this.#arm();
    return fired;
  }

  close(): void {
    this.#closed = true;
    if (this.#armed !== undefined) clearTimeout(this.#armed);
    this.#armed = undefined;
    this.#byKey.clear();
    this.#heap = [];
  }

  #arm(): void {
    if (!this.#autoRun || this.#closed) return;
    let top = this.#heap[0];
    while (top !== undefined && !top.live) {
      this.#pop();
      top = this.#heap[0];
    }
    const dueMs = top?.dueMs ?? Number.POSITIVE_INFINITY;
    if (dueMs === this.#armedDueMs && this.#armed !== undefined) return;
    if (this.#armed !== undefined) clearTimeout(this.#armed);
    this.#armed = undefined;
    this.#armedDueMs = dueMs;
    if (top === undefined) return;
    const delayMs = Math.max(0, dueMs - this.#clock.nowMs());
    this.#armed = setTimeout(() => {
      this.#armed = undefined;
      this.#armedDueMs = Number.POSITIVE_INFINITY;
      this.runDue();
    }, delayMs);
    // Timers must not keep a closing process alive; the broker's sockets do that.
    this.#armed.unref();
  }

  #compactIfMostlyDead(): void {
    if (this.#heap.length < 64 || this.#heap.length < 2 * this.#byKey.size) return;
    const live = this.#heap.filter((e) => e.live);
    live.sort(compare);
    this.#heap = live; // a sorted array is a valid heap
  }

  #push(entry: Entry): void {
    const heap = this.#heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as Entry;
      if (compare(p, entry) <= 0) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = entry;
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      let child = left;
      if (right < heap.length && compare(heap[right] as Entry, heap[left] as Entry) < 0) child = right;
      const c = heap[child] as Entry;
      if (compare(last, c) <= 0) break;
      heap[i] = c;
      i = child;
    }
    heap[i] = last;
  }
}

function compare(a: Entry, b: Entry): number {
  return a.dueMs - b.dueMs || a.seq - b.seq;
}

/** A clock tests move by hand. */
export class ManualCoordinatorClock implements CoordinatorClock {
  #nowMs: number;
  constructor(startMs: number) {
    this.#nowMs = startMs;
  }
  nowMs(): number {
    return this.#nowMs;
  }
  advance(deltaMs: number): void {
    if (!(deltaMs >= 0)) throw new RangeError(`Cannot move the clock back: advance(${deltaMs})`);
    this.#nowMs += deltaMs;
  }
}

export const systemCoordinatorClock: CoordinatorClock = { nowMs: () => Date.now() };
