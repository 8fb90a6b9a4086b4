// A small client for the broker's HTTP JSON API (`sluice broker --http`), used by `sluice jobs`.
// Jobs live inside a broker process and are reached only through this API, not the Kafka
// protocol, so the failures worth explaining are HTTP ones: nothing listening, no answer in time,
// something other than a Sluice broker answering, and the API's own { error } answers.
import { request } from 'node:http';
import { CliError } from '../command.ts';

export interface HttpApiSettings {
  /** HOST:PORT as the user gave it (or the default); named in every error. */
  address: string;
  /** http://HOST:PORT, no trailing slash. */
  baseUrl: string;
  timeoutMs: number;
}

/** An answer of the API that is not 2xx, with the API's own message. */
export class ApiAnswerError extends Error {
  override readonly name = 'ApiAnswerError';
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** `HOST:PORT` or `[v6]:PORT` → the settings; a malformed address is a usage error. */
export function httpApiSettings(address: string, timeoutMs: number): HttpApiSettings {
  const match = /^(\[[^\]]+\]|[^:/[\]\s]+):(\d+)$/.exec(address);
  const port = match === null ? Number.NaN : Number(match[2]);
  if (match === null || !(port >= 1 && port <= 65535)) {
    throw new CliError(
      `--http must be HOST:PORT of the broker's HTTP API (port 1-65535), got '${address}'`,
      2,
    );
  }
  return { address, baseUrl: `http://${match[1]}:${port}`, timeoutMs };
}

/** Errors that mean no connection was made, as opposed to one that broke mid-answer. */
const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'ETIMEDOUT',
]);

/** The connect error's code; with several addresses tried (happy eyeballs), the first one's. */
function connectCode(error: unknown): string | undefined {
  const first = (error as { errors?: unknown[] } | null)?.errors?.[0] ?? error;
  const code = (first as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CONNECT_CODES.has(code) ? code : undefined;
}

function unreachable(s: HttpApiSettings, code: string): CliError {
  return new CliError(
    `Cannot reach the broker's HTTP API at ${s.address} (${code}): start it with ` +
      `\`sluice broker --http ${s.address}\`, or pass --http HOST:PORT of a running broker`,
  );
}

/** Largest answer read; job views are kilobytes, so more means something else is answering. */
const RESPONSE_BYTES_MAX = 16 * 1024 * 1024;

interface RawAnswer {
  status: number;
  text: string;
}

/**
 * One request over node:http. Not fetch(): it refuses the WHATWG "bad ports" (6000, 6665-6669,
 * 10080, ...), on which a broker may well serve its API.
 */
function send(url: string, method: 'GET' | 'POST', signal: AbortSignal): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    // The API takes state-changing requests only as JSON (a browser form elsewhere cannot send it).
    const body = method === 'POST' ? '{}' : undefined;
    const headers = body === undefined ? {} : { 'content-type': 'application/json', 'content-length': '2' };
    const req = request(url, { method, headers, signal }, (res) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > RESPONSE_BYTES_MAX) {
          req.destroy(new Error(`the answer exceeds ${RESPONSE_BYTES_MAX} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Sends one request and returns the parsed JSON body of a 2xx answer. Throws a CliError when the
 * API cannot be reached or does not answer like Sluice's, ApiAnswerError for its { error } answers.
 */
export async function requestJson(
  s: HttpApiSettings,
  method: 'GET' | 'POST',
  path: string,
  interrupt: AbortSignal,
): Promise<unknown> {
  const timeout = AbortSignal.timeout(s.timeoutMs);
  let answer: RawAnswer;
  try {
    answer = await send(`${s.baseUrl}${path}`, method, AbortSignal.any([timeout, interrupt]));
  } catch (error) {
    if (interrupt.aborted) throw new CliError(`${method} ${path} at ${s.address} interrupted`);
    if (timeout.aborted) {
      throw new CliError(
        `The broker's HTTP API at ${s.address} did not answer ${method} ${path} within ${s.timeoutMs} ms: ` +
          'check the broker, or raise --timeout-ms',
      );
    }
    const code = connectCode(error);
    if (code !== undefined) throw unreachable(s, code);
    throw new CliError(
      `Cannot read the answer to ${method} ${path} from ${s.address}: ${(error as Error).message}`,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    throw new CliError(
      `${s.address} answered ${method} ${path} with ${answer.status} and no JSON: ` +
        "is it a Sluice broker's HTTP API? Pass --http HOST:PORT of one",
    );
  }
  if (answer.status >= 200 && answer.status < 300) return body;
  const message = (body as { error?: unknown } | null)?.error;
  if (typeof message !== 'string') {
    throw new CliError(
      `${s.address} answered ${method} ${path} with ${answer.status} and no error message: ` +
        "is it a Sluice broker's HTTP API?",
    );
  }
  throw new ApiAnswerError(answer.status, message);
}
