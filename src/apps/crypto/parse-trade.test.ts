import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTrade, TradeFormatError } from './parse-trade.ts';

const trade = {
  exchange: 'kraken',
  market: 'BTC-USD',
  price: 64_000.5,
  amount: 0.25,
  side: 'buy',
  tradeId: '42',
  timestampMs: 1_700_000_000_000,
};

test('a well-formed trade is kept as it is', () => {
  assert.deepEqual(parseTrade(trade), trade);
});

test('each malformed field is refused with its name and value', () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ ...trade, price: -1 }, /'price' must be a positive number, got -1/],
    [{ ...trade, amount: 'lots' }, /'amount' must be a positive number, got "lots"/],
    [{ ...trade, side: 'short' }, /'side' must be "buy" or "sell", got "short"/],
    [{ ...trade, exchange: '' }, /'exchange' must be a non-empty string, got ""/],
    [{ ...trade, timestampMs: 1.5 }, /'timestampMs' must be milliseconds since the epoch, got 1.5/],
    [{ ...trade, tradeId: undefined }, /'tradeId' must be a non-empty string, got undefined/],
  ];
  for (const [value, message] of cases) assert.throws(() => parseTrade(value), message);
  assert.throws(() => parseTrade([1, 2]), TradeFormatError);
  assert.throws(() => parseTrade(null), /a trade must be a JSON object, got null/);
});
