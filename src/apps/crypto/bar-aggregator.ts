// OHLCV of one market's trades in one window, as a window aggregator. Open and close are the
// earliest and latest trades by trade time (ties: arrival order), not by arrival, so a trade
// that arrives a little out of order still lands where it belongs.
import type { Aggregator } from '../../engine/operators/aggregator.ts';
import type { Trade } from './records.ts';

export interface BarTotals {
  readonly exchange: string;
  readonly market: string;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  /** Sum of price x amount, for the vwap. */
  readonly notional: number;
  readonly trades: number;
}

interface BarAccumulator {
  exchange: string;
  market: string;
  open: number;
  openMs: number;
  high: number;
  low: number;
  close: number;
  closeMs: number;
  volume: number;
  notional: number;
  trades: number;
}

export function barAggregator(): Aggregator<Trade, BarAccumulator | null, BarTotals> {
  return {
    init: () => null,
    add(acc, trade) {
      const t = trade.timestampMs;
      if (acc === null) {
        return {
          exchange: trade.exchange,
          market: trade.market,
          open: trade.price,
          openMs: t,
          high: trade.price,
          low: trade.price,
          close: trade.price,
          closeMs: t,
          volume: trade.amount,
          notional: trade.price * trade.amount,
          trades: 1,
        };
      }
      if (t < acc.openMs) {
        acc.open = trade.price;
        acc.openMs = t;
      }
      if (t >= acc.closeMs) {
        acc.close = trade.price;
        acc.closeMs = t;
      }
      if (trade.price > acc.high) acc.high = trade.price;
      if (trade.price < acc.low) acc.low = trade.price;
      acc.volume += trade.amount;
      acc.notional += trade.price * trade.amount;
      acc.trades++;
      return acc;
    },
    result(acc) {
      if (acc === null)
        throw new Error('A bar window closed without trades (the window operator never does this)');
      return {
        exchange: acc.exchange,
        market: acc.market,
        open: acc.open,
        high: acc.high,
        low: acc.low,
        close: acc.close,
        volume: acc.volume,
        notional: acc.notional,
        trades: acc.trades,
      };
    },
  };
}
