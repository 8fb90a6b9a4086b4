import type { EngineRecord } from '../record.ts';
import { StatelessOperator } from './operator.ts';
import type { Output } from './output.ts';

/** Merges its inputs into one stream; the merged watermark is the minimum of the inputs'. */
export class UnionOperator extends StatelessOperator {
  processBatch(records: readonly EngineRecord[], _input: number, out: Output): void {
    const main = out.main;
    for (let i = 0; i < records.length; i++) main.push(records[i]!);
  }
}
