// A running aggregation per key over an unbounded keyed stream: every input record updates its
// key's accumulator. Without an output mode it emits the new result for every record (a
// changelog), with the input's time; in update mode it emits each changed key's latest result
// once per trigger (barrier), in complete mode every key's result at every trigger.
import { derivedRecord, type EngineRecord, withValue } from '../record.ts';
import { keyId } from '../state/key-id.ts';
import { KeyedStateStore, type ValueState } from '../state/keyed-state-store.ts';
import { decodeSnapshot, encodeSnapshot } from '../state/snapshot-codec.ts';
import type { StateDescriptor } from '../state/state-descriptor.ts';
import type { Aggregator } from './aggregator.ts';
import { type OperatorContext, type OutputMode, StatelessOperator } from './operator.ts';
import type { Output } from './output.ts';

export class KeyedAggregateOperator<V, A, R> extends StatelessOperator {
  override readonly state: readonly StateDescriptor[];
  readonly #aggregator: Aggregator<V, A, R>;
  readonly #ttlMs: number;
  #store: KeyedStateStore | null = null;
  #acc: ValueState<A> | null = null;
  #name = '';
  #mode: OutputMode | null = null;
  /** Update mode: the latest record per key changed since the last trigger (emptied at barriers). */
  #changed = new Map<string, EngineRecord>();
  /** Complete mode: results carry the newest event time seen, as of the trigger. */
  #maxTimestampMs = 0;

  constructor(aggregator: Aggregator<V, A, R>, ttlMs: number) {
    super();
    this.#aggregator = aggregator;
    this.#ttlMs = ttlMs;
    this.state = [{ name: 'accumulator', kind: 'value', ttlMs }];
  }

  override open(context: OperatorContext): Promise<void> {
    this.#name = context.instanceName;
    this.#mode = context.outputMode;
    this.#store = new KeyedStateStore(context.instanceName, context.budget, context.clock);
    this.#acc = this.#store.value<A>('accumulator', this.#ttlMs);
    return Promise.resolve();
  }

  processBatch(records: readonly EngineRecord[], _input: number, out: Output): void {
    const store = this.#store!;
    const accState = this.#acc!;
    const agg = this.#aggregator;
    for (let i = 0; i < records.length; i++) {
      const r = records[i] as EngineRecord<unknown, V>;
      store.setCurrentKey(keyId(r.key), r.key);
      const acc = agg.add(accState.get() ?? agg.init(), r.value, r);
      accState.set(acc);
      if (this.#mode === null) out.emit(withValue(r, agg.result(acc)));
      else {
        this.#changed.set(keyId(r.key), r);
        if (r.timestamp > this.#maxTimestampMs) this.#maxTimestampMs = r.timestamp;
      }
    }
  }

  override onBarrier(_checkpointId: number, out: Output): void {
    const mode = this.#mode;
    if (mode === null) return;
    const store = this.#store!;
    const accState = this.#acc!;
    const agg = this.#aggregator;
    if (mode === 'complete') {
      for (const [, key, value] of store.entries<A>('accumulator'))
        out.emit(derivedRecord(key, agg.result(value), this.#maxTimestampMs, null));
    } else {
      for (const [id, r] of this.#changed) {
        store.setCurrentKey(id, r.key);
        const acc = accState.get();
        if (acc !== undefined) out.emit(withValue(r, agg.result(acc)));
      }
    }
    this.#changed.clear();
  }

  override onProcessingTime(): void {
    if (this.#ttlMs !== Number.POSITIVE_INFINITY) this.#store!.sweepExpired(10_000);
  }

  override snapshot(): Uint8Array {
    return encodeSnapshot(this.#store!.snapshot());
  }

  override restore(snapshot: Uint8Array): void {
    this.#store!.restore(decodeSnapshot(snapshot, this.#name));
  }
}
