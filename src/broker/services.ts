// The nouns handlers delegate to. The broker builds one BrokerServices at start and passes it in
// every RequestContext; each noun owns its piece of mutable state (the log store owns partitions,
// the fetch-session cache owns sessions), so handlers never share state behind each other's back.
import type { LogManager } from '../storage/log-manager.ts';
import type { AppendNotifier } from './append-notifier.ts';
import type { BrokerConfig } from './config.ts';
import type { FetchSessionCache } from './fetch-sessions.ts';
import type { HandlerRegistry } from './handlers/registry.ts';

/** This node as clients see it (Metadata, FindCoordinator, DescribeCluster). */
export interface NodeIdentity {
  readonly nodeId: number;
  /** Advertised host and port: what clients are told to connect to. */
  readonly host: string;
  readonly port: number;
  readonly rack: string | null;
  /** 22-character base64url id, persisted in the data directory. */
  readonly clusterId: string;
}

/**
 * Nouns owned by other subsystems (group coordinator, transactions). Each subsystem adds its
 * field by declaration merging:
 *
 *   declare module '../services.ts' { interface BrokerNouns { groups: GroupCoordinator } }
 *
 * and is created by a NounFactory given to the broker at start. Handlers read it from
 * ctx.services.nouns and answer COORDINATOR_NOT_AVAILABLE (or similar) when it is absent.
 */
// biome-ignore lint/suspicious/noEmptyInterface: extended by declaration merging in other subsystems.
export interface BrokerNouns {}

/** Creates one noun from the broker's own services at start; close() runs at broker shutdown. */
export interface NounFactory<K extends keyof BrokerNouns = keyof BrokerNouns> {
  readonly name: K;
  create(services: BrokerServices): Promise<{ noun: BrokerNouns[K]; close(): Promise<void> }>;
}

export interface BrokerServices {
  readonly node: NodeIdentity;
  readonly config: BrokerConfig;
  readonly handlers: HandlerRegistry;
  /** Topics and partition logs (storage owns their state). */
  readonly logs: LogManager;
  /** Produce notifies it after appending; long-polling Fetches park on it. */
  readonly appends: AppendNotifier;
  readonly fetchSessions: FetchSessionCache;
  readonly nouns: Partial<BrokerNouns>;
}
