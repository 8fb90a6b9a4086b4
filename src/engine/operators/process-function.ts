// The low-level operator users write: a function per record and per timer, with keyed state
// declared up front (so its kind and TTL are known before the job runs) and typed handles.
import type { EngineRecord } from '../record.ts';
import type { ListState, MapState, ValueState } from '../state/keyed-state-store.ts';
import type { OutputTag } from './output-tag.ts';

export interface ValueStateDecl<T> {
  readonly kind: 'value';
  readonly ttlMs: number;
  readonly __type?: T;
}
export interface ListStateDecl<T> {
  readonly kind: 'list';
  readonly ttlMs: number;
  readonly __type?: T;
}
export interface MapStateDecl<UK, UV> {
  readonly kind: 'map';
  readonly ttlMs: number;
  readonly __type?: [UK, UV];
}

export type StateDecl = ValueStateDecl<unknown> | ListStateDecl<unknown> | MapStateDecl<unknown, unknown>;
export type StateSpec = Record<string, StateDecl>;

export function valueState<T>(options: { ttlMs?: number } = {}): ValueStateDecl<T> {
  return { kind: 'value', ttlMs: options.ttlMs ?? Number.POSITIVE_INFINITY };
}
export function listState<T>(options: { ttlMs?: number } = {}): ListStateDecl<T> {
  return { kind: 'list', ttlMs: options.ttlMs ?? Number.POSITIVE_INFINITY };
}
export function mapState<UK, UV>(options: { ttlMs?: number } = {}): MapStateDecl<UK, UV> {
  return { kind: 'map', ttlMs: options.ttlMs ?? Number.POSITIVE_INFINITY };
}

export type StateHandles<S extends StateSpec> = {
  readonly [N in keyof S]: S[N] extends ValueStateDecl<infer T>
    ? ValueState<T>
    : S[N] extends ListStateDecl<infer T>
      ? ListState<T>
      : S[N] extends MapStateDecl<infer UK, infer UV>
        ? MapState<UK, UV>
        : never;
};

export interface Timers {
  /** Calls onTimer when the watermark reaches `timeMs` (once per key and time). */
  registerEventTime(timeMs: number): void;
  deleteEventTime(timeMs: number): void;
  /** Calls onTimer when processing time reaches `timeMs`. */
  registerProcessingTime(timeMs: number): void;
  deleteProcessingTime(timeMs: number): void;
  readonly watermarkMs: number;
  readonly processingTimeMs: number;
}

export interface ProcessContext<K, O, S extends StateSpec> {
  readonly key: K;
  readonly state: StateHandles<S>;
  readonly timers: Timers;
  /** Emits on the main output with `timestampMs` (default: the record's or the timer's time). */
  emit(value: O, timestampMs?: number): void;
  /** Emits to a side output. */
  output<T>(tag: OutputTag<T>, value: T, timestampMs?: number): void;
}

export interface ProcessFunction<K, V, O, S extends StateSpec> {
  readonly state: S;
  processRecord(value: V, record: EngineRecord<K, V>, context: ProcessContext<K, O, S>): void;
  onTimer?(timeMs: number, domain: 'event' | 'processing', context: ProcessContext<K, O, S>): void;
}

/**
 * Fixes a process function's key, value and output types and infers its state from `state`:
 * `defineProcess<number, Bid, Alert>()({ state: { n: valueState<number>() }, processRecord ... })`.
 */
export function defineProcess<K, V, O>(): <S extends StateSpec>(
  fn: ProcessFunction<K, V, O, S>,
) => ProcessFunction<K, V, O, S> {
  return (fn) => fn;
}
