// What a client knows of the cluster: its brokers, the leader of each partition it has asked
// about, and the coordinators it has found. Requests go through here so that one place turns a
// node id into a connection and refreshes metadata when it is stale.
import { clientLimits } from '../limits.ts';
import { ErrorCode } from '../protocol/error-codes.ts';
import { ApiKey } from '../protocol/generated/apis.ts';
import { defaultFindCoordinatorRequest } from '../protocol/generated/find-coordinator-request.ts';
import type { FindCoordinatorResponse } from '../protocol/generated/find-coordinator-response.ts';
import { defaultMetadataRequest } from '../protocol/generated/metadata-request.ts';
import type { MetadataResponse } from '../protocol/generated/metadata-response.ts';
import { ZERO_UUID } from '../protocol/reader.ts';
import { BrokerPool, type Lane } from './broker-pool.ts';
import type { Connection, Response, SendOptions } from './connection.ts';
import { ClientStateError, ConnectionError, KafkaError, needsCoordinatorLookup } from './errors.ts';
import { type RetryOptions, withRetries } from './retry.ts';

export interface ClusterOptions {
  /** "host:port" or several, comma separated or as a list. */
  bootstrap: string | readonly string[];
  clientId?: string;
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
  retry?: RetryOptions;
}

export interface BrokerInfo {
  nodeId: number;
  host: string;
  port: number;
  rack: string | null;
}

export interface PartitionInfo {
  partition: number;
  leader: number;
  leaderEpoch: number;
  replicas: number[];
  isr: number[];
  errorCode: number;
}

export interface TopicInfo {
  name: string;
  /** ZERO_UUID when the broker has no topic ids (then Fetch stays below v13). */
  topicId: string;
  internal: boolean;
  partitions: PartitionInfo[];
}

export const coordinatorTypes = { group: 0, transaction: 1 } as const;
export type CoordinatorType = keyof typeof coordinatorTypes;

export interface RequestOptions extends SendOptions {
  lane?: Lane;
}

export function parseBootstrap(bootstrap: string | readonly string[]): { host: string; port: number }[] {
  const entries = (typeof bootstrap === 'string' ? bootstrap.split(',') : bootstrap)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (entries.length === 0)
    throw new ClientStateError(`Cannot connect: bootstrap '${String(bootstrap)}' names no broker`);
  return entries.map((entry) => {
    const at = entry.lastIndexOf(':');
    const port = Number(entry.slice(at + 1));
    if (at <= 0 || !Number.isInteger(port) || port <= 0 || port > 65_535) {
      throw new ClientStateError(`Cannot connect: bootstrap entry '${entry}' is not host:port`);
    }
    return { host: entry.slice(0, at).replace(/^\[(.*)\]$/, '$1'), port };
  });
}

export class Cluster {
  readonly clientId: string;
  readonly retry: RetryOptions;
  readonly #bootstrap: { host: string; port: number }[];
  readonly #pool: BrokerPool;
  #brokers = new Map<number, BrokerInfo>();
  readonly #topics = new Map<string, TopicInfo>();
  readonly #topicNamesById = new Map<string, string>();
  readonly #coordinators = new Map<string, number>();
  #clusterId: string | null = null;
  #controllerId = -1;
  #nextBootstrap = 0;

  constructor(options: ClusterOptions) {
    this.clientId = options.clientId ?? 'sluice';
    this.retry = options.retry ?? {};
    this.#bootstrap = parseBootstrap(options.bootstrap);
    const poolOptions: ConstructorParameters<typeof BrokerPool>[0] = { clientId: this.clientId };
    if (options.connectTimeoutMs !== undefined) poolOptions.connectTimeoutMs = options.connectTimeoutMs;
    if (options.requestTimeoutMs !== undefined) poolOptions.requestTimeoutMs = options.requestTimeoutMs;
    this.#pool = new BrokerPool(poolOptions);
  }

  get clusterId(): string | null {
    return this.#clusterId;
  }

  get controllerId(): number {
    return this.#controllerId;
  }

  brokers(): BrokerInfo[] {
    return [...this.#brokers.values()].sort((a, b) => a.nodeId - b.nodeId);
  }

  topic(name: string): TopicInfo | undefined {
    return this.#topics.get(name);
  }

  topicNameById(topicId: string): string | undefined {
    return this.#topicNamesById.get(topicId);
  }

  /** The current leader of a partition, or -1 when unknown or leaderless. */
  leaderOf(topic: string, partition: number): number {
    return this.#topics.get(topic)?.partitions.find((p) => p.partition === partition)?.leader ?? -1;
  }

  /** A connection to any broker: a known one when metadata has been read, else a bootstrap address. */
  async anyConnection(lane: Lane = 'default'): Promise<Connection> {
    const known = this.brokers();
    const candidates = known.length > 0 ? known : this.#bootstrap;
    let lastError: unknown;
    // Each candidate is tried once, starting from a rotating position to spread load.
    for (let i = 0; i < candidates.length; i++) {
      const c = candidates[(this.#nextBootstrap + i) % candidates.length]!;
      try {
        const connection = await this.#pool.get(c.host, c.port, lane);
        this.#nextBootstrap = (this.#nextBootstrap + i + 1) % candidates.length;
        return connection;
      } catch (error) {
        lastError = error;
      }
    }
    // Known brokers may all have moved; the bootstrap list is the way back in.
    if (known.length > 0) {
      for (const c of this.#bootstrap) {
        try {
          return await this.#pool.get(c.host, c.port, lane);
        } catch (error) {
          lastError = error;
        }
      }
    }
    const tried = candidates.map((c) => `${c.host}:${c.port}`).join(', ');
    throw new ConnectionError(`Cannot reach any broker (${tried}): ${(lastError as Error)?.message}`);
  }

  async connectionTo(nodeId: number, lane: Lane = 'default'): Promise<Connection> {
    let broker = this.#brokers.get(nodeId);
    if (broker === undefined) {
      await this.refreshMetadata([]);
      broker = this.#brokers.get(nodeId);
    }
    if (broker === undefined)
      throw new ConnectionError(`Cannot connect to node ${nodeId}: not in the cluster metadata`);
    return this.#pool.get(broker.host, broker.port, lane);
  }

  async sendTo<T>(
    nodeId: number,
    apiKey: number,
    build: (version: number) => object,
    options: RequestOptions = {},
  ): Promise<Response<T>> {
    const connection = await this.connectionTo(nodeId, options.lane);
    return connection.send<T>(apiKey, build, options);
  }

  async sendAny<T>(
    apiKey: number,
    build: (version: number) => object,
    options: RequestOptions = {},
  ): Promise<Response<T>> {
    const connection = await this.anyConnection(options.lane);
    return connection.send<T>(apiKey, build, options);
  }

  /**
   * Reads metadata for `topics` (null: every topic; []: brokers only) and merges it into what
   * the client knows. Topic errors are kept per topic for the caller to judge.
   */
  async refreshMetadata(
    topics: readonly string[] | null,
    allowAutoCreate = false,
  ): Promise<MetadataResponse> {
    if (topics !== null && topics.length > clientLimits.metadataTopicsMax) {
      throw new ClientStateError(
        `Cannot read metadata for ${topics.length} topics: more than ${clientLimits.metadataTopicsMax} per request`,
      );
    }
    const { body } = await withRetries(
      () =>
        this.sendAny<MetadataResponse>(
          ApiKey.Metadata,
          (v) => {
            const request = defaultMetadataRequest();
            request.topics = topics === null ? null : topics.map((name) => ({ name, topicId: ZERO_UUID }));
            if (v >= 4) request.allowAutoTopicCreation = allowAutoCreate;
            return request;
          },
          { minVersion: 1 },
        ),
      this.retry,
    );
    this.#applyMetadata(body);
    return body;
  }

  #applyMetadata(body: MetadataResponse): void {
    if (body.brokers.length > 0) {
      this.#brokers = new Map(
        body.brokers.map((b) => [b.nodeId, { nodeId: b.nodeId, host: b.host, port: b.port, rack: b.rack }]),
      );
    }
    this.#clusterId = body.clusterId;
    this.#controllerId = body.controllerId;
    for (const t of body.topics) {
      if (t.name === null) continue;
      if (t.errorCode !== ErrorCode.none && t.partitions.length === 0) {
        this.#topics.delete(t.name);
        continue;
      }
      const partitions = t.partitions
        .map((p) => ({
          partition: p.partitionIndex,
          leader: p.leaderId,
          leaderEpoch: p.leaderEpoch,
          replicas: p.replicaNodes,
          isr: p.isrNodes,
          errorCode: p.errorCode,
        }))
        .sort((a, b) => a.partition - b.partition);
      this.#topics.set(t.name, { name: t.name, topicId: t.topicId, internal: t.isInternal, partitions });
      if (t.topicId !== ZERO_UUID) this.#topicNamesById.set(t.topicId, t.name);
    }
  }

  /**
   * Metadata for each topic with a leader for every partition, retrying while topics are being
   * created or leaders elected. A topic that does not exist is a KafkaError (unless autoCreate).
   */
  async topicsWithLeaders(topics: readonly string[], autoCreate = false): Promise<TopicInfo[]> {
    return withRetries(async () => {
      const body = await this.refreshMetadata(topics, autoCreate);
      const found: TopicInfo[] = [];
      for (const name of topics) {
        const t = body.topics.find((x) => x.name === name);
        if (t === undefined)
          throw new KafkaError(`read metadata of topic '${name}'`, ErrorCode.unknownTopicOrPartition);
        if (t.errorCode !== ErrorCode.none)
          throw new KafkaError(`read metadata of topic '${name}'`, t.errorCode);
        const info = this.#topics.get(name)!;
        const leaderless = info.partitions.find((p) => p.leader < 0);
        if (leaderless !== undefined) {
          throw new KafkaError(
            `find the leader of '${name}'-${leaderless.partition}`,
            ErrorCode.leaderNotAvailable,
          );
        }
        found.push(info);
      }
      return found;
    }, this.retry);
  }

  /** The node coordinating a group or transactional id, found once and cached until forgotten. */
  async coordinator(type: CoordinatorType, key: string): Promise<number> {
    const cacheKey = `${type}/${key}`;
    const cached = this.#coordinators.get(cacheKey);
    if (cached !== undefined) return cached;
    const node = await withRetries(() => this.#findCoordinator(type, key), this.retry);
    this.#coordinators.set(cacheKey, node.nodeId);
    if (!this.#brokers.has(node.nodeId)) this.#brokers.set(node.nodeId, node);
    return node.nodeId;
  }

  forgetCoordinator(type: CoordinatorType, key: string): void {
    this.#coordinators.delete(`${type}/${key}`);
  }

  async #findCoordinator(type: CoordinatorType, key: string): Promise<BrokerInfo> {
    const { version, body } = await this.sendAny<FindCoordinatorResponse>(
      ApiKey.FindCoordinator,
      (v) => {
        const request = defaultFindCoordinatorRequest();
        if (v >= 4) request.coordinatorKeys = [key];
        else request.key = key;
        if (v >= 1) request.keyType = coordinatorTypes[type];
        return request;
      },
      { minVersion: type === 'transaction' ? 1 : 0 },
    );
    const action = `find the ${type} coordinator of '${key}'`;
    if (version >= 4) {
      const c = body.coordinators.find((x) => x.key === key);
      if (c === undefined)
        throw new KafkaError(action, ErrorCode.coordinatorNotAvailable, 'no entry for the key');
      if (c.errorCode !== ErrorCode.none) throw new KafkaError(action, c.errorCode, c.errorMessage);
      return { nodeId: c.nodeId, host: c.host, port: c.port, rack: null };
    }
    if (body.errorCode !== ErrorCode.none) throw new KafkaError(action, body.errorCode, body.errorMessage);
    return { nodeId: body.nodeId, host: body.host, port: body.port, rack: null };
  }

  /**
   * Sends a request to a coordinator, finding it first and again after NOT_COORDINATOR or
   * COORDINATOR_NOT_AVAILABLE (reported by `check` throwing a KafkaError), with retries.
   */
  async sendToCoordinator<T>(
    type: CoordinatorType,
    key: string,
    apiKey: number,
    build: (version: number) => object,
    check: (response: Response<T>) => void,
    options: RequestOptions & { retry?: RetryOptions } = {},
  ): Promise<Response<T>> {
    return withRetries(
      async () => {
        const nodeId = await this.coordinator(type, key);
        const response = await this.sendTo<T>(nodeId, apiKey, build, options);
        check(response);
        return response;
      },
      {
        ...this.retry,
        ...options.retry,
        onRetry: (error) => {
          if (
            (error instanceof KafkaError && needsCoordinatorLookup(error.code)) ||
            error instanceof ConnectionError
          ) {
            this.forgetCoordinator(type, key);
          }
        },
      },
    );
  }

  close(): void {
    this.#pool.close();
  }
}
