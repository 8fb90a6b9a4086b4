// Everything a broker exposes about itself, made before the broker starts so that /healthz and
// /readyz answer while storage is still recovering: the metrics registry with its broker,
// storage, group and engine collectors, the readiness checks, and the jobs registry. The broker
// attaches its services once they exist; until then the collectors report nothing.
import type { BrokerServices } from '../broker/services.ts';
import { registerEngineCollector } from './engine-collector.ts';
import { registerGroupCollector } from './group-collector.ts';
import { JobRegistry } from './job-registry.ts';
import { Readiness } from './readiness.ts';
import { SluiceMetrics } from './sluice-metrics.ts';
import { registerStorageCollector } from './storage-collector.ts';

export interface ObservabilityOptions {
  /** Jobs shown on the dashboard and in /metrics; default an empty registry. */
  jobs?: JobRegistry;
  /** Node process metrics (CPU, memory, event loop); default true. */
  processMetrics?: boolean;
}

export class BrokerObservability {
  readonly metrics: SluiceMetrics;
  readonly readiness = new Readiness();
  readonly jobs: JobRegistry;
  #services: BrokerServices | null = null;
  #connectionCount: () => number = () => 0;

  constructor(options: ObservabilityOptions = {}) {
    this.metrics = new SluiceMetrics({ processMetrics: options.processMetrics ?? true });
    this.jobs = options.jobs ?? new JobRegistry();
    this.metrics.gauge('sluice_connections', 'Kafka client connections open', () => this.#connectionCount());
    registerStorageCollector(this.metrics, () => this.#services?.logs ?? null);
    registerGroupCollector(this.metrics, () => this.#services);
    registerEngineCollector(this.metrics, this.jobs);
  }

  /** Called by the broker once its services exist and its listener serves. */
  attach(services: BrokerServices, connectionCount: () => number): void {
    this.#services = services;
    this.#connectionCount = connectionCount;
  }

  /** The broker's services, or null while it is starting. */
  get services(): BrokerServices | null {
    return this.#services;
  }

  get connectionCount(): number {
    return this.#connectionCount();
  }
}
