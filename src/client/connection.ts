// One TCP connection to one broker: size-prefixed frames, correlation ids, up to
// inFlightRequestsPerConnectionMax requests pipelined (more wait in a bounded queue), responses
// matched in order, a timeout per request, and ApiVersions negotiated on connect. Any failure
// (socket error, timeout, a response out of order) closes the connection and fails every request
// on it with a retriable error: nothing is left half-answered.
import { Socket } from 'node:net';
import { clientLimits } from '../limits.ts';
import { ErrorCode } from '../protocol/error-codes.ts';
import { decodeResponse, encodeRequest, sizePrefixed } from '../protocol/frame.ts';
import { defaultApiVersionsRequest } from '../protocol/generated/api-versions-request.ts';
import type { ApiVersionsResponse } from '../protocol/generated/api-versions-response.ts';
import { ApiKey, apiByKey } from '../protocol/generated/apis.ts';
import { clientVersionRanges, negotiateVersions } from './api-versions.ts';
import { ClientStateError, ConnectionError, KafkaError, RequestTimeoutError } from './errors.ts';
import { ResponseFrames } from './response-frames.ts';

export interface ConnectionOptions {
  host: string;
  port: number;
  clientId: string;
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
  inFlightMax?: number;
  queuedMax?: number;
}

export interface SendOptions {
  /** Longest to wait for the response after the request is written. */
  timeoutMs?: number;
  /** Produce with acks=0: the broker sends no response; resolves once written. */
  noResponse?: boolean;
  /** Lowest version the caller's logic can use; a broker offering less is an error. */
  minVersion?: number;
  /** Highest version the caller's logic can use. */
  maxVersion?: number;
}

export interface Response<T> {
  version: number;
  body: T;
}

interface Pending {
  apiKey: number;
  version: number;
  correlationId: number;
  chunks: Buffer[];
  timeoutMs: number;
  noResponse: boolean;
  resolve: (r: Response<unknown>) => void;
  reject: (e: Error) => void;
  timer?: NodeJS.Timeout;
}

const CLIENT_SOFTWARE_NAME = 'sluice';
const CLIENT_SOFTWARE_VERSION = '0.1.0';
const API_VERSIONS_ERROR_OFFSET = 4;

export class Connection {
  readonly host: string;
  readonly port: number;
  readonly #clientId: string;
  readonly #socket: Socket;
  readonly #frames = new ResponseFrames();
  readonly #inFlight: Pending[] = [];
  readonly #queued: Pending[] = [];
  readonly #inFlightMax: number;
  readonly #queuedMax: number;
  readonly #requestTimeoutMs: number;
  readonly #closeListeners: ((error: Error) => void)[] = [];
  #versions = new Map<number, number>();
  #nextCorrelationId = 1;
  #closedBy: Error | null = null;

  private constructor(socket: Socket, options: ConnectionOptions) {
    this.host = options.host;
    this.port = options.port;
    this.#clientId = options.clientId;
    this.#socket = socket;
    this.#inFlightMax = options.inFlightMax ?? clientLimits.inFlightRequestsPerConnectionMax;
    this.#queuedMax = options.queuedMax ?? clientLimits.queuedRequestsPerConnectionMax;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? clientLimits.requestTimeoutMsDefault;
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', (e) =>
      this.#fail(new ConnectionError(`Connection to ${this.address} failed: ${e.message}`)),
    );
    socket.on('close', () => this.#fail(new ConnectionError(`Connection to ${this.address} closed`)));
  }

  /** Connects and negotiates API versions; fails with ConnectionError if either does not finish in time. */
  static async open(options: ConnectionOptions): Promise<Connection> {
    const connectTimeoutMs = options.connectTimeoutMs ?? clientLimits.connectTimeoutMsDefault;
    const address = `${options.host}:${options.port}`;
    const socket = new Socket();
    socket.setNoDelay(true);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new ConnectionError(`Cannot connect to ${address}: no answer in ${connectTimeoutMs} ms`));
      }, connectTimeoutMs);
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(new ConnectionError(`Cannot connect to ${address}: ${e.message}`));
      });
      socket.connect(options.port, options.host, () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve();
      });
    });
    const connection = new Connection(socket, options);
    try {
      await connection.#negotiate(connectTimeoutMs);
    } catch (error) {
      connection.close();
      if (error instanceof KafkaError) throw error;
      throw new ConnectionError(`Cannot connect to ${address}: ${(error as Error).message}`);
    }
    return connection;
  }

  get address(): string {
    return `${this.host}:${this.port}`;
  }

  get closed(): boolean {
    return this.#closedBy !== null;
  }

  /** Requests written or waiting; the pool uses it to pick the least busy connection. */
  get load(): number {
    return this.#inFlight.length + this.#queued.length;
  }

  /** The negotiated version of an API, or undefined when the broker does not serve it. */
  versionOf(apiKey: number): number | undefined {
    return this.#versions.get(apiKey);
  }

  onClose(listener: (error: Error) => void): void {
    this.#closeListeners.push(listener);
  }

  /**
   * Sends one request; `build` makes the body for the negotiated version (fields a version lacks
   * must keep their defaults). Resolves with the decoded response body.
   */
  send<T>(
    apiKey: number,
    build: (version: number) => object,
    options: SendOptions = {},
  ): Promise<Response<T>> {
    const version = this.#pickVersion(apiKey, options);
    return this.#enqueue(apiKey, version, build(version), options) as Promise<Response<T>>;
  }

  close(): void {
    this.#fail(new ConnectionError(`Connection to ${this.address} closed by the client`));
  }

  #pickVersion(apiKey: number, options: SendOptions): number {
    const name = apiByKey(apiKey)?.name ?? `API ${apiKey}`;
    const negotiated = this.#versions.get(apiKey);
    if (negotiated === undefined) {
      throw new ClientStateError(`Cannot send ${name} to ${this.address}: the broker does not serve it`);
    }
    const version = Math.min(negotiated, options.maxVersion ?? negotiated);
    if (version < (options.minVersion ?? 0)) {
      throw new ClientStateError(
        `Cannot send ${name} to ${this.address}: the broker serves up to v${negotiated}, the client needs v${options.minVersion}+`,
      );
    }
    return version;
  }

  #enqueue(apiKey: number, version: number, body: object, options: SendOptions): Promise<Response<unknown>> {
    if (this.#closedBy !== null) return Promise.reject(this.#closedBy);
    if (this.#queued.length >= this.#queuedMax) {
      return Promise.reject(
        new ConnectionError(
          `Cannot send ${apiByKey(apiKey)?.name} to ${this.address}: ${this.#queued.length} requests already queued (limit ${this.#queuedMax})`,
        ),
      );
    }
    const correlationId = this.#nextCorrelationId;
    this.#nextCorrelationId = (this.#nextCorrelationId + 1) | 0 || 1;
    const chunks = sizePrefixed(encodeRequest(apiKey, version, correlationId, this.#clientId, body));
    return new Promise((resolve, reject) => {
      this.#queued.push({
        apiKey,
        version,
        correlationId,
        chunks,
        timeoutMs: options.timeoutMs ?? this.#requestTimeoutMs,
        noResponse: options.noResponse ?? false,
        resolve,
        reject,
      });
      this.#pump();
    });
  }

  /** Writes queued requests while in-flight slots are free; all writes of one turn go out together. */
  #pump(): void {
    if (this.#queued.length === 0 || this.#inFlight.length >= this.#inFlightMax) return;
    this.#socket.cork();
    while (this.#queued.length > 0 && this.#inFlight.length < this.#inFlightMax) {
      const p = this.#queued.shift()!;
      for (const chunk of p.chunks) this.#socket.write(chunk);
      if (p.noResponse) {
        p.resolve({ version: p.version, body: null });
        continue;
      }
      p.timer = setTimeout(() => this.#onTimeout(p), p.timeoutMs);
      this.#inFlight.push(p);
    }
    process.nextTick(() => this.#socket.uncork());
  }

  #onTimeout(p: Pending): void {
    const name = apiByKey(p.apiKey)?.name;
    const error = new RequestTimeoutError(
      `${name} request ${p.correlationId} to ${this.address} got no response in ${p.timeoutMs} ms`,
    );
    p.reject(error);
    // Responses come in order: without this one, the connection cannot match the next ones.
    this.#fail(new ConnectionError(`Connection to ${this.address} closed: ${error.message}`));
  }

  #onData(chunk: Buffer): void {
    this.#frames.push(chunk);
    try {
      for (let frame = this.#frames.next(); frame !== null; frame = this.#frames.next()) this.#onFrame(frame);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#fail(new ConnectionError(`Connection to ${this.address} closed: ${message}`));
    }
  }

  #onFrame(frame: Buffer): void {
    const p = this.#inFlight.shift();
    const correlationId = frame.length >= 4 ? frame.readInt32BE(0) : -1;
    if (p === undefined || correlationId !== p.correlationId) {
      throw new Error(
        `response with correlation id ${correlationId} does not match the oldest request ${p?.correlationId}`,
      );
    }
    clearTimeout(p.timer);
    try {
      p.resolve({ version: p.version, body: this.#decode(p, frame) });
    } catch (error) {
      p.reject(error instanceof Error ? error : new Error(String(error)));
    }
    this.#pump();
  }

  #decode(p: Pending, frame: Buffer): unknown {
    // A broker that does not serve our ApiVersions version answers in v0, whatever we asked.
    if (
      p.apiKey === ApiKey.ApiVersions &&
      frame.length >= API_VERSIONS_ERROR_OFFSET + 2 &&
      frame.readInt16BE(API_VERSIONS_ERROR_OFFSET) === ErrorCode.unsupportedVersion
    ) {
      return decodeResponse(p.apiKey, 0, frame).body;
    }
    return decodeResponse(p.apiKey, p.version, frame).body;
  }

  async #negotiate(timeoutMs: number): Promise<void> {
    const ours = clientVersionRanges();
    const ourMax = ours.find((r) => r.apiKey === ApiKey.ApiVersions)!.maxVersion;
    let version = ourMax;
    // Two rounds at most: our highest version, then the broker's highest if it refused ours.
    for (let round = 0; round < 2; round++) {
      const body = defaultApiVersionsRequest();
      if (version >= 3) {
        body.clientSoftwareName = CLIENT_SOFTWARE_NAME;
        body.clientSoftwareVersion = CLIENT_SOFTWARE_VERSION;
      }
      const { body: response } = (await this.#enqueue(ApiKey.ApiVersions, version, body, {
        timeoutMs,
      })) as Response<ApiVersionsResponse>;
      if (response.errorCode === ErrorCode.unsupportedVersion) {
        const theirs = response.apiKeys.find((k) => k.apiKey === ApiKey.ApiVersions);
        if (theirs === undefined || round === 1) break;
        version = Math.min(theirs.maxVersion, ourMax);
        continue;
      }
      if (response.errorCode !== ErrorCode.none) {
        throw new KafkaError(`negotiate API versions with ${this.address}`, response.errorCode);
      }
      this.#versions = negotiateVersions(ours, response.apiKeys);
      return;
    }
    throw new ConnectionError(
      `Cannot negotiate API versions with ${this.address}: it refused ApiVersions v${version}`,
    );
  }

  #fail(error: Error): void {
    if (this.#closedBy !== null) return;
    this.#closedBy = error;
    this.#socket.destroy();
    const pending = [...this.#inFlight.splice(0), ...this.#queued.splice(0)];
    for (const p of pending) {
      clearTimeout(p.timer);
      p.reject(error);
    }
    for (const listener of this.#closeListeners.splice(0)) listener(error);
  }
}
