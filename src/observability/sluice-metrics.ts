// The process's Prometheus registry (prom-client) and the broker's request metrics: one counter,
// one latency histogram and byte counters per Kafka API, fed by the request dispatcher after each
// answered request. Collectors for storage, groups and jobs add their gauges to the same registry
// and are read on each scrape. Plain running totals are kept beside the counters so the
// dashboard's sampler can read them without rendering the whole registry.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { RequestObserver } from '../broker/request-dispatcher.ts';

/** Request latency buckets in seconds: 0.5 ms to 30 s (long-polling fetches wait up to 30 s). */
const LATENCY_BUCKETS_SECONDS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];

export interface RequestTotals {
  readonly requests: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
}

export class SluiceMetrics implements RequestObserver {
  readonly registry = new Registry();
  readonly #requests: Counter<'api'>;
  readonly #latency: Histogram<'api'>;
  readonly #bytesIn: Counter<'api'>;
  readonly #bytesOut: Counter<'api'>;
  #totals = { requests: 0, bytesIn: 0, bytesOut: 0 };

  constructor(options: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'sluice_' });
    this.#requests = new Counter({
      name: 'sluice_requests_total',
      help: 'Kafka requests answered, by API',
      labelNames: ['api'],
      registers,
    });
    this.#latency = new Histogram({
      name: 'sluice_request_duration_seconds',
      help: 'Time from a decoded request to its encoded response, by API (long-poll waits included)',
      labelNames: ['api'],
      buckets: LATENCY_BUCKETS_SECONDS,
      registers,
    });
    this.#bytesIn = new Counter({
      name: 'sluice_network_bytes_in_total',
      help: 'Request frame bytes received, by API (Produce carries the records in)',
      labelNames: ['api'],
      registers,
    });
    this.#bytesOut = new Counter({
      name: 'sluice_network_bytes_out_total',
      help: 'Response frame bytes sent, by API (Fetch carries the records out)',
      labelNames: ['api'],
      registers,
    });
  }

  requestAnswered(api: string, durationMs: number, requestBytes: number, responseBytes: number): void {
    const labels = { api };
    this.#requests.inc(labels);
    this.#latency.observe(labels, durationMs / 1000);
    this.#bytesIn.inc(labels, requestBytes);
    if (responseBytes > 0) this.#bytesOut.inc(labels, responseBytes);
    this.#totals = {
      requests: this.#totals.requests + 1,
      bytesIn: this.#totals.bytesIn + requestBytes,
      bytesOut: this.#totals.bytesOut + responseBytes,
    };
  }

  get totals(): RequestTotals {
    return this.#totals;
  }

  /** Adds a gauge read from `read` on every scrape (e.g. open connections). */
  gauge(name: string, help: string, read: () => number): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      collect() {
        this.set(read());
      },
    });
  }

  /** The registry in Prometheus's text exposition format. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
