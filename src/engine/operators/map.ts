import { type EngineRecord, withValue } from '../record.ts';
import { StatelessOperator } from './operator.ts';
import type { Output } from './output.ts';

export type MapFunction<K, V, R> = (value: V, record: EngineRecord<K, V>) => R;

/** One output record per input record, same key and time. */
export class MapOperator<K, V, R> extends StatelessOperator {
  readonly #fn: MapFunction<K, V, R>;

  constructor(fn: MapFunction<K, V, R>) {
    super();
    this.#fn = fn;
  }

  processBatch(records: readonly EngineRecord[], _input: number, out: Output): void {
    const fn = this.#fn;
    const main = out.main;
    for (let i = 0; i < records.length; i++) {
      const r = records[i] as EngineRecord<K, V>;
      main.push(withValue(r, fn(r.value, r)));
    }
  }
}
