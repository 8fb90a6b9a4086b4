// X's reconnection schedule for streaming endpoints: an established connection that drops is
// reopened at once; a failed attempt waits linearly longer for network errors (they clear fast),
// exponentially longer for HTTP errors, and longer still, exponentially, for 429 (too many
// connections or requests).
import { type XReconnectPolicy, xReconnectPolicy } from './limits.ts';

export type XFailureKind = 'network' | 'http' | 'rate-limit';

/** `attempt` counts consecutive failures of this kind, from 1. */
export function reconnectDelayMs(
  kind: XFailureKind,
  attempt: number,
  policy: XReconnectPolicy = xReconnectPolicy,
): number {
  if (!Number.isInteger(attempt) || attempt < 1)
    throw new RangeError(`Cannot compute a reconnect delay: attempt must be an integer >= 1, got ${attempt}`);
  // Exponents are capped so 2 ** n stays finite however long an outage lasts.
  const doublings = Math.min(attempt - 1, 30);
  switch (kind) {
    case 'network':
      return Math.min(policy.networkBackoffMsStep * attempt, policy.networkBackoffMsMax);
    case 'http':
      return Math.min(policy.httpBackoffMsInitial * 2 ** doublings, policy.httpBackoffMsMax);
    case 'rate-limit':
      return Math.min(policy.rateLimitBackoffMsInitial * 2 ** doublings, policy.rateLimitBackoffMsMax);
  }
}
