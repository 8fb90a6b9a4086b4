// q2 (selection): bids on auctions whose id is a multiple of 123.
import type { Stream } from '../../../src/engine/dsl/stream.ts';
import { isBid, type NexmarkEvent } from '../model.ts';

export function q2(events: Stream<null, NexmarkEvent>) {
  return events
    .filter(isBid)
    .filter((b) => b.auction % 123 === 0)
    .map((b) => ({ auction: b.auction, price: b.price }));
}
