// Every exchange the crypto app can poll, by its lower-case id.
import type { ExchangeAdapter } from './exchange-adapter.ts';
import { binanceAdapter } from './exchanges/binance.ts';
import { bitfinexAdapter } from './exchanges/bitfinex.ts';
import { bitstampAdapter } from './exchanges/bitstamp.ts';
import { bybitAdapter } from './exchanges/bybit.ts';
import { coinbaseAdapter } from './exchanges/coinbase.ts';
import { geminiAdapter } from './exchanges/gemini.ts';
import { htxAdapter } from './exchanges/htx.ts';
import { krakenAdapter } from './exchanges/kraken.ts';
import { kucoinAdapter } from './exchanges/kucoin.ts';
import { okxAdapter } from './exchanges/okx.ts';
import { poloniexAdapter } from './exchanges/poloniex.ts';

export const exchangeAdapters: Readonly<Record<string, ExchangeAdapter>> = Object.freeze({
  binance: binanceAdapter,
  coinbase: coinbaseAdapter,
  kraken: krakenAdapter,
  bitstamp: bitstampAdapter,
  bitfinex: bitfinexAdapter,
  gemini: geminiAdapter,
  okx: okxAdapter,
  bybit: bybitAdapter,
  kucoin: kucoinAdapter,
  htx: htxAdapter,
  poloniex: poloniexAdapter,
});

export function adapterFor(exchange: string): ExchangeAdapter {
  const adapter = exchangeAdapters[exchange];
  if (adapter === undefined) {
    throw new Error(
      `Unknown exchange '${exchange}': expected one of ${Object.keys(exchangeAdapters).join(', ')}`,
    );
  }
  return adapter;
}
