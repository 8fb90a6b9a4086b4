import { type EngineRecord, withKey } from '../record.ts';
import { StatelessOperator } from './operator.ts';
import type { Output } from './output.ts';

export type KeyFunction<V, K> = (value: V, record: EngineRecord<unknown, V>) => K;

/** Sets each record's key; the edge after it shuffles records to the task owning the key. */
export class KeyByOperator<V, K> extends StatelessOperator {
  readonly #fn: KeyFunction<V, K>;

  constructor(fn: KeyFunction<V, K>) {
    super();
    this.#fn = fn;
  }

  processBatch(records: readonly EngineRecord[], _input: number, out: Output): void {
    const fn = this.#fn;
    const main = out.main;
    for (let i = 0; i < records.length; i++) {
      const r = records[i] as EngineRecord<unknown, V>;
      main.push(withKey(r, fn(r.value, r)));
    }
  }
}
