// Whether this broker should receive traffic: each part that must be up (storage recovered, the
// Kafka listener serving) reports here, and /readyz answers 200 only when all of them are ready.
// Liveness (/healthz) needs nothing from here: a process that answers HTTP is alive.

export interface ReadinessCheck {
  readonly ready: boolean;
  /** What a person reading /readyz needs to know, e.g. "recovered 12 partitions in 40 ms". */
  readonly detail: string;
}

export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, ReadinessCheck>>;
}

export class Readiness {
  readonly #checks = new Map<string, ReadinessCheck>();

  /** Declares a check not ready yet, so /readyz fails until set() says otherwise. */
  expect(name: string, detail: string): void {
    this.#checks.set(name, { ready: false, detail });
  }

  set(name: string, ready: boolean, detail: string): void {
    this.#checks.set(name, { ready, detail });
  }

  report(): ReadinessReport {
    const checks = Object.fromEntries(this.#checks);
    // No checks at all means nothing has been started yet: not ready.
    const ready = this.#checks.size > 0 && [...this.#checks.values()].every((c) => c.ready);
    return { ready, checks };
  }
}
