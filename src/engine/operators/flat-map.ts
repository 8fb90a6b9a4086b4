import { engineLimits } from '../../limits.ts';
import { EngineError } from '../engine-error.ts';
import { type EngineRecord, withValue } from '../record.ts';
import { StatelessOperator } from './operator.ts';
import type { Output } from './output.ts';

export type FlatMapFunction<K, V, R> = (value: V, record: EngineRecord<K, V>) => Iterable<R>;

/** Zero or more output records per input record, each with the input's key and time. */
export class FlatMapOperator<K, V, R> extends StatelessOperator {
  readonly #fn: FlatMapFunction<K, V, R>;
  readonly #name: string;

  constructor(name: string, fn: FlatMapFunction<K, V, R>) {
    super();
    this.#name = name;
    this.#fn = fn;
  }

  processBatch(records: readonly EngineRecord[], _input: number, out: Output): void {
    for (let i = 0; i < records.length; i++) {
      const r = records[i] as EngineRecord<K, V>;
      let n = 0;
      for (const value of this.#fn(r.value, r)) {
        if (++n > engineLimits.flatMapOutputsMax) {
          throw new EngineError(
            'limit_exceeded',
            `flatMap '${this.#name}' emitted more than ${engineLimits.flatMapOutputsMax} records for offset ${r.offset}`,
          );
        }
        out.main.push(withValue(r, value));
      }
    }
  }
}
