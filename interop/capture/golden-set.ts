// Picks a small representative set from everything the proxy recorded and describes it in the
// manifest: one request/response pair per (client, api key, api version), and for Produce one
// pair per compression codec. A pair shares its number: 007-Fetch-v11-request.bin answers to
// 007-Fetch-v11-response.bin.
import { apiByKey } from '../../src/protocol/generated/apis.ts';
import { type CompressionName, produceCompression } from './produce-compression.ts';
import type { CapturedFrame, FrameDirection } from './recording-proxy.ts';

export interface LabelledFrame extends CapturedFrame {
  client: string;
}

export interface GoldenEntry {
  /** Path relative to the golden folder: `<client>/<NNN>-<ApiName>-v<version>-<direction>.bin`. */
  file: string;
  client: string;
  apiKey: number;
  apiName: string;
  apiVersion: number;
  direction: FrameDirection;
  correlationId: number;
  /** Request header v1 (v2 when the api version is flexible); response header v0 (v1 when
   * flexible, but always v0 for ApiVersions, so a client can read it before it knows versions). */
  headerVersion: number;
  flexible: boolean;
  /** Whether the api version is within our descriptors (src/protocol/generated/apis.ts). Real
   * clients already send versions newer than those (e.g. Produce v13, Fetch v18). */
  inDescriptors: boolean;
  bytes: number;
  /** Produce requests and their responses: codec of the first record batch of the request. */
  compression?: CompressionName | 'empty';
}

export interface ClientInfo {
  software: string;
  kafkaVersion: string;
  capturedAt: string;
}

export interface GoldenManifest {
  description: string;
  clients: Record<string, ClientInfo>;
  files: GoldenEntry[];
}

export interface GoldenFile {
  entry: GoldenEntry;
  payload: Buffer;
}

/** Kafka's name for an api key; keys newer than our descriptors get `ApiKey<n>`. */
export function apiName(apiKey: number): string {
  return apiByKey(apiKey)?.name ?? `ApiKey${apiKey}`;
}

export function isFlexible(apiKey: number, apiVersion: number): boolean {
  const info = apiByKey(apiKey);
  return info !== undefined && apiVersion >= info.flexibleMin;
}

export function inDescriptors(apiKey: number, apiVersion: number): boolean {
  const info = apiByKey(apiKey);
  return info !== undefined && apiVersion >= info.minVersion && apiVersion <= info.maxVersion;
}

export function headerVersion(apiKey: number, apiVersion: number, direction: FrameDirection): number {
  const flexible = isFlexible(apiKey, apiVersion);
  if (direction === 'request') return flexible ? 2 : 1;
  return flexible && apiKey !== 18 ? 1 : 0;
}

function variantOf(frame: LabelledFrame): CompressionName | 'empty' | undefined {
  if (frame.apiKey !== 0) return undefined;
  try {
    return produceCompression(frame.payload);
  } catch (error) {
    throw new Error(
      `Cannot label Produce v${frame.apiVersion} from ${frame.client} (correlation id ${frame.correlationId}): ${(error as Error).message}`,
    );
  }
}

/** Selects the pairs; frames must be in the order the proxy saw them. */
export function selectGolden(frames: readonly LabelledFrame[]): GoldenFile[] {
  const responses = new Map<string, LabelledFrame>();
  for (const f of frames) {
    if (f.direction === 'response') responses.set(`${f.client}/${f.connection}/${f.correlationId}`, f);
  }
  const chosen = new Map<string, { request: LabelledFrame; variant?: string; response?: LabelledFrame }>();
  for (const request of frames) {
    if (request.direction !== 'request') continue;
    const variant = variantOf(request);
    const key = `${request.client}/${request.apiKey}/${request.apiVersion}/${variant ?? ''}`;
    const response = responses.get(`${request.client}/${request.connection}/${request.correlationId}`);
    const previous = chosen.get(key);
    // Prefer the first pair that has a response (acks=0 produce requests have none).
    if (previous === undefined || (previous.response === undefined && response !== undefined)) {
      chosen.set(key, {
        request,
        ...(variant === undefined ? {} : { variant }),
        ...(response ? { response } : {}),
      });
    }
  }
  const pairs = [...chosen.values()].sort((a, b) => a.request.sequence - b.request.sequence);
  const numbers = new Map<string, number>();
  const out: GoldenFile[] = [];
  for (const pair of pairs) {
    const client = pair.request.client;
    const n = (numbers.get(client) ?? 0) + 1;
    numbers.set(client, n);
    const variant = variantOf(pair.request);
    for (const frame of pair.response === undefined ? [pair.request] : [pair.request, pair.response]) {
      out.push({ entry: entryFor(frame, n, variant), payload: frame.payload });
    }
  }
  return out;
}

function entryFor(
  frame: LabelledFrame,
  n: number,
  variant: CompressionName | 'empty' | undefined,
): GoldenEntry {
  const name = apiName(frame.apiKey);
  const file = `${frame.client}/${String(n).padStart(3, '0')}-${name}-v${frame.apiVersion}-${frame.direction}.bin`;
  return {
    file,
    client: frame.client,
    apiKey: frame.apiKey,
    apiName: name,
    apiVersion: frame.apiVersion,
    direction: frame.direction,
    correlationId: frame.correlationId,
    headerVersion: headerVersion(frame.apiKey, frame.apiVersion, frame.direction),
    flexible: isFlexible(frame.apiKey, frame.apiVersion),
    inDescriptors: inDescriptors(frame.apiKey, frame.apiVersion),
    bytes: frame.payload.length,
    ...(variant === undefined ? {} : { compression: variant }),
  };
}
