// Turns one request frame into one response frame (or none): reads the header, finds the handler,
// checks the version, decodes, runs the handler with a RequestContext, encodes. It holds no
// per-connection state; ordering and back-pressure belong to Connection.
import type { Logger } from 'pino';
import { ErrorCode, errorName } from '../protocol/error-codes.ts';
import { isProtocolError } from '../protocol/errors.ts';
import {
  decodeRequestEnvelope,
  expectEnd,
  type RequestEnvelope,
  requireApi,
  responseHeaderVersion,
  sizePrefixed,
} from '../protocol/frame.ts';
import { encodeApiVersionsResponse } from '../protocol/generated/api-versions-response.ts';
import { ApiKey } from '../protocol/generated/apis.ts';
import { encodeResponseHeader } from '../protocol/generated/response-header.ts';
import { Writer } from '../protocol/writer.ts';
import type { Authorizer, Principal } from './authorizer.ts';
import { errorCodeFor } from './error-code-for.ts';
import {
  type AnyHandler,
  type CloseConnection,
  type ConnectionInfo,
  closeConnection,
  type RequestContext,
} from './handler.ts';
import { unsupportedApiVersions } from './handlers/18-api-versions.ts';
import type { BrokerServices } from './services.ts';

/** A request the broker cannot answer at all; the connection that sent it is closed. */
export class MalformedRequestError extends Error {
  override readonly name = 'MalformedRequestError';
}

/** What the dispatcher needs to know about the connection a frame came from. */
export interface RequestSource {
  readonly info: ConnectionInfo;
  readonly principal: Principal;
  readonly signal: AbortSignal;
  readonly log: Logger;
}

/** Told about every answered request (the metrics); must not throw. */
export interface RequestObserver {
  requestAnswered(api: string, durationMs: number, requestBytes: number, responseBytes: number): void;
}

export class RequestDispatcher {
  #services: BrokerServices;
  #authorizer: Authorizer;
  #observer: RequestObserver | null;

  constructor(services: BrokerServices, authorizer: Authorizer, observer: RequestObserver | null = null) {
    this.#services = services;
    this.#authorizer = authorizer;
    this.#observer = observer;
  }

  /**
   * The size-prefixed response chunks, null when the request gets no response, or
   * closeConnection when the connection must close once the responses before it are sent.
   */
  async dispatch(frame: Buffer, source: RequestSource): Promise<Buffer[] | null | CloseConnection> {
    const envelope = this.#envelope(frame);
    const startedMs = performance.now();
    const chunks = await this.#answer(envelope, source);
    let responseBytes = 0;
    if (chunks !== closeConnection) for (const chunk of chunks ?? []) responseBytes += chunk.length;
    this.#observer?.requestAnswered(
      envelope.api.name,
      performance.now() - startedMs,
      frame.length,
      responseBytes,
    );
    return chunks;
  }

  async #answer(
    envelope: RequestEnvelope,
    source: RequestSource,
  ): Promise<Buffer[] | null | CloseConnection> {
    const { api, apiVersion, header } = envelope;
    const handler = this.#services.handlers.get(api.apiKey);
    if (handler === undefined)
      throw new MalformedRequestError(`${api.name} (API key ${api.apiKey}) is not served`);
    if (apiVersion < handler.minVersion || apiVersion > handler.maxVersion) {
      if (api.apiKey === ApiKey.ApiVersions) return this.#unsupportedApiVersions(header.correlationId);
      throw new MalformedRequestError(
        `${api.name} v${apiVersion} is not served (versions ${handler.minVersion}-${handler.maxVersion})`,
      );
    }
    const request = this.#decodeBody(handler, envelope);
    const ctx = this.#context(source, envelope);
    let response: unknown;
    try {
      response = await handler.handle(ctx, request);
    } catch (error) {
      const code = errorCodeFor(error);
      ctx.log.error({ err: error, errorCode: errorName(code) }, `${api.name} handler failed`);
      response = handler.errorResponse(ctx, request, code);
    }
    if (response === null || response === closeConnection) return response;
    return this.#encode(handler, ctx, request, response);
  }

  #envelope(frame: Buffer): RequestEnvelope {
    try {
      return decodeRequestEnvelope(frame);
    } catch (error) {
      throw new MalformedRequestError(`Cannot read request header: ${messageOf(error)}`, { cause: error });
    }
  }

  #decodeBody(handler: AnyHandler, envelope: RequestEnvelope): unknown {
    const { api, apiVersion, body } = envelope;
    try {
      const request = handler.decode(body, apiVersion);
      expectEnd(body, `${api.name} request v${apiVersion}`);
      return request;
    } catch (error) {
      if (!isProtocolError(error)) throw error;
      throw new MalformedRequestError(`Cannot decode ${api.name} v${apiVersion} request: ${error.message}`, {
        cause: error,
      });
    }
  }

  #context(source: RequestSource, envelope: RequestEnvelope): RequestContext {
    const { api, apiVersion, header } = envelope;
    const authorizer = this.#authorizer;
    const { principal, info } = source;
    return {
      connection: info,
      principal,
      apiVersion,
      header,
      services: this.#services,
      log: source.log.child({ api: api.name, v: apiVersion, correlationId: header.correlationId }),
      signal: source.signal,
      authorize: (operation, resourceType, resourceName) =>
        authorizer.authorize({ principal, host: info.remoteAddress, operation, resourceType, resourceName }),
    };
  }

  #encode(
    handler: AnyHandler,
    ctx: RequestContext,
    request: unknown,
    response: unknown,
  ): Buffer[] | CloseConnection {
    try {
      return frameOf(ctx.apiVersion, ctx.header.correlationId, handler, response);
    } catch (error) {
      // A response the codec refuses is a handler bug; answer the request with an error rather
      // than leave the client waiting on this correlation id forever.
      ctx.log.error({ err: error }, 'Cannot encode response; answering UNKNOWN_SERVER_ERROR');
      const fallback = handler.errorResponse(ctx, request, ErrorCode.unknownServerError);
      if (fallback === closeConnection) return fallback;
      return frameOf(ctx.apiVersion, ctx.header.correlationId, handler, fallback);
    }
  }

  #unsupportedApiVersions(correlationId: number): Buffer[] {
    const w = new Writer();
    encodeResponseHeader(w, 0, { correlationId });
    encodeApiVersionsResponse(w, 0, unsupportedApiVersions(this.#services.handlers));
    return sizePrefixed(w);
  }
}

function frameOf(
  apiVersion: number,
  correlationId: number,
  handler: AnyHandler,
  response: unknown,
): Buffer[] {
  const w = new Writer();
  encodeResponseHeader(w, responseHeaderVersion(requireApi(handler.apiKey), apiVersion), { correlationId });
  handler.encode(w, apiVersion, response);
  return sizePrefixed(w);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
