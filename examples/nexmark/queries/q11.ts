// q11 (user sessions): bids per bidder session, a session ending after 10 s without bids;
// window_end is the last bid's time + 10 s. A bid exactly 10 s after the previous one still
// joins the session (windows that touch merge).
import type { Stream } from '../../../src/engine/dsl/stream.ts';
import { session } from '../../../src/engine/time/windows.ts';
import { isBid, type NexmarkEvent } from '../model.ts';

export function q11(events: Stream<null, NexmarkEvent>) {
  return events
    .filter(isBid)
    .keyBy((b) => b.bidder)
    .window(session(10_000))
    .count()
    .map((w) => ({
      bidder: w.key,
      bid_count: w.result,
      window_start: w.windowStartMs,
      window_end: w.windowEndMs,
    }));
}
