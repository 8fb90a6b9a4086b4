// Stream-table join: input 1 is a table's changelog (a compacted topic: the latest value per
// key, null or undefined deletes), materialised as keyed state; each record of input 0 looks
// up its key in the table as it is when the record arrives (processing order, like Kafka
// Streams' KStream-KTable join without timestamp synchronisation).
import { type EngineRecord, withValue } from '../record.ts';
import { keyId } from '../state/key-id.ts';
import { KeyedStateStore, type ValueState } from '../state/keyed-state-store.ts';
import { decodeSnapshot, encodeSnapshot } from '../state/snapshot-codec.ts';
import type { StateDescriptor } from '../state/state-descriptor.ts';
import { type OperatorContext, StatelessOperator } from './operator.ts';
import type { Output } from './output.ts';

export type TableJoinFunction<K, V, T, O> = (value: V, row: T, key: K) => O;

export class TableJoinOperator<K, V, T, O> extends StatelessOperator {
  override readonly state: readonly StateDescriptor[] = [
    { name: 'table', kind: 'table', ttlMs: Number.POSITIVE_INFINITY },
  ];
  readonly #fn: TableJoinFunction<K, V, T | undefined, O>;
  readonly #leftJoin: boolean;
  #store: KeyedStateStore | null = null;
  #table: ValueState<T> | null = null;
  #name = '';

  /** With leftJoin, records without a row join with undefined; otherwise they are dropped. */
  constructor(fn: TableJoinFunction<K, V, T | undefined, O>, leftJoin: boolean) {
    super();
    this.#fn = fn;
    this.#leftJoin = leftJoin;
  }

  override open(context: OperatorContext): Promise<void> {
    this.#name = context.instanceName;
    this.#store = new KeyedStateStore(context.instanceName, context.budget, context.clock);
    this.#table = this.#store.value<T>('table', Number.POSITIVE_INFINITY);
    return Promise.resolve();
  }

  processBatch(records: readonly EngineRecord[], inputIndex: number, out: Output): void {
    const store = this.#store!;
    const table = this.#table!;
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      store.setCurrentKey(keyId(r.key), r.key);
      if (inputIndex === 1) {
        if (r.value === null || r.value === undefined) table.clear();
        else table.set(r.value as T);
        continue;
      }
      const row = table.get();
      if (row === undefined && !this.#leftJoin) continue;
      out.emit(withValue(r, this.#fn(r.value as V, row, r.key as K)));
    }
  }

  override snapshot(): Uint8Array {
    return encodeSnapshot(this.#store!.snapshot());
  }

  override restore(snapshot: Uint8Array): void {
    this.#store!.restore(decodeSnapshot(snapshot, this.#name));
  }
}
