import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Trade } from '../records.ts';
import { compareTrades, RecentTrades } from './recent-trades.ts';

function trade(id: string, timestampMs: number): Trade {
  return { exchange: 'x', market: 'A-B', price: 1, amount: 1, side: 'buy', tradeId: id, timestampMs };
}

describe('RecentTrades', () => {
  it('remembers ids up to its capacity, then treats anything older than the forgotten as seen', () => {
    const recent = new RecentTrades(2);
    assert.ok(recent.empty);
    recent.add(trade('1', 10));
    recent.add(trade('2', 20));
    recent.add(trade('3', 30));
    assert.ok(!recent.empty);
    assert.ok(recent.seen(trade('2', 20)));
    assert.ok(recent.seen(trade('3', 30)));
    // '1' (at 10 ms) was forgotten: anything older still counts as delivered; trades at 10 ms
    // itself do not, so a new trade sharing that millisecond is never dropped.
    assert.ok(recent.seen(trade('0', 9)));
    assert.ok(!recent.seen(trade('4', 31)));
    assert.ok(!recent.seen(trade('1b', 10)), 'a new id at the forgotten time is new');
  });
});

describe('compareTrades()', () => {
  it('orders by time, then by numeric id, then by id text', () => {
    const sorted = [trade('10', 2), trade('9', 2), trade('b', 1), trade('a', 1)].sort(compareTrades);
    assert.deepEqual(
      sorted.map((t) => t.tradeId),
      ['a', 'b', '9', '10'],
    );
  });
});
