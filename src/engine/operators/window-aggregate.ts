// Tumbling and hopping window aggregation on a keyed stream. State: for each open window (by
// start), the accumulator of each key. Without an output mode a window [s, e) fires when the
// watermark reaches e - 1 and is kept for allowedLatenessMs more, during which late records
// update it and re-emit it. Output modes change only when results leave:
//   append   once, final, when the watermark passes e - 1 + allowedLatenessMs;
//   update   at each trigger (barrier), the windows that changed since the previous one (and a
//            changed window's last result just before it is dropped);
//   complete at each trigger every window, which is then never dropped.
import { derivedRecord, type EngineRecord } from '../record.ts';
import { keyId } from '../state/key-id.ts';
import { estimateBytes } from '../state/size-estimate.ts';
import { decodeSnapshot, encodeSnapshot } from '../state/snapshot-codec.ts';
import type { StateBudget } from '../state/state-budget.ts';
import type { StateDescriptor } from '../state/state-descriptor.ts';
import { type FixedWindow, lastWindowStart, windowStepMs } from '../time/windows.ts';
import type { Aggregator } from './aggregator.ts';
import { LateData } from './late-data.ts';
import { type OperatorContext, type OutputMode, StatelessOperator } from './operator.ts';
import type { Output } from './output.ts';
import type { Windowed } from './windowed.ts';

interface Slot {
  key: unknown;
  acc: unknown;
  bytes: number;
}

interface Saved {
  watermarkMs: number;
  windows: Array<[number, Array<[string, Slot]>]>;
}

export interface WindowAggregateOptions {
  readonly window: FixedWindow;
  readonly allowedLatenessMs: number;
  readonly lateOutputPort: string | null;
}

export class WindowAggregateOperator<V, A, R> extends StatelessOperator {
  override readonly state: readonly StateDescriptor[] = [
    { name: 'windows', kind: 'windows', ttlMs: Number.POSITIVE_INFINITY },
  ];
  readonly #aggregator: Aggregator<V, A, R>;
  readonly #sizeMs: number;
  readonly #stepMs: number;
  readonly #spec: FixedWindow;
  readonly #latenessMs: number;
  readonly #late: LateData;
  /** Open windows by start; `#starts` keeps their starts sorted ascending. */
  #windows = new Map<number, Map<string, Slot>>();
  #starts: number[] = [];
  #watermarkMs = Number.NEGATIVE_INFINITY;
  #name = '';
  #budget: StateBudget | null = null;
  readonly #objectAccumulators: boolean;
  #mode: OutputMode | null = null;
  /** Update mode: key ids changed since the last trigger, by window start. */
  #dirty = new Map<number, Set<string>>();

  constructor(aggregator: Aggregator<V, A, R>, options: WindowAggregateOptions) {
    super();
    this.#aggregator = aggregator;
    this.#spec = options.window;
    this.#sizeMs = options.window.sizeMs;
    this.#stepMs = windowStepMs(options.window);
    this.#latenessMs = options.allowedLatenessMs;
    this.#late = new LateData(options.lateOutputPort);
    // Numbers (counts, sums) keep their size; only object accumulators are re-measured.
    this.#objectAccumulators = typeof aggregator.init() === 'object';
  }

  override open(context: OperatorContext): Promise<void> {
    this.#name = context.instanceName;
    this.#budget = context.budget;
    this.#mode = context.outputMode;
    this.#late.open(context);
    return Promise.resolve();
  }

  processBatch(records: readonly EngineRecord[], _input: number, out: Output): void {
    const agg = this.#aggregator;
    const size = this.#sizeMs;
    const wm = this.#watermarkMs;
    const closedBefore = wm - this.#latenessMs; // windows with end - 1 <= this are gone
    for (let i = 0; i < records.length; i++) {
      const r = records[i] as EngineRecord<unknown, V>;
      const ts = r.timestamp;
      let assigned = false;
      let id: string | null = null;
      for (let start = lastWindowStart(this.#spec, ts); start > ts - size; start -= this.#stepMs) {
        const lastMs = start + size - 1;
        if (lastMs <= closedBefore) break; // older windows are closed too
        assigned = true;
        id ??= keyId(r.key);
        const slot = this.#slot(start, id, r.key);
        const before = this.#objectAccumulators ? slot.bytes : 0;
        slot.acc = agg.add(slot.acc as A, r.value, r);
        if (this.#objectAccumulators) {
          slot.bytes = estimateBytes(slot.acc) + 64;
          this.#budget!.charge(slot.bytes - before, `${this.#name}.windows`);
        }
        if (this.#mode === 'update') this.#markDirty(start, id);
        else if (lastMs <= wm && this.#mode === null) out.emit(this.#result(slot, start)); // late but allowed
      }
      if (!assigned) this.#late.handle(r, out);
    }
  }

  override onWatermark(watermarkMs: number, out: Output): void {
    const previous = this.#watermarkMs;
    this.#watermarkMs = watermarkMs;
    const mode = this.#mode;
    if (mode === 'complete') return; // every window stays, emitted at triggers
    if (mode === 'append') {
      this.#purge(watermarkMs - this.#latenessMs, out);
      return;
    }
    if (mode === 'update') {
      this.#purge(watermarkMs - this.#latenessMs, out);
      return;
    }
    const size = this.#sizeMs;
    for (let i = 0; i < this.#starts.length; i++) {
      const start = this.#starts[i]!;
      const lastMs = start + size - 1;
      if (lastMs > watermarkMs) break;
      if (lastMs > previous) {
        for (const slot of this.#windows.get(start)!.values()) out.emit(this.#result(slot, start));
      }
    }
    this.#purge(watermarkMs - this.#latenessMs, null);
  }

  override onBarrier(_checkpointId: number, out: Output): void {
    if (this.#mode === 'complete') {
      for (const start of this.#starts)
        for (const slot of this.#windows.get(start)!.values()) out.emit(this.#result(slot, start));
    } else if (this.#mode === 'update') {
      for (const [start, ids] of this.#dirty) this.#emitIds(start, ids, out);
      this.#dirty.clear();
    }
  }

  #markDirty(start: number, id: string): void {
    let ids = this.#dirty.get(start);
    if (ids === undefined) {
      ids = new Set();
      this.#dirty.set(start, ids);
    }
    ids.add(id);
  }

  #emitIds(start: number, ids: Set<string>, out: Output): void {
    const window = this.#windows.get(start);
    if (window === undefined) return;
    for (const id of ids) {
      const slot = window.get(id);
      if (slot !== undefined) out.emit(this.#result(slot, start));
    }
  }

  override snapshot(): Uint8Array {
    const windows: Saved['windows'] = [];
    for (const start of this.#starts) windows.push([start, [...this.#windows.get(start)!]]);
    return encodeSnapshot({ watermarkMs: this.#watermarkMs, windows } satisfies Saved);
  }

  override restore(snapshot: Uint8Array): void {
    const saved = decodeSnapshot<Saved>(snapshot, this.#name);
    this.#watermarkMs = saved.watermarkMs;
    for (const [start, slots] of saved.windows) {
      this.#windows.set(start, new Map(slots));
      this.#starts.push(start);
      for (const [, slot] of slots) this.#budget!.charge(slot.bytes, `${this.#name}.windows`);
    }
  }

  #slot(start: number, id: string, key: unknown): Slot {
    let window = this.#windows.get(start);
    if (window === undefined) {
      window = new Map();
      this.#windows.set(start, window);
      this.#insertStart(start);
    }
    let slot = window.get(id);
    if (slot === undefined) {
      const acc = this.#aggregator.init();
      slot = { key, acc, bytes: estimateBytes(acc) + id.length * 2 + 64 };
      this.#budget!.charge(slot.bytes, `${this.#name}.windows`);
      window.set(id, slot);
    }
    return slot;
  }

  #insertStart(start: number): void {
    const starts = this.#starts;
    let i = starts.length;
    while (i > 0 && starts[i - 1]! > start) i--;
    starts.splice(i, 0, start);
  }

  /**
   * Drops windows that can no longer change. `out` is null without an output mode (they fired
   * already); in append mode they fire now, in update mode their unsent changes go out now.
   */
  #purge(closedBeforeMs: number, out: Output | null): void {
    let n = 0;
    while (n < this.#starts.length && this.#starts[n]! + this.#sizeMs - 1 <= closedBeforeMs) {
      const start = this.#starts[n]!;
      if (out !== null && this.#mode === 'append')
        for (const slot of this.#windows.get(start)!.values()) out.emit(this.#result(slot, start));
      if (out !== null && this.#mode === 'update') {
        const ids = this.#dirty.get(start);
        if (ids !== undefined) this.#emitIds(start, ids, out);
        this.#dirty.delete(start);
      }
      let bytes = 0;
      for (const slot of this.#windows.get(start)!.values()) bytes += slot.bytes;
      this.#budget!.charge(-bytes, `${this.#name}.windows`);
      this.#windows.delete(start);
      n++;
    }
    if (n > 0) this.#starts.splice(0, n);
  }

  #result(slot: Slot, start: number): EngineRecord {
    const end = start + this.#sizeMs;
    const value: Windowed<unknown, R> = {
      key: slot.key,
      windowStartMs: start,
      windowEndMs: end,
      result: this.#aggregator.result(slot.acc as A),
    };
    return derivedRecord(slot.key, value, end - 1, null);
  }
}
