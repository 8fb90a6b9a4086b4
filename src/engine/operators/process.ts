// Runs a user ProcessFunction on a keyed stream: keyed state from a KeyedStateStore, event-time
// timers fired by watermarks, processing-time timers fired by the runtime's clock. One context
// object is reused for every call, re-pointed at the current key, so nothing is allocated per
// record beyond what the user emits.
import { derivedRecord, type EngineRecord } from '../record.ts';
import { keyId } from '../state/key-id.ts';
import { type KeyedStateSnapshot, KeyedStateStore } from '../state/keyed-state-store.ts';
import { decodeSnapshot, encodeSnapshot } from '../state/snapshot-codec.ts';
import type { StateDescriptor } from '../state/state-descriptor.ts';
import { type Timer, TimerHeap } from '../state/timer-heap.ts';
import type { Clock } from '../time/clock.ts';
import { type OperatorContext, StatelessOperator } from './operator.ts';
import type { Output } from './output.ts';
import type { OutputTag } from './output-tag.ts';
import type { ProcessContext, ProcessFunction, StateHandles, StateSpec, Timers } from './process-function.ts';

interface Saved {
  state: KeyedStateSnapshot;
  eventTimers: Timer[];
  processingTimers: Timer[];
  watermarkMs: number;
}

export class ProcessOperator<K, V, O, S extends StateSpec> extends StatelessOperator {
  override readonly state: readonly StateDescriptor[];
  readonly #fn: ProcessFunction<K, V, O, S>;
  #store: KeyedStateStore | null = null;
  #eventTimers = new TimerHeap('process');
  #processingTimers = new TimerHeap('process');
  #watermarkMs = Number.NEGATIVE_INFINITY;
  #clock: Clock | null = null;
  #name = '';
  // The reused context: these fields are re-pointed before each user call.
  #keyId = '';
  #key: unknown = undefined;
  #origin: EngineRecord | null = null;
  #timestampMs = 0;
  #out: Output | null = null;
  #context: ProcessContext<K, O, S> | null = null;

  constructor(fn: ProcessFunction<K, V, O, S>) {
    super();
    this.#fn = fn;
    this.state = [
      ...Object.entries(fn.state).map(([name, d]) => ({ name, kind: d.kind, ttlMs: d.ttlMs })),
      { name: 'timers', kind: 'timers', ttlMs: Number.POSITIVE_INFINITY },
    ];
  }

  override open(context: OperatorContext): Promise<void> {
    this.#name = context.instanceName;
    this.#clock = context.clock;
    this.#eventTimers = new TimerHeap(context.instanceName);
    this.#processingTimers = new TimerHeap(context.instanceName);
    const store = new KeyedStateStore(context.instanceName, context.budget, context.clock);
    this.#store = store;
    const handles: Record<string, unknown> = {};
    for (const [name, decl] of Object.entries(this.#fn.state)) {
      handles[name] =
        decl.kind === 'value'
          ? store.value(name, decl.ttlMs)
          : decl.kind === 'list'
            ? store.list(name, decl.ttlMs)
            : store.map(name, decl.ttlMs);
    }
    this.#context = this.#makeContext(handles as StateHandles<S>);
    return Promise.resolve();
  }

  processBatch(records: readonly EngineRecord[], _input: number, out: Output): void {
    const fn = this.#fn;
    const context = this.#context!;
    this.#out = out;
    for (let i = 0; i < records.length; i++) {
      const r = records[i] as EngineRecord<K, V>;
      this.#point(keyId(r.key), r.key, r, r.timestamp);
      fn.processRecord(r.value, r, context);
    }
  }

  override onWatermark(watermarkMs: number, out: Output): void {
    this.#watermarkMs = watermarkMs;
    this.#fire(this.#eventTimers, watermarkMs, 'event', out);
  }

  override onProcessingTime(nowMs: number, out: Output): void {
    this.#fire(this.#processingTimers, nowMs, 'processing', out);
    this.#store!.sweepExpired(10_000);
  }

  override nextProcessingTimeMs(): number {
    return this.#processingTimers.peekTimeMs();
  }

  override snapshot(): Uint8Array {
    return encodeSnapshot({
      state: this.#store!.snapshot(),
      eventTimers: this.#eventTimers.snapshot(),
      processingTimers: this.#processingTimers.snapshot(),
      watermarkMs: this.#watermarkMs,
    } satisfies Saved);
  }

  override restore(snapshot: Uint8Array): void {
    const saved = decodeSnapshot<Saved>(snapshot, this.#name);
    this.#store!.restore(saved.state);
    this.#eventTimers.restore(saved.eventTimers);
    this.#processingTimers.restore(saved.processingTimers);
    this.#watermarkMs = saved.watermarkMs;
  }

  #fire(heap: TimerHeap, timeMs: number, domain: 'event' | 'processing', out: Output): void {
    const onTimer = this.#fn.onTimer;
    if (onTimer === undefined) return;
    this.#out = out;
    for (let t = heap.popDue(timeMs); t !== undefined; t = heap.popDue(timeMs)) {
      this.#point(t.keyId, t.key, null, t.timeMs);
      onTimer.call(this.#fn, t.timeMs, domain, this.#context!);
    }
  }

  #point(id: string, key: unknown, origin: EngineRecord | null, timestampMs: number): void {
    this.#keyId = id;
    this.#key = key;
    this.#origin = origin;
    this.#timestampMs = timestampMs;
    this.#store!.setCurrentKey(id, key);
  }

  #makeContext(state: StateHandles<S>): ProcessContext<K, O, S> {
    const op = this;
    const timers: Timers = {
      registerEventTime: (timeMs) => void op.#eventTimers.add(timeMs, op.#keyId, op.#key),
      deleteEventTime: (timeMs) => op.#eventTimers.delete(timeMs, op.#keyId),
      registerProcessingTime: (timeMs) => void op.#processingTimers.add(timeMs, op.#keyId, op.#key),
      deleteProcessingTime: (timeMs) => op.#processingTimers.delete(timeMs, op.#keyId),
      get watermarkMs() {
        return op.#watermarkMs;
      },
      get processingTimeMs() {
        return op.#clock!.nowMs();
      },
    };
    return {
      get key() {
        return op.#key as K;
      },
      state,
      timers,
      emit(value: O, timestampMs?: number): void {
        op.#out!.emit(derivedRecord(op.#key, value, timestampMs ?? op.#timestampMs, op.#origin));
      },
      output<T>(tag: OutputTag<T>, value: T, timestampMs?: number): void {
        op.#out!.emitTo(tag.name, derivedRecord(op.#key, value, timestampMs ?? op.#timestampMs, op.#origin));
      },
    };
  }
}
