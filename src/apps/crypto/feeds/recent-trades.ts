// The dedupe state of one market: the ids of the newest trades delivered, bounded. A trade is
// a repeat if its id is remembered, or if it is older than every id that had to be forgotten
// (pages overlap by a few trades, never by more than the bound).
import type { Trade } from '../records.ts';

export class RecentTrades {
  readonly #capacity: number;
  readonly #ids = new Map<string, number>();
  /** Newest time among forgotten ids: anything older was delivered or is too old to matter. */
  #forgottenMs = Number.NEGATIVE_INFINITY;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get empty(): boolean {
    return this.#ids.size === 0 && this.#forgottenMs === Number.NEGATIVE_INFINITY;
  }

  seen(trade: Trade): boolean {
    return this.#ids.has(trade.tradeId) || trade.timestampMs < this.#forgottenMs;
  }

  add(trade: Trade): void {
    this.#ids.set(trade.tradeId, trade.timestampMs);
    while (this.#ids.size > this.#capacity) {
      const oldest = this.#ids.entries().next().value;
      if (oldest === undefined) break;
      this.#ids.delete(oldest[0]);
      this.#forgottenMs = Math.max(this.#forgottenMs, oldest[1]);
    }
  }
}

/** Ascending by time, then by id (numerically when both are integers). */
export function compareTrades(a: Trade, b: Trade): number {
  if (a.timestampMs !== b.timestampMs) return a.timestampMs - b.timestampMs;
  const x = Number(a.tradeId);
  const y = Number(b.tradeId);
  if (Number.isFinite(x) && Number.isFinite(y)) return x - y;
  return a.tradeId < b.tradeId ? -1 : a.tradeId > b.tradeId ? 1 : 0;
}
