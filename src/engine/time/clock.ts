// Processing time. The runtime reads it through this interface so that replays and tests can
// drive idleness, TTLs and processing-time timers deterministically with a ManualClock.

export interface Clock {
  nowMs(): number;
}

export const systemClock: Clock = { nowMs: () => Date.now() };

export class ManualClock implements Clock {
  #nowMs: number;

  constructor(startMs: number) {
    this.#nowMs = startMs;
  }

  nowMs(): number {
    return this.#nowMs;
  }

  advance(deltaMs: number): void {
    if (!(deltaMs >= 0)) throw new RangeError(`A clock cannot go back: advance(${deltaMs})`);
    this.#nowMs += deltaMs;
  }
}
