import type { EngineRecord } from '../record.ts';
import { StatelessOperator } from './operator.ts';
import type { Output } from './output.ts';

export type BranchPredicate<K, V> = (value: V, record: EngineRecord<K, V>) => boolean;

/** Port of branch `index`; records matching no predicate go to branchRestPort. */
export function branchPort(index: number): string {
  return `branch-${index}`;
}

export const branchRestPort = 'branch-rest';

/** Sends each record to the first branch whose predicate holds, or to the rest branch. */
export class BranchOperator<K, V> extends StatelessOperator {
  readonly #predicates: readonly BranchPredicate<K, V>[];
  readonly #ports: readonly string[];

  constructor(predicates: readonly BranchPredicate<K, V>[]) {
    super();
    this.#predicates = predicates;
    this.#ports = predicates.map((_, i) => branchPort(i));
  }

  processBatch(records: readonly EngineRecord[], _input: number, out: Output): void {
    const predicates = this.#predicates;
    for (let i = 0; i < records.length; i++) {
      const r = records[i] as EngineRecord<K, V>;
      let port = branchRestPort;
      for (let p = 0; p < predicates.length; p++) {
        if (predicates[p]!(r.value, r)) {
          port = this.#ports[p]!;
          break;
        }
      }
      out.emitTo(port, r);
    }
  }
}
