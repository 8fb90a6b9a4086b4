// Wall-clock time, injected so retention, segment.ms and flush.ms can be tested without waiting.

export interface Clock {
  nowMs(): number;
}

export const systemClock: Clock = { nowMs: () => Date.now() };
