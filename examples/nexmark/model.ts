// Nexmark's three event types as they appear in events.jsonl (times are epoch ms).

export interface Person {
  readonly type: 'person';
  readonly id: number;
  readonly name: string;
  readonly emailAddress: string;
  readonly creditCard: string;
  readonly city: string;
  readonly state: string;
  readonly dateTime: number;
  readonly extra: string;
}

export interface Auction {
  readonly type: 'auction';
  readonly id: number;
  readonly itemName: string;
  readonly description: string;
  readonly initialBid: number;
  readonly reserve: number;
  readonly dateTime: number;
  readonly expires: number;
  readonly seller: number;
  readonly category: number;
  readonly extra: string;
}

export interface Bid {
  readonly type: 'bid';
  readonly auction: number;
  readonly bidder: number;
  readonly price: number;
  readonly channel: string;
  readonly url: string;
  readonly dateTime: number;
  readonly extra: string;
}

export type NexmarkEvent = Person | Auction | Bid;

export const isBid = (e: NexmarkEvent): e is Bid => e.type === 'bid';
export const isAuction = (e: NexmarkEvent): e is Auction => e.type === 'auction';
export const isPerson = (e: NexmarkEvent): e is Person => e.type === 'person';

/** The out-of-orderness events.jsonl may have, and the watermark bound every query uses. */
export const nexmarkOutOfOrdernessMs = 5000;
