// q1 (currency conversion): bid prices from dollars to euros at 0.908.
import type { Stream } from '../../../src/engine/dsl/stream.ts';
import { isBid, type NexmarkEvent } from '../model.ts';

export function q1(events: Stream<null, NexmarkEvent>) {
  return events.filter(isBid).map((b) => ({
    auction: b.auction,
    bidder: b.bidder,
    price: 0.908 * b.price,
    dateTime: b.dateTime,
    extra: b.extra,
  }));
}
