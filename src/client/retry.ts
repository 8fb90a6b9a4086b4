// Retrying with exponential backoff and jitter. The attempt count and the wait are both bounded,
// so a retry loop can never spin or wait forever.
import { clientLimits } from '../limits.ts';
import { isRetriable } from './errors.ts';

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  /** Returns a number in [0, 1); Math.random unless a test fixes it. */
  random?: () => number;
}

/**
 * The wait before retry number `attempt` (0 for the first retry): initialMs doubled per attempt,
 * capped at maxMs, then spread by ±20% so that many clients retrying together drift apart.
 */
export function backoffMs(attempt: number, options: BackoffOptions = {}): number {
  const initialMs = options.initialMs ?? clientLimits.retryBackoffMsInitial;
  const maxMs = options.maxMs ?? clientLimits.retryBackoffMsMax;
  const random = options.random ?? Math.random;
  const exponent = Math.min(Math.max(attempt, 0), 30);
  const base = Math.min(initialMs * 2 ** exponent, maxMs);
  const jittered = base * (0.8 + 0.4 * random());
  return Math.max(0, Math.min(Math.round(jittered), maxMs));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface RetryOptions extends BackoffOptions {
  attemptsMax?: number;
  /** Which errors to retry; default: isRetriable (broker codes marked retriable, connection loss). */
  retriable?: (error: unknown) => boolean;
  /** Called before each wait, e.g. to refresh metadata or forget a coordinator. */
  onRetry?: (error: unknown, attempt: number) => void | Promise<void>;
  /** Overrides sleep (tests). */
  wait?: (ms: number) => Promise<void>;
}

/** Runs `fn` until it succeeds, its error is not retriable, or attemptsMax attempts have failed. */
export async function withRetries<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const attemptsMax = options.attemptsMax ?? clientLimits.retryAttemptsMax;
  const retriable = options.retriable ?? isRetriable;
  const wait = options.wait ?? sleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt + 1 >= attemptsMax || !retriable(error)) {
        if (attempt > 0 && error instanceof Error && !error.message.includes(' attempts')) {
          error.message += ` after ${attempt + 1} attempts`;
        }
        throw error;
      }
      await options.onRetry?.(error, attempt);
      await wait(backoffMs(attempt, options));
    }
  }
}
