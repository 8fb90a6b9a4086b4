// The closing price of each auction (shared by q4 and q6): the highest bid at or above the
// reserve made in [auction.dateTime, auction.expires), earliest first on equal prices. Emitted
// when the watermark passes the auction's expiry, with timestamp = expires.
import type { Stream } from '../../../src/engine/dsl/stream.ts';
import { defineProcess, listState, valueState } from '../../../src/engine/operators/process-function.ts';
import { type Auction, type Bid, isAuction, isBid, type NexmarkEvent } from '../model.ts';

export interface WinningBid {
  auction: number;
  category: number;
  seller: number;
  price: number;
  dateTime: number;
  expires: number;
}

function better(b: Bid, best: Bid | undefined): boolean {
  return best === undefined || b.price > best.price || (b.price === best.price && b.dateTime < best.dateTime);
}

function valid(b: Bid, a: Auction): boolean {
  return b.dateTime >= a.dateTime && b.dateTime < a.expires && b.price >= a.reserve;
}

const closeAuctions = defineProcess<number, Auction | Bid, WinningBid>()({
  state: { auction: valueState<Auction>(), best: valueState<Bid>(), early: listState<Bid>() },
  processRecord(value, _record, ctx) {
    const { auction, best, early } = ctx.state;
    if (value.type === 'auction') {
      auction.set(value);
      ctx.timers.registerEventTime(value.expires);
      for (const b of early.get()) if (valid(b, value) && better(b, best.get())) best.set(b);
      early.clear();
      return;
    }
    const a = auction.get();
    if (a === undefined) {
      // The auction may still come (it is at most as late as the watermark allows); if the
      // watermark passes this bid first, the bid can never be valid and is dropped.
      early.add(value);
      ctx.timers.registerEventTime(value.dateTime);
    } else if (valid(value, a) && better(value, best.get())) best.set(value);
  },
  onTimer(timeMs, _domain, ctx) {
    const { auction, best, early } = ctx.state;
    const a = auction.get();
    if (a === undefined) {
      early.update(early.get().filter((b) => b.dateTime > timeMs));
      if (early.get().length === 0) early.clear();
      return;
    }
    if (timeMs !== a.expires) return;
    const b = best.get();
    if (b !== undefined) {
      ctx.emit(
        {
          auction: a.id,
          category: a.category,
          seller: a.seller,
          price: b.price,
          dateTime: b.dateTime,
          expires: a.expires,
        },
        a.expires,
      );
    }
    auction.clear();
    best.clear();
  },
});

export function winningBids(events: Stream<null, NexmarkEvent>) {
  const auctions = events.filter(isAuction);
  const bids = events.filter(isBid);
  return auctions
    .union(bids)
    .keyBy((e) => (e.type === 'auction' ? e.id : e.auction))
    .process(closeAuctions);
}
