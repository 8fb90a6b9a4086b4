import type { EngineRecord } from '../record.ts';
import { StatelessOperator } from './operator.ts';
import type { Output } from './output.ts';

export type FilterFunction<K, V> = (value: V, record: EngineRecord<K, V>) => boolean;

/** Passes the records (the same objects) for which the predicate holds. */
export class FilterOperator<K, V> extends StatelessOperator {
  readonly #fn: FilterFunction<K, V>;

  constructor(fn: FilterFunction<K, V>) {
    super();
    this.#fn = fn;
  }

  processBatch(records: readonly EngineRecord[], _input: number, out: Output): void {
    const fn = this.#fn;
    const main = out.main;
    for (let i = 0; i < records.length; i++) {
      const r = records[i] as EngineRecord<K, V>;
      if (fn(r.value, r)) main.push(r);
    }
  }
}
