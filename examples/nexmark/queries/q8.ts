// q8 (monitor new users): persons who registered and opened an auction in the same tumbling
// 10 s window.
import type { Stream } from '../../../src/engine/dsl/stream.ts';
import { tumbling } from '../../../src/engine/time/windows.ts';
import { isAuction, isPerson, type NexmarkEvent } from '../model.ts';

export function q8(events: Stream<null, NexmarkEvent>) {
  const persons = events.filter(isPerson);
  const auctions = events.filter(isAuction);
  return persons
    .union(auctions)
    .keyBy((e) => (e.type === 'person' ? e.id : e.seller))
    .window(tumbling(10_000))
    .aggregate({
      init: () => ({ name: null as string | null, auctions: 0 }),
      add: (acc, e) =>
        e.type === 'person' ? { ...acc, name: e.name } : { ...acc, auctions: acc.auctions + 1 },
      result: (acc) => acc,
    })
    .filter((w) => w.result.name !== null && w.result.auctions > 0)
    .map((w) => ({ id: w.key, name: w.result.name, window_start: w.windowStartMs }));
}
