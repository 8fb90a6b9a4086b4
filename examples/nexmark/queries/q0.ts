// q0 (pass-through): every bid, unchanged, without its `type` field.
import type { Stream } from '../../../src/engine/dsl/stream.ts';
import { isBid, type NexmarkEvent } from '../model.ts';

export function q0(events: Stream<null, NexmarkEvent>) {
  return events.filter(isBid).map(({ type: _type, ...bid }) => bid);
}
