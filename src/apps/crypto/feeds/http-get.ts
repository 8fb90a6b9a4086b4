// One GET of a JSON body with a deadline and a size bound. Answers every status (the poller
// decides what to retry) and parses Retry-After, which exchanges send with 429 and 503.
import type { FeedRequest } from './exchange-adapter.ts';
import { feedLimits } from './limits.ts';

export interface HttpAnswer {
  readonly status: number;
  readonly url: string;
  /** Parsed JSON for a 2xx answer; the raw text otherwise (for the error message). */
  readonly body: unknown;
  readonly text: string;
  /** From Retry-After (seconds or an HTTP date), clipped to retryAfterMsMax; null if absent. */
  readonly retryAfterMs: number | null;
}

export type FetchFn = typeof fetch;

export function requestUrl(baseUrl: string, request: FeedRequest): string {
  const url = new URL(baseUrl.replace(/\/+$/, '') + request.path);
  for (const [key, value] of Object.entries(request.query)) url.searchParams.set(key, value);
  return url.toString();
}

export function parseRetryAfterMs(header: string | null, nowMs: number): number | null {
  if (header === null || header.trim() === '') return null;
  const text = header.trim();
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(text)) ms = Number(text) * 1000;
  else {
    const at = Date.parse(text);
    if (!Number.isFinite(at)) return null;
    ms = at - nowMs;
  }
  return Math.min(Math.max(0, Math.ceil(ms)), feedLimits.retryAfterMsMax);
}

export async function httpGetJson(
  url: string,
  options: { fetch: FetchFn; signal: AbortSignal; nowMs: number },
): Promise<HttpAnswer> {
  const signal = AbortSignal.any([options.signal, AbortSignal.timeout(feedLimits.requestTimeoutMs)]);
  const response = await options.fetch(url, {
    signal,
    // Coinbase rejects requests without a User-Agent.
    headers: { accept: 'application/json', 'user-agent': 'sluice-crypto-feeds/1' },
  });
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > feedLimits.responseBytesMax) {
    await response.body?.cancel();
    throw new Error(`GET ${url}: body of ${declared} bytes exceeds ${feedLimits.responseBytesMax}`);
  }
  const text = await response.text();
  if (text.length > feedLimits.responseBytesMax) {
    throw new Error(`GET ${url}: body of ${text.length} characters exceeds ${feedLimits.responseBytesMax}`);
  }
  const retryAfterMs = parseRetryAfterMs(response.headers.get('retry-after'), options.nowMs);
  let body: unknown = text;
  if (response.ok) {
    try {
      body = JSON.parse(text);
    } catch {
      // Left as text: the adapter's checks report it as the offending value.
    }
  }
  return { status: response.status, url, body, text, retryAfterMs };
}
