// How keyed and windowed aggregations fold values. `merge` combines two accumulators; session
// windows need it because sessions merge when a record bridges them.
import type { EngineRecord } from '../record.ts';

export interface Aggregator<V, A, R> {
  init(): A;
  add(accumulator: A, value: V, record: EngineRecord<unknown, V>): A;
  result(accumulator: A): R;
  merge?(a: A, b: A): A;
}

export type MergeableAggregator<V, A, R> = Aggregator<V, A, R> & { merge(a: A, b: A): A };

export function countAggregator(): MergeableAggregator<unknown, number, number> {
  return { init: () => 0, add: (n) => n + 1, result: (n) => n, merge: (a, b) => a + b };
}

/** Reduce with `combine`; the accumulator is undefined until the first value. */
export function reduceAggregator<V>(combine: (a: V, b: V) => V): MergeableAggregator<V, V | undefined, V> {
  return {
    init: () => undefined,
    add: (acc, value) => (acc === undefined ? value : combine(acc, value)),
    result: (acc) => acc as V,
    merge: (a, b) => (a === undefined ? b : b === undefined ? a : combine(a, b)),
  };
}
