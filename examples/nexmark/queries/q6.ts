// q6 (average selling price by seller): per seller, the mean closing price of their last 10
// closed auctions. Output: one line {seller, avg} each time one of the seller's auctions closes
// with a winner (a changelog; auctions close in expiry order).
import type { Stream } from '../../../src/engine/dsl/stream.ts';
import type { NexmarkEvent } from '../model.ts';
import { winningBids } from './winning-bids.ts';

export function q6(events: Stream<null, NexmarkEvent>) {
  return winningBids(events)
    .keyBy((w) => w.seller)
    .aggregate({
      init: (): number[] => [],
      add: (prices, w) => [...prices.slice(-9), w.price],
      result: (prices) => prices.reduce((a, b) => a + b, 0) / prices.length,
    })
    .map((avg, record) => ({ seller: record.key, avg }));
}
