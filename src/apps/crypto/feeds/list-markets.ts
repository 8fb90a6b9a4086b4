// Lists an exchange's tradable markets from its public symbols endpoint (one request).

import { FeedHttpError } from './errors.ts';
import type { MarketInfo } from './exchange-adapter.ts';
import { adapterFor } from './exchange-adapters.ts';
import { type FetchFn, httpGetJson, requestUrl } from './http-get.ts';

export interface ListMarketsOptions {
  /** Overrides the adapter's base URL (tests, proxies). */
  baseUrl?: string;
  fetch?: FetchFn;
  signal?: AbortSignal;
}

export async function listMarkets(exchange: string, options: ListMarketsOptions = {}): Promise<MarketInfo[]> {
  const adapter = adapterFor(exchange);
  const url = requestUrl(options.baseUrl ?? adapter.baseUrl, adapter.marketsRequest());
  const answer = await httpGetJson(url, {
    fetch: options.fetch ?? fetch,
    signal: options.signal ?? new AbortController().signal,
    nowMs: Date.now(),
  });
  if (answer.status < 200 || answer.status > 299) {
    throw new FeedHttpError(exchange, 'markets', answer.status, url, answer.text);
  }
  return adapter.parseMarkets(answer.body);
}
