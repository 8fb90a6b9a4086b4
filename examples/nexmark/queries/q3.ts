// q3 (local item suggestion): auctions of category 10 by sellers in OR, ID or CA, joined with
// the seller as an incremental join: whichever side arrives second produces the output, so the
// result does not depend on the order the two streams are read in.

import type { Stream } from '../../../src/engine/dsl/stream.ts';
import { defineProcess, listState, valueState } from '../../../src/engine/operators/process-function.ts';
import { type Auction, isAuction, isPerson, type NexmarkEvent, type Person } from '../model.ts';

export interface Q3Result {
  name: string;
  city: string;
  state: string;
  id: number;
}

const states = new Set(['OR', 'ID', 'CA']);

const joinSellers = defineProcess<number, Person | Auction, Q3Result>()({
  state: { person: valueState<Person>(), auctions: listState<number>() },
  processRecord(value, _record, ctx) {
    const emit = (p: Person, id: number) => ctx.emit({ name: p.name, city: p.city, state: p.state, id });
    if (value.type === 'person') {
      ctx.state.person.set(value);
      for (const id of ctx.state.auctions.get()) emit(value, id);
      ctx.state.auctions.clear();
      return;
    }
    const person = ctx.state.person.get();
    if (person === undefined) ctx.state.auctions.add(value.id);
    else emit(person, value.id);
  },
});

export function q3(events: Stream<null, NexmarkEvent>) {
  const persons = events.filter(isPerson).filter((p) => states.has(p.state));
  const auctions = events.filter(isAuction).filter((a) => a.category === 10);
  return persons
    .union(auctions)
    .keyBy((e) => (e.type === 'person' ? e.id : e.seller))
    .process(joinSellers);
}
