// A deterministic Nexmark event generator (after the Beam/Flink reference): of every 50 events
// 1 is a person, 3 are auctions and 46 are bids; half the bids go to a hot auction and three
// quarters come from hot bidders; event time advances at `eventsPerSecond`; optional jitter
// moves events up to `outOfOrderMs` earlier in the output order.
import type { Auction, Bid, NexmarkEvent, Person } from './model.ts';

export interface GeneratorOptions {
  readonly events: number;
  readonly eventsPerSecond: number;
  readonly startMs: number;
  readonly seed: number;
  /** Max distance in event time by which the output may be out of order (0: in order). */
  readonly outOfOrderMs: number;
}

const firstPersonId = 1000;
const firstAuctionId = 1000;
const hotAuctionRatio = 2;
const hotBidderRatio = 4;
const hotSellerRatio = 4;
const states = ['AZ', 'CA', 'ID', 'OR', 'WA', 'WY'];
const cities = [
  'Phoenix',
  'Los Angeles',
  'San Francisco',
  'Boise',
  'Portland',
  'Bend',
  'Redmond',
  'Seattle',
  'Kent',
  'Cheyenne',
];
const names = [
  'Peter',
  'Paul',
  'Luke',
  'John',
  'Saul',
  'Vicky',
  'Kate',
  'Julie',
  'Sarah',
  'Deiter',
  'Walter',
];
const surnames = ['Shultz', 'Abrams', 'Spencer', 'White', 'Bartels', 'Walton', 'Smith', 'Jones', 'Noris'];
const channels = ['apple', 'google', 'facebook', 'baidu'];

/** xorshift32: small, fast and reproducible across platforms. */
function random(seed: number): () => number {
  let x = seed | 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

export function* generateEvents(options: GeneratorOptions): Generator<NexmarkEvent> {
  const rnd = random(options.seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]) => xs[int(xs.length)]!;
  const interEventMs = 1000 / options.eventsPerSecond;
  let persons = 0;
  let auctions = 0;
  // A bounded reorder buffer: events leave it once no earlier-timed event can follow them.
  const pending: NexmarkEvent[] = [];
  for (let n = 0; n < options.events; n++) {
    const dateTime = options.startMs + Math.floor(n * interEventMs);
    const offset = n % 50;
    let event: NexmarkEvent;
    if (offset < 1) {
      const person: Person = {
        type: 'person',
        id: firstPersonId + persons++,
        name: `${pick(names)} ${pick(surnames)}`,
        emailAddress: `${pick(names).toLowerCase()}@example.com`,
        creditCard: `${1000 + int(9000)} ${1000 + int(9000)} ${1000 + int(9000)} ${1000 + int(9000)}`,
        city: pick(cities),
        state: pick(states),
        dateTime,
        extra: '',
      };
      event = person;
    } else if (offset < 4) {
      const seller =
        persons === 0
          ? firstPersonId
          : int(hotSellerRatio) > 0
            ? firstPersonId + persons - 1
            : firstPersonId + int(persons);
      const initialBid = 1 + int(100);
      const auction: Auction = {
        type: 'auction',
        id: firstAuctionId + auctions++,
        itemName: `item-${int(1000)}`,
        description: 'a nexmark item',
        initialBid,
        reserve: initialBid + int(100),
        dateTime,
        expires: dateTime + 2000 + int(20_000),
        seller,
        category: 10 + int(5),
        extra: '',
      };
      event = auction;
    } else {
      const lastAuction = firstAuctionId + Math.max(auctions - 1, 0);
      const auction =
        int(hotAuctionRatio) > 0
          ? Math.floor(lastAuction / hotAuctionRatio) * hotAuctionRatio
          : firstAuctionId + int(Math.max(auctions, 1));
      const lastPerson = firstPersonId + Math.max(persons - 1, 0);
      const bidder =
        int(hotBidderRatio) > 0
          ? Math.floor(lastPerson / hotBidderRatio) * hotBidderRatio + 1
          : firstPersonId + int(Math.max(persons, 1));
      const channel = pick(channels);
      const bid: Bid = {
        type: 'bid',
        auction,
        bidder,
        price: 1 + int(10_000),
        channel,
        url: `https://www.nexmark.com/${channel}/item.htm?query=1`,
        dateTime,
        extra: '',
      };
      event = bid;
    }
    if (options.outOfOrderMs === 0) {
      yield event;
      continue;
    }
    // Insert at a random earlier position among events at most outOfOrderMs older.
    let at = pending.length;
    const steps = int(8);
    for (let s = 0; s < steps && at > 0 && dateTime - pending[at - 1]!.dateTime < options.outOfOrderMs; s++)
      at--;
    pending.splice(at, 0, event);
    while (pending.length > 0 && dateTime - pending[0]!.dateTime >= options.outOfOrderMs)
      yield pending.shift()!;
    if (pending.length > 64) yield pending.shift()!;
  }
  while (pending.length > 0) yield pending.shift()!;
}
