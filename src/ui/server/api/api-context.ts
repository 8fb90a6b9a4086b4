// What every JSON API handler gets: the broker's services (the API answers 503 until the broker
// has started), its observability (metrics, readiness, jobs) and the sampler's history.
import type { IncomingMessage } from 'node:http';
import type { BrokerServices } from '../../../broker/services.ts';
import type { BrokerObservability } from '../../../observability/broker-observability.ts';
import type { Sampler } from '../sampler.ts';

export interface ApiContext {
  readonly services: BrokerServices;
  readonly observability: BrokerObservability;
  readonly sampler: Sampler;
  readonly startedAtMs: number;
}

export interface ApiRequest {
  readonly params: readonly string[];
  readonly query: URLSearchParams;
  readonly req: IncomingMessage;
}

export type ApiHandler = (ctx: ApiContext, request: ApiRequest) => Promise<unknown> | unknown;
