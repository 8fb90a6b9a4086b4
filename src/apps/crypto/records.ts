// The crypto app's records and topics: the contract between the trade feeds (generator and
// exchange pollers), the spike-detection job and the dashboard. Every topic carries JSON values
// keyed by the market id `${exchange}:${market}` (e.g. `kraken:BTC-USD`), so one market's
// records stay in one partition and in order; record timestamps are event time (trade time).

export const cryptoTopics = {
  /** Every trade, from the generator or the exchange pollers. */
  trades: 'crypto.trades',
  /** One scored bar per market and bar window (OHLCV + the model's spike probability). */
  bars: 'crypto.bars',
  /** The bars the model flagged as spikes: the alerts feed. */
  spikes: 'crypto.spikes',
} as const;

export type TradeSide = 'buy' | 'sell';

export interface Trade {
  /** Lower-case exchange id, e.g. `binance`. */
  readonly exchange: string;
  /** Base-quote pair in upper case, e.g. `BTC-USD`. */
  readonly market: string;
  readonly price: number;
  /** Base-currency amount traded. */
  readonly amount: number;
  /** The taker's side. */
  readonly side: TradeSide;
  /** The exchange's id for the trade (unique per exchange and market). */
  readonly tradeId: string;
  /** Trade time, milliseconds since the epoch. */
  readonly timestampMs: number;
}

/** OHLCV of one market over one bar window [windowStartMs, windowEndMs). */
export interface Bar {
  readonly exchange: string;
  readonly market: string;
  readonly windowStartMs: number;
  readonly windowEndMs: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  /** Base-currency volume. */
  readonly volume: number;
  readonly trades: number;
  /** Volume-weighted average price. */
  readonly vwap: number;
}

/** A bar with the features the model saw and its verdict. */
export interface ScoredBar extends Bar {
  /** close / previous bar's close - 1 (0 for a market's first bar). */
  readonly returnPct: number;
  /** The bar's log return in units of the market's recent volatility. */
  readonly zScore: number;
  /** This bar's volume over the market's recent average volume. */
  readonly volumeRatio: number;
  /** The model's probability that this bar is a price spike, 0..1. */
  readonly probability: number;
  readonly spike: boolean;
}

/** A detected spike: the alerts feed. */
export interface Spike extends ScoredBar {
  readonly direction: 'up' | 'down';
}

export function marketId(exchange: string, market: string): string {
  return `${exchange}:${market}`;
}
