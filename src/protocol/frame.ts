// Request and response frames: the header version each API version uses, and encoding or
// decoding a whole frame (header + body) on top of the generated codec. The 4-byte size prefix
// belongs to the transport (see sizePrefixed) so that readers can bound a frame before reading it.
import { ProtocolError } from './errors.ts';
import { type ApiInfo, apiByKey } from './generated/apis.ts';
import { decodeRequestHeader, encodeRequestHeader, type RequestHeader } from './generated/request-header.ts';
import { decodeResponseHeader, encodeResponseHeader } from './generated/response-header.ts';
import { Reader } from './reader.ts';
import { Writer } from './writer.ts';

const API_VERSIONS_KEY = 18;
const CONTROLLED_SHUTDOWN_KEY = 7;

function isFlexible(api: ApiInfo, apiVersion: number): boolean {
  return apiVersion >= api.flexibleMin;
}

/** Request header version: 2 for flexible API versions, 1 otherwise (0 only for ControlledShutdown v0). */
export function requestHeaderVersion(api: ApiInfo, apiVersion: number): number {
  if (api.apiKey === CONTROLLED_SHUTDOWN_KEY && apiVersion === 0) return 0;
  return isFlexible(api, apiVersion) ? 2 : 1;
}

/**
 * Response header version: 1 for flexible API versions, 0 otherwise. ApiVersions responses
 * always use v0, because a client must be able to read the answer before it knows which
 * versions the broker speaks.
 */
export function responseHeaderVersion(api: ApiInfo, apiVersion: number): number {
  if (api.apiKey === API_VERSIONS_KEY) return 0;
  return isFlexible(api, apiVersion) ? 1 : 0;
}

export function requireApi(apiKey: number): ApiInfo {
  const api = apiByKey(apiKey);
  if (api === undefined) throw new ProtocolError('unsupported_version', `Unknown API key ${apiKey}`);
  return api;
}

/** What a broker learns from a request frame before it decodes the body. */
export interface RequestEnvelope {
  api: ApiInfo;
  apiVersion: number;
  header: RequestHeader;
  /** Positioned at the start of the body. */
  body: Reader;
}

/** Reads the correlation id of a request frame without trusting anything else in it. */
export function peekCorrelationId(frame: Buffer): number | null {
  return frame.length >= 8 ? frame.readInt32BE(4) : null;
}

/** Decodes a request frame's header; the body is left for the handler to decode. */
export function decodeRequestEnvelope(frame: Buffer): RequestEnvelope {
  if (frame.length < 4)
    throw new ProtocolError('truncated', `Request frame of ${frame.length} bytes has no header`);
  const api = requireApi(frame.readInt16BE(0));
  const apiVersion = frame.readInt16BE(2);
  const reader = new Reader(frame);
  // The header version follows the API version even when that version is out of range, so that
  // the broker can still read the correlation id and answer UNSUPPORTED_VERSION.
  const header = decodeRequestHeader(reader, requestHeaderVersion(api, apiVersion));
  return { api, apiVersion, header, body: reader };
}

/** Decodes a whole request frame; the body must use every byte of the frame. */
export function decodeRequest(frame: Buffer): { envelope: RequestEnvelope; body: unknown } {
  const envelope = decodeRequestEnvelope(frame);
  const { api, apiVersion } = envelope;
  if (apiVersion < api.minVersion || apiVersion > api.maxVersion) {
    throw new ProtocolError(
      'unsupported_version',
      `${api.name} request version ${apiVersion} is not supported (valid: ${api.minVersion}-${api.maxVersion})`,
    );
  }
  const body = api.request.decode(envelope.body, apiVersion);
  expectEnd(envelope.body, `${api.name} request v${apiVersion}`);
  return { envelope, body };
}

export function expectEnd(r: Reader, what: string): void {
  if (r.remaining !== 0) {
    throw new ProtocolError('invalid_value', `${what} has ${r.remaining} unread bytes after its last field`);
  }
}

export function encodeRequest(
  apiKey: number,
  apiVersion: number,
  correlationId: number,
  clientId: string | null,
  body: unknown,
): Writer {
  const api = requireApi(apiKey);
  const w = new Writer();
  encodeRequestHeader(w, requestHeaderVersion(api, apiVersion), {
    requestApiKey: apiKey,
    requestApiVersion: apiVersion,
    correlationId,
    clientId,
  });
  api.request.encode(w, apiVersion, body as never);
  return w;
}

export function encodeResponse(
  apiKey: number,
  apiVersion: number,
  correlationId: number,
  body: unknown,
): Writer {
  const api = requireApi(apiKey);
  const w = new Writer();
  encodeResponseHeader(w, responseHeaderVersion(api, apiVersion), { correlationId });
  api.response.encode(w, apiVersion, body as never);
  return w;
}

export function decodeResponse(
  apiKey: number,
  apiVersion: number,
  frame: Buffer,
): { correlationId: number; body: unknown } {
  const api = requireApi(apiKey);
  const r = new Reader(frame);
  const header = decodeResponseHeader(r, responseHeaderVersion(api, apiVersion));
  const body = api.response.decode(r, apiVersion);
  expectEnd(r, `${api.name} response v${apiVersion}`);
  return { correlationId: header.correlationId, body };
}

/** The frame's chunks preceded by its 4-byte size, ready for socket.writev(). */
export function sizePrefixed(w: Writer): Buffer[] {
  const chunks = w.chunks();
  const size = Buffer.allocUnsafe(4);
  size.writeInt32BE(w.length, 0);
  return [size, ...chunks];
}
