// q5 (hot items): per hopping window of 10 s every 2 s, the auction(s) with the most bids.
import type { Stream } from '../../../src/engine/dsl/stream.ts';
import { defineProcess, listState } from '../../../src/engine/operators/process-function.ts';
import type { Windowed } from '../../../src/engine/operators/windowed.ts';
import { hopping } from '../../../src/engine/time/windows.ts';
import { isBid, type NexmarkEvent } from '../model.ts';

export interface Q5Result {
  auction: number;
  num: number;
  window_start: number;
  window_end: number;
}

/** Collects a window's counts (keyed by window start) and emits the maxima when it closes. */
const hottest = defineProcess<number, Windowed<number, number>, Q5Result>()({
  state: { counts: listState<Windowed<number, number>>() },
  processRecord(value, record, ctx) {
    ctx.state.counts.add(value);
    ctx.timers.registerEventTime(record.timestamp);
  },
  onTimer(_timeMs, _domain, ctx) {
    const counts = ctx.state.counts.get();
    let max = 0;
    for (const c of counts) if (c.result > max) max = c.result;
    for (const c of counts) {
      if (c.result === max) {
        ctx.emit({ auction: c.key, num: c.result, window_start: c.windowStartMs, window_end: c.windowEndMs });
      }
    }
    ctx.state.counts.clear();
  },
});

export function q5(events: Stream<null, NexmarkEvent>) {
  return events
    .filter(isBid)
    .keyBy((b) => b.auction)
    .window(hopping(10_000, 2_000))
    .count()
    .keyBy((w) => w.windowStartMs)
    .process(hottest);
}
