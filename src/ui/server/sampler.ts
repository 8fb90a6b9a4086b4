// Once a second (httpLimits.sampleIntervalMs) reads the broker's running totals, the partitions'
// end offsets, every group's lag and every job's operator counters, turns them into rates and
// keeps the newest httpLimits.sampleHistoryMax samples for the dashboard's charts. Each sample is
// also pushed to the 'samples' event streams, so open pages update without polling.
import { httpLimits } from '../../limits.ts';
import type { BrokerObservability } from '../../observability/broker-observability.ts';
import { groupLags } from '../../observability/group-lag.ts';

export interface OperatorRate {
  readonly job: string;
  readonly operator: string;
  readonly task: number;
  readonly recordsInPerSec: number;
  readonly recordsOutPerSec: number;
}

export interface Sample {
  readonly atMs: number;
  readonly bytesInPerSec: number;
  readonly bytesOutPerSec: number;
  readonly requestsPerSec: number;
  /** Records appended per second to topics that are not internal (names not starting with __). */
  readonly recordsInPerSec: number;
  /** Total lag per group id (at most httpLimits.lagSeriesMax groups). */
  readonly groupLag: Readonly<Record<string, number>>;
  readonly operators: readonly OperatorRate[];
}

interface Totals {
  atMs: number;
  bytesIn: number;
  bytesOut: number;
  requests: number;
  records: number;
  operators: Map<string, { recordsIn: number; recordsOut: number }>;
}

export class Sampler {
  readonly #observability: BrokerObservability;
  readonly #history: Sample[] = [];
  readonly #historyMax: number;
  readonly #now: () => number;
  #last: Totals | null = null;
  #timer: NodeJS.Timeout | null = null;
  #listeners = new Set<(sample: Sample) => void>();

  constructor(observability: BrokerObservability, options: { historyMax?: number; now?: () => number } = {}) {
    this.#observability = observability;
    this.#historyMax = options.historyMax ?? httpLimits.sampleHistoryMax;
    this.#now = options.now ?? Date.now;
  }

  start(intervalMs: number = httpLimits.sampleIntervalMs): void {
    if (this.#timer !== null) return;
    this.sample();
    this.#timer = setInterval(() => this.sample(), intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  onSample(listener: (sample: Sample) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get history(): readonly Sample[] {
    return this.#history;
  }

  get latest(): Sample | undefined {
    return this.#history.at(-1);
  }

  /** Takes one sample now (the timer calls this; tests call it directly). */
  sample(): Sample | null {
    const totals = this.#totals();
    const last = this.#last;
    this.#last = totals;
    if (last === null) return null;
    const seconds = Math.max(0.001, (totals.atMs - last.atMs) / 1000);
    const rate = (now: number, before: number) => Math.max(0, now - before) / seconds;
    const operators: OperatorRate[] = [];
    for (const [key, now] of totals.operators) {
      const before = last.operators.get(key) ?? { recordsIn: 0, recordsOut: 0 };
      const [job, operator, task] = JSON.parse(key) as [string, string, number];
      operators.push({
        job,
        operator,
        task,
        recordsInPerSec: rate(now.recordsIn, before.recordsIn),
        recordsOutPerSec: rate(now.recordsOut, before.recordsOut),
      });
    }
    const services = this.#observability.services;
    const groupLag: Record<string, number> = {};
    if (services !== null) {
      for (const group of groupLags(services).slice(0, httpLimits.lagSeriesMax))
        groupLag[group.groupId] = group.totalLag;
    }
    const sample: Sample = {
      atMs: totals.atMs,
      bytesInPerSec: rate(totals.bytesIn, last.bytesIn),
      bytesOutPerSec: rate(totals.bytesOut, last.bytesOut),
      requestsPerSec: rate(totals.requests, last.requests),
      recordsInPerSec: rate(totals.records, last.records),
      groupLag,
      operators,
    };
    this.#history.push(sample);
    if (this.#history.length > this.#historyMax) this.#history.shift();
    for (const listener of this.#listeners) listener(sample);
    return sample;
  }

  #totals(): Totals {
    const { metrics, services, jobs } = this.#observability;
    let records = 0;
    for (const log of services?.logs.partitions() ?? []) {
      if (!log.isOffline && !log.topic.startsWith('__')) records += log.logEndOffset;
    }
    const operators = new Map<string, { recordsIn: number; recordsOut: number }>();
    for (const job of jobs.list()) {
      if (job.state !== 'running' && job.state !== 'stopping') continue;
      for (const o of job.metrics?.operators ?? []) {
        operators.set(JSON.stringify([job.name, o.name, o.task]), {
          recordsIn: o.recordsIn,
          recordsOut: o.recordsOut,
        });
      }
    }
    return { atMs: this.#now(), ...metrics.totals, records, operators };
  }
}
