// q4 (average price per category): the running average of closing prices per category.
// Output: one line {category, avg} each time an auction of that category closes with a winner,
// avg being the mean closing price of all its auctions closed so far (a changelog; the last
// line per category is the final answer).
import type { Stream } from '../../../src/engine/dsl/stream.ts';
import type { NexmarkEvent } from '../model.ts';
import { winningBids } from './winning-bids.ts';

export function q4(events: Stream<null, NexmarkEvent>) {
  return winningBids(events)
    .keyBy((w) => w.category)
    .aggregate({
      init: () => ({ sum: 0, count: 0 }),
      add: (acc, w) => ({ sum: acc.sum + w.price, count: acc.count + 1 }),
      result: (acc) => acc.sum / acc.count,
    })
    .map((avg, record) => ({ category: record.key, avg }));
}
