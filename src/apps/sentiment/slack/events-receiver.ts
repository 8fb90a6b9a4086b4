// An HTTP endpoint for Slack's Events API. Each request is read up to a bound, its v0 signature
// checked against the raw bytes before anything is parsed, and then:
//  - `url_verification` is answered with its challenge (Slack's one-time check of the URL);
//  - `event_callback` with a `message` event becomes a SocialMessage handed to the sink.
// Slack retries an event (with X-Slack-Retry-Num) when it gets no 2xx within 3 s, so the answer
// is given before that even if the sink is still writing: 200 once the sink has stored the
// message, 500 when it failed or is still busy at the deadline (Slack will retry, and the retry
// is answered from the event's outcome, recorded by event_id). Stored event ids are remembered,
// within a bound, so retries and replays are acknowledged without a second write.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BoundedIdSet } from './bounded-id-set.ts';
import { slackLimits } from './limits.ts';
import { slackMessageToSocial } from './message-event.ts';
import type { MessageSink } from './message-sink.ts';
import { verifySlackSignature } from './signature.ts';

export interface SlackEventsReceiverOptions {
  signingSecret: string;
  sink: MessageSink;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** The Request URL's path configured in the Slack app. Default '/slack/events'. */
  path?: string;
  /** Answer no later than this after a request arrives. Default slackLimits.eventAckMsMax. */
  ackMsMax?: number;
  bodyBytesMax?: number;
  seenEventIdsMax?: number;
  /** The clock the signature age is checked against (tests move it). */
  nowMs?: () => number;
  /** Told about requests refused and sink failures; default: nothing. */
  onError?: (error: Error) => void;
}

export interface SlackEventsReceiverStats {
  /** Messages handed to the sink and stored. */
  messages: number;
  /** Events acknowledged without a write because their event_id was already stored. */
  duplicates: number;
  /** Requests refused (bad signature, stale, too large, malformed). */
  rejected: number;
  /** Requests Slack marked as retries (X-Slack-Retry-Num), whatever became of them. */
  retries: number;
}

export interface RunningSlackEventsReceiver {
  readonly host: string;
  readonly port: number;
  /** http://host:port/path */
  readonly url: string;
  stats(): SlackEventsReceiverStats;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface Outcome {
  /** Settles when the sink has stored the event's messages (or failed). */
  done: Promise<void>;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

async function readBody(req: IncomingMessage, bytesMax: number): Promise<Buffer> {
  const declared = Number(header(req, 'content-length') ?? '0');
  if (declared > bytesMax) throw new HttpError(413, `Request body of ${declared} bytes exceeds ${bytesMax}`);
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    bytes += b.length;
    if (bytes > bytesMax) throw new HttpError(413, `Request body exceeds ${bytesMax} bytes`);
    chunks.push(b);
  }
  return Buffer.concat(chunks, bytes);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Resolves true if `p` settled successfully within `ms`, false on timeout; rejects if it failed. */
function within(p: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(false), Math.max(0, ms));
    p.then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

export async function startSlackEventsReceiver(
  options: SlackEventsReceiverOptions,
): Promise<RunningSlackEventsReceiver> {
  if (options.signingSecret.length === 0)
    throw new RangeError('Cannot start the Slack events receiver: signingSecret is empty');
  const path = options.path ?? '/slack/events';
  const ackMsMax = Math.min(options.ackMsMax ?? slackLimits.eventAckMsMax, slackLimits.eventAckMsMax);
  const bodyBytesMax = Math.min(
    options.bodyBytesMax ?? slackLimits.eventBodyBytesMax,
    slackLimits.eventBodyBytesMax,
  );
  const nowMs = options.nowMs ?? Date.now;
  const stored = new BoundedIdSet(options.seenEventIdsMax ?? slackLimits.seenEventIdsMax);
  /** Events whose sink write is under way, so a retry arriving meanwhile waits for it. */
  const pending = new Map<string, Outcome>();
  const stats: SlackEventsReceiverStats = { messages: 0, duplicates: 0, rejected: 0, retries: 0 };

  const deliver = (eventId: string, event: unknown): Outcome => {
    const message = slackMessageToSocial(event);
    const write = message === null ? Promise.resolve() : options.sink([message]);
    const done = write.then(
      () => {
        pending.delete(eventId);
        stored.add(eventId);
        if (message !== null) stats.messages++;
      },
      (e: unknown) => {
        // Forgotten, so Slack's retry writes it again: at least once, never silently dropped.
        pending.delete(eventId);
        throw e;
      },
    );
    // A write that outlives its request still settles here; its failure is reported, not thrown.
    done.catch((e: unknown) => options.onError?.(e instanceof Error ? e : new Error(String(e))));
    const outcome = { done };
    pending.set(eventId, outcome);
    return outcome;
  };

  const handleEvent = async (payload: Record<string, unknown>, res: ServerResponse, startedMs: number) => {
    const eventId = payload.event_id;
    if (typeof eventId !== 'string' || eventId.length === 0)
      throw new HttpError(400, `event_callback without an event_id: ${JSON.stringify(payload.event_id)}`);
    if (stored.has(eventId)) {
      stats.duplicates++;
      send(res, 200, { ok: true, duplicate: true });
      return;
    }
    const outcome = pending.get(eventId) ?? deliver(eventId, payload.event);
    const left = ackMsMax - (Date.now() - startedMs);
    try {
      if (await within(outcome.done, left)) send(res, 200, { ok: true });
      else send(res, 500, { ok: false, error: `the message sink did not finish within ${ackMsMax} ms` });
    } catch (e) {
      send(res, 500, {
        ok: false,
        error: `the message sink failed: ${e instanceof Error ? e.message : String(e)}`,
      });
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const startedMs = Date.now();
    const url = new URL(req.url ?? '/', 'http://receiver');
    if (url.pathname !== path)
      throw new HttpError(404, `No endpoint at ${url.pathname}; Slack events go to ${path}`);
    if (req.method !== 'POST') throw new HttpError(405, `Slack events are POSTed, got ${req.method}`);
    const body = await readBody(req, bodyBytesMax);
    const check = verifySlackSignature(
      options.signingSecret,
      {
        timestampHeader: header(req, 'x-slack-request-timestamp'),
        signatureHeader: header(req, 'x-slack-signature'),
        body,
      },
      nowMs(),
    );
    if (!check.ok) throw new HttpError(401, `Refused Slack request: ${check.reason}`);
    let payload: unknown;
    try {
      payload = JSON.parse(body.toString('utf8'));
    } catch {
      throw new HttpError(400, `Request body is not JSON: ${body.subarray(0, 80).toString('utf8')}`);
    }
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
      throw new HttpError(400, `Request body is not a JSON object: ${body.subarray(0, 80).toString('utf8')}`);
    const p = payload as Record<string, unknown>;
    // A retry of an event this process never stored (it restarted, or forgot it past the bound)
    // is handled like a first delivery: at least once rather than lost.
    if (header(req, 'x-slack-retry-num') !== undefined) stats.retries++;
    if (p.type === 'url_verification') {
      if (typeof p.challenge !== 'string')
        throw new HttpError(400, 'url_verification without a challenge string');
      send(res, 200, { challenge: p.challenge });
      return;
    }
    if (p.type === 'event_callback') {
      await handleEvent(p, res, startedMs);
      return;
    }
    // app_rate_limited and event types this app does not use: acknowledged so Slack does not retry.
    send(res, 200, { ok: true, ignored: String(p.type) });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      const error = e instanceof Error ? e : new Error(String(e));
      const status = e instanceof HttpError ? e.status : 500;
      if (status < 500) stats.rejected++;
      options.onError?.(error);
      // A refused body (too large) is not read to its end; the connection is not reused.
      if (status === 413) res.setHeader('connection', 'close');
      send(res, status, { ok: false, error: error.message });
    });
  });
  server.requestTimeout = 10_000;

  return await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const host = address.address;
      resolve({
        host,
        port: address.port,
        url: `http://${host}:${address.port}${path}`,
        stats: () => ({ ...stats }),
        close: async () => {
          await new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          });
          // Writes that outlived their request still finish (or fail, reported) before close resolves.
          await Promise.allSettled([...pending.values()].map((o) => o.done));
        },
      });
    });
  });
}
