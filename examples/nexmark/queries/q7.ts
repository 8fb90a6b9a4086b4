// q7 (highest bid): per tumbling 10 s window, the bid(s) with the highest price.
import type { Stream } from '../../../src/engine/dsl/stream.ts';
import { tumbling } from '../../../src/engine/time/windows.ts';
import { type Bid, isBid, type NexmarkEvent } from '../model.ts';

interface Highest {
  price: number;
  bids: Bid[];
}

export function q7(events: Stream<null, NexmarkEvent>) {
  return events
    .filter(isBid)
    .keyBy(() => 0)
    .window(tumbling(10_000))
    .aggregate({
      init: (): Highest => ({ price: -1, bids: [] }),
      add: (acc, b) => {
        if (b.price > acc.price) return { price: b.price, bids: [b] };
        if (b.price === acc.price) acc.bids.push(b);
        return acc;
      },
      result: (acc) => acc.bids,
    })
    .flatMap((w) =>
      w.result.map((b) => ({
        auction: b.auction,
        price: b.price,
        bidder: b.bidder,
        dateTime: b.dateTime,
        window_start: w.windowStartMs,
        window_end: w.windowEndMs,
      })),
    );
}
