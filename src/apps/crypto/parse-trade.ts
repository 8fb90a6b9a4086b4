// A trade read from outside (a JSON-lines file being replayed, a record of another producer)
// checked field by field against the Trade contract, so a bad line is refused with the field
// and the value that made it bad instead of reaching the job.
import type { Trade } from './records.ts';

export class TradeFormatError extends Error {
  override readonly name = 'TradeFormatError';
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The Trade in `value` (a parsed JSON object); throws TradeFormatError naming the bad field. */
export function parseTrade(value: unknown): Trade {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new TradeFormatError(`a trade must be a JSON object, got ${describe(value)}`);
  const v = value as Record<string, unknown>;
  const text = (field: string): string => {
    const x = v[field];
    if (typeof x !== 'string' || x === '')
      throw new TradeFormatError(`trade field '${field}' must be a non-empty string, got ${describe(x)}`);
    return x;
  };
  const positive = (field: string): number => {
    const x = v[field];
    if (typeof x !== 'number' || !Number.isFinite(x) || x <= 0)
      throw new TradeFormatError(`trade field '${field}' must be a positive number, got ${describe(x)}`);
    return x;
  };
  // Checked in the contract's field order, so the first bad field is the one reported.
  const exchange = text('exchange');
  const market = text('market');
  const price = positive('price');
  const amount = positive('amount');
  const side = v.side;
  if (side !== 'buy' && side !== 'sell')
    throw new TradeFormatError(`trade field 'side' must be "buy" or "sell", got ${describe(side)}`);
  const tradeId = text('tradeId');
  const timestampMs = v.timestampMs;
  if (typeof timestampMs !== 'number' || !Number.isSafeInteger(timestampMs) || timestampMs < 0)
    throw new TradeFormatError(
      `trade field 'timestampMs' must be milliseconds since the epoch, got ${describe(timestampMs)}`,
    );
  return { exchange, market, price, amount, side, tradeId, timestampMs };
}
