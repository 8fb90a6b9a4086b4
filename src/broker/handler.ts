// The contract every API handler implements (one file per API key in handlers/, named
// `NN-kebab-name.ts` and exporting `handler`). A handler is thin: it checks what the version
// allows, asks ctx.authorize() before it touches a resource, and hands the work to a noun in
// ctx.services. The server owns framing, ordering and error containment: an exception thrown by
// handle() becomes errorResponse(..., UNKNOWN_SERVER_ERROR) instead of a dropped connection.
import type { Logger } from 'pino';
import { apiByKey } from '../protocol/generated/apis.ts';
import type { RequestHeader } from '../protocol/generated/request-header.ts';
import type { Reader } from '../protocol/reader.ts';
import type { Writer } from '../protocol/writer.ts';
import type { AclOperation, Principal, ResourceType } from './authorizer.ts';
import type { BrokerServices } from './services.ts';

/** The client connection a request arrived on. */
export interface ConnectionInfo {
  /** Unique per broker process; appears in every log line about the connection. */
  readonly id: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localPort: number;
}

/**
 * What a handler returns when its answer is to close the connection rather than respond: a
 * Produce with acks=0 that fails gets no response, so, as in Kafka, closing is how the producer
 * learns of the failure (it reconnects and refreshes its metadata).
 */
export const closeConnection: unique symbol = Symbol('closeConnection');
export type CloseConnection = typeof closeConnection;

/** Everything a handler may use while serving one request. */
export interface RequestContext {
  readonly connection: ConnectionInfo;
  readonly principal: Principal;
  readonly apiVersion: number;
  readonly header: RequestHeader;
  readonly services: BrokerServices;
  /** Child logger carrying the connection id, API and correlation id. */
  readonly log: Logger;
  /** Aborted when the connection closes or the broker shuts down; long waits (Fetch) end on it. */
  readonly signal: AbortSignal;
  /** Asks the broker's Authorizer; synchronous so no await separates the check from the action. */
  authorize(operation: AclOperation, resourceType: ResourceType, resourceName: string): boolean;
}

export interface Handler<Request, Response> {
  readonly apiKey: number;
  /** Oldest and newest versions served; ApiVersions advertises exactly this range. */
  readonly minVersion: number;
  readonly maxVersion: number;
  decode(r: Reader, version: number): Request;
  encode(w: Writer, version: number, response: Response): void;
  /**
   * The response, null when the protocol sends none (Produce with acks=0), or closeConnection
   * (a failed Produce with acks=0).
   */
  handle(
    ctx: RequestContext,
    request: Request,
  ): Response | null | CloseConnection | Promise<Response | null | CloseConnection>;
  /**
   * A response that answers every part of `request` with `errorCode`, valid for ctx.apiVersion.
   * Used when handle() throws, so a bug costs one request an error rather than the connection.
   * closeConnection only for requests that never get a response (Produce with acks=0).
   */
  errorResponse(ctx: RequestContext, request: Request, errorCode: number): Response | CloseConnection;
}

/** A handler with its request and response types erased, as the registry and server hold it. */
export type AnyHandler = Handler<unknown, unknown>;

export interface HandlerDefinition<Request, Response> {
  readonly apiKey: number;
  /** Defaults to the oldest version in Kafka's message descriptors. */
  readonly minVersion?: number;
  /** Defaults to the newest version in Kafka's message descriptors. */
  readonly maxVersion?: number;
  decode(r: Reader, version: number): Request;
  encode(w: Writer, version: number, response: Response): void;
  handle(
    ctx: RequestContext,
    request: Request,
  ): Response | null | CloseConnection | Promise<Response | null | CloseConnection>;
  errorResponse(ctx: RequestContext, request: Request, errorCode: number): Response | CloseConnection;
}

/** Checks a handler's version range against the descriptors and erases its types for the registry. */
export function defineHandler<Request, Response>(
  definition: HandlerDefinition<Request, Response>,
): AnyHandler {
  const api = apiByKey(definition.apiKey);
  if (api === undefined) throw new Error(`Cannot define a handler for unknown API key ${definition.apiKey}`);
  const minVersion = definition.minVersion ?? api.minVersion;
  const maxVersion = definition.maxVersion ?? api.maxVersion;
  if (minVersion < api.minVersion || maxVersion > api.maxVersion || minVersion > maxVersion) {
    throw new Error(
      `Cannot define the ${api.name} handler: versions ${minVersion}-${maxVersion} are outside ${api.minVersion}-${api.maxVersion}`,
    );
  }
  const handler: Handler<Request, Response> = {
    apiKey: definition.apiKey,
    minVersion,
    maxVersion,
    decode: definition.decode,
    encode: definition.encode,
    handle: definition.handle,
    errorResponse: definition.errorResponse,
  };
  return handler as unknown as AnyHandler;
}
