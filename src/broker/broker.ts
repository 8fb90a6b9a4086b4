// Starts and stops one broker: resolves configuration, claims the data directory, opens storage,
// loads the handlers, starts the nouns, then listens. close() undoes it in reverse order.
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { groupCoordinatorNoun } from '../coordinator/coordinator-noun.ts';
import { brokerLimits, protocolLimits } from '../limits.ts';
import { BrokerObservability } from '../observability/broker-observability.ts';
import type { JobRegistry } from '../observability/job-registry.ts';
import { NodeFileSystem } from '../storage/fs/node-file-system.ts';
import { LogManager, type RecoveryReport } from '../storage/log-manager.ts';
import { transactionCoordinatorNoun } from '../txn/transaction-noun.ts';
import type { RunningHttpServer } from '../ui/server/http-server.ts';
import { AppendNotifier } from './append-notifier.ts';
import { type Authorizer, allowAll } from './authorizer.ts';
import { loadClusterMeta } from './cluster-meta.ts';
import { type BrokerConfig, resolveBrokerConfig } from './config.ts';
import { FetchSessionCache } from './fetch-sessions.ts';
import { loadHandlers } from './handlers/registry.ts';
import { createLogger } from './logger.ts';
import { RequestDispatcher } from './request-dispatcher.ts';
import { BrokerServer } from './server.ts';
import type { BrokerNouns, BrokerServices, NodeIdentity, NounFactory } from './services.ts';

export interface StartBrokerOptions {
  /** Where data lives; omitted = a temporary directory removed by close(). */
  dataDir?: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  nodeId?: number;
  /** HOST:PORT clients are told to connect to; default the bound address. */
  advertisedListener?: string;
  /** Any broker property by its Kafka name (num.partitions, log.flush.interval.ms, ...). */
  config?: Readonly<Record<string, string>>;
  /** Default: pino at config log.level (default 'silent' when embedded). */
  logger?: Logger;
  authorizer?: Authorizer;
  /** Subsystems that add nouns; the group and transaction coordinators are always added. */
  nouns?: readonly NounFactory[];
  /** Lower network bounds than src/limits.ts allows (tests of the limits themselves). */
  limits?: Partial<NetworkLimits>;
  /** HOST:PORT of the dashboard, /metrics and health checks (port 0: any free port); default none. */
  http?: string;
  /** Jobs the dashboard shows and can start and stop; the broker stops them on close. */
  jobs?: JobRegistry;
}

export interface NetworkLimits {
  connectionsMax: number;
  inFlightRequestsPerConnectionMax: number;
  requestBytesMax: number;
}

export interface RunningBroker {
  readonly host: string;
  readonly port: number;
  /** host:port, ready for a client's bootstrap servers. */
  readonly bootstrap: string;
  readonly nodeId: number;
  readonly clusterId: string;
  readonly dataDir: string;
  readonly services: BrokerServices;
  /** Metrics, readiness and jobs. */
  readonly observability: BrokerObservability;
  /** The dashboard and metrics server, when config http.listen (--http) asks for one. */
  readonly http: RunningHttpServer | null;
  close(): Promise<void>;
}

function embeddedConfig(options: StartBrokerOptions): BrokerConfig {
  const props: Record<string, string> = { 'log.level': 'silent', ...options.config };
  if (options.dataDir !== undefined) props['data.dir'] = options.dataDir;
  props.listen = `${options.host ?? '127.0.0.1'}:${options.port ?? 0}`;
  if (options.nodeId !== undefined) props['node.id'] = String(options.nodeId);
  if (options.advertisedListener !== undefined) props['advertised.listener'] = options.advertisedListener;
  if (options.http !== undefined) props['http.listen'] = options.http;
  return resolveBrokerConfig(props);
}

/** Starts an embedded broker (port 0 and a temporary data directory unless told otherwise). */
export function startBroker(options: StartBrokerOptions = {}): Promise<RunningBroker> {
  const config = embeddedConfig(options);
  return runBroker(config, options);
}

/** Starts a broker from an already resolved configuration (the CLI's path). */
export async function runBroker(
  config: BrokerConfig,
  extras: Pick<StartBrokerOptions, 'logger' | 'authorizer' | 'nouns' | 'limits' | 'jobs'> = {},
): Promise<RunningBroker> {
  const log = extras.logger ?? createLogger({ level: config.logLevel, format: config.logFormat });
  const temporary = config.dataDir === null;
  const dataDir = config.dataDir ?? (await mkdtemp(join(tmpdir(), 'sluice-')));
  const cleanups: (() => Promise<void>)[] = [];
  if (temporary) cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const observability = new BrokerObservability(extras.jobs === undefined ? {} : { jobs: extras.jobs });
  observability.readiness.expect('storage', 'recovering the data directory');
  observability.readiness.expect('listener', 'not serving Kafka clients yet');
  try {
    // Before storage, so /healthz and /readyz answer during a long recovery.
    // Imported only when served: a broker with --http off starts without the dashboard's modules.
    const http =
      config.http === null
        ? null
        : await (await import('../ui/server/http-server.ts')).startHttpServer({
            ...config.http,
            observability,
            log,
          });
    if (http !== null) {
      cleanups.push(() => http.close());
      log.info({ url: http.url }, `Dashboard at ${http.url}`);
    }
    const meta = await loadClusterMeta(dataDir, config.nodeId);
    const handlers = await loadHandlers();
    const logs = await LogManager.open(dataDir, new NodeFileSystem(), {
      brokerConfig: config.logSettings,
      logger: log.child({ component: 'storage' }),
    });
    cleanups.push(() => logs.close());
    logs.start();
    observability.readiness.set('storage', true, recoveryDetail(logs.recoveryReport));
    const limits = networkLimits(extras.limits);
    const server = new BrokerServer({
      log,
      connectionsMax: limits.connectionsMax,
      connection: {
        inFlightRequestsMax: limits.inFlightRequestsPerConnectionMax,
        writeBufferBytesMax: brokerLimits.socketWriteBufferBytesMax,
        frameBytesMax: limits.requestBytesMax,
      },
    });
    const bound = await server.listen(config.listenHost, config.listenPort);
    cleanups.push(() => server.close(brokerLimits.closeGraceMsMax));
    const node: NodeIdentity = {
      nodeId: config.nodeId,
      host: config.advertisedHost ?? advertisableHost(bound.host),
      port: config.advertisedPort ?? bound.port,
      rack: null,
      clusterId: meta.clusterId,
    };
    const nouns: Partial<BrokerNouns> = {};
    const services: BrokerServices = {
      node,
      config,
      handlers,
      logs,
      appends: new AppendNotifier(),
      fetchSessions: new FetchSessionCache(),
      nouns,
    };
    // The group and transaction coordinators always run: consumer groups, idempotent and
    // transactional producers need them. The group coordinator starts first because
    // transactional offset commits are handed to it.
    const given = [...(extras.nouns ?? [])];
    const factories: NounFactory[] = [];
    if (!given.some((f) => f.name === groupCoordinatorNoun.name)) factories.push(groupCoordinatorNoun);
    factories.push(...given);
    if (!given.some((f) => f.name === transactionCoordinatorNoun.name))
      factories.push(transactionCoordinatorNoun);
    for (const factory of factories) {
      const created = await factory.create(services);
      (nouns as Record<string, unknown>)[factory.name] = created.noun;
      cleanups.push(created.close);
    }
    // Jobs write through storage and the nouns: stopped before either closes.
    cleanups.push(() => observability.jobs.close());
    server.serve(new RequestDispatcher(services, extras.authorizer ?? allowAll, observability.metrics));
    observability.attach(services, () => server.connectionCount);
    observability.readiness.set('listener', true, `serving Kafka clients on ${bound.host}:${bound.port}`);
    cleanups.push(async () => observability.readiness.set('listener', false, 'closing'));
    log.info(
      { nodeId: node.nodeId, clusterId: node.clusterId, dataDir, listen: `${bound.host}:${bound.port}` },
      `Broker ${node.nodeId} listening on ${bound.host}:${bound.port}, advertised as ${node.host}:${node.port}`,
    );
    return {
      host: node.host,
      port: node.port,
      bootstrap: `${node.host}:${node.port}`,
      nodeId: node.nodeId,
      clusterId: node.clusterId,
      dataDir,
      services,
      observability,
      http,
      close: once(async () => {
        await runCleanups(cleanups);
        log.info({ nodeId: node.nodeId }, 'Broker stopped');
      }),
    };
  } catch (error) {
    await runCleanups(cleanups);
    throw error;
  }
}

function recoveryDetail(report: RecoveryReport): string {
  const how = report.clean ? 'after a clean shutdown' : 'with full recovery (no clean-shutdown marker)';
  const offline = report.offlinePartitions.length;
  return `opened ${report.partitions.length} partition(s) in ${Math.round(report.durationMs)} ms ${how}${offline > 0 ? `; ${offline} offline` : ''}`;
}

function networkLimits(overrides: Partial<NetworkLimits> = {}): NetworkLimits {
  const ceilings: NetworkLimits = {
    connectionsMax: brokerLimits.connectionsMax,
    inFlightRequestsPerConnectionMax: brokerLimits.inFlightRequestsPerConnectionMax,
    requestBytesMax: protocolLimits.requestBytesMax,
  };
  const limits = { ...ceilings, ...overrides };
  for (const name of Object.keys(ceilings) as (keyof NetworkLimits)[]) {
    const value = limits[name];
    if (!Number.isSafeInteger(value) || value < 1 || value > ceilings[name]) {
      throw new Error(`Invalid broker limit ${name}: ${value} (expected 1-${ceilings[name]})`);
    }
  }
  return limits;
}

/** A wildcard bind address cannot be connected to; advertise this machine's name instead. */
function advertisableHost(bound: string): string {
  return bound === '0.0.0.0' || bound === '::' ? hostname() : bound;
}

async function runCleanups(cleanups: (() => Promise<void>)[]): Promise<void> {
  // Reverse order of acquisition; one failing step does not leave the later ones undone.
  const errors: unknown[] = [];
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length > 0) throw new AggregateError(errors, 'Broker shutdown failed');
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => {
    running ??= fn();
    return running;
  };
}
