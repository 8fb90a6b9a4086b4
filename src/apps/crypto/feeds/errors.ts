// The two ways a feed request fails: the exchange answered with an HTTP error, or it answered
// with a body that is not the documented format. Both name the exchange, the market and the
// value that was wrong, so a log line is enough to find the problem.
import { feedLimits } from './limits.ts';

/** Quotes a value for an error message, shortened to a bounded length. */
export function preview(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  const max = feedLimits.errorValueCharsMax;
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** A response body that is not what the exchange documents (or an error envelope). */
export class FeedResponseError extends Error {
  override readonly name = 'FeedResponseError';
  constructor(
    readonly exchange: string,
    readonly market: string,
    detail: string,
  ) {
    super(`${exchange} ${market}: ${detail}`);
  }
}

/** A non-2xx answer (after retries, for the retriable ones). */
export class FeedHttpError extends Error {
  override readonly name = 'FeedHttpError';
  constructor(
    readonly exchange: string,
    readonly market: string,
    readonly status: number,
    readonly url: string,
    body: string,
  ) {
    super(`${exchange} ${market}: GET ${url} answered HTTP ${status}: ${preview(body)}`);
  }

  get retriable(): boolean {
    return this.status === 429 || this.status >= 500;
  }
}
