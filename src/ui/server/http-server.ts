// The broker's HTTP side: the dashboard (static files of the built web app), its JSON API and
// event streams, Prometheus /metrics, /healthz (alive) and /readyz (storage recovered and the
// Kafka listener serving). Started by runBroker before storage opens, so health answers during
// recovery; the API answers 503 until the broker attaches its services. Sockets are bounded by
// httpLimits.connectionsMax and event streams by the SSE hub.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { embeddedLog } from '../../connectors/embedded/embedded-log.ts';
import { httpLimits } from '../../limits.ts';
import type { BrokerObservability } from '../../observability/broker-observability.ts';
import type { ApiContext } from './api/api-context.ts';
import { handleAppsRequest, isAppsPath } from './api/apps-api.ts';
import { requirePartition } from './api/messages-api.ts';
import { AppsReadModels } from './apps/apps-read-models.ts';
import { appsLimits } from './apps/limits.ts';
import { HttpError } from './http-error.ts';
import { runLiveTail } from './live-tail.ts';
import { matchRoute } from './routes.ts';
import { Sampler } from './sampler.ts';
import { SseHub } from './sse-hub.ts';
import { defaultStaticRoot, serveStatic } from './static-files.ts';

export interface HttpServerOptions {
  host: string;
  port: number;
  observability: BrokerObservability;
  log: Logger;
  /** The built web app; default src/ui/dist. */
  staticRoot?: string;
  /** Sampling period of the throughput and lag charts; default httpLimits.sampleIntervalMs. */
  sampleIntervalMs?: number;
}

export interface RunningHttpServer {
  readonly host: string;
  readonly port: number;
  /** http://host:port/ as a person would open it. */
  readonly url: string;
  readonly sampler: Sampler;
  readonly events: SseHub;
  close(): Promise<void>;
}

export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const { observability, log } = options;
  const staticRoot = options.staticRoot ?? defaultStaticRoot;
  const sampler = new Sampler(observability);
  const events = new SseHub();
  const startedAtMs = Date.now();
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => answerError(res, error, log));
  });
  server.maxConnections = httpLimits.connectionsMax;
  server.requestTimeout = httpLimits.requestTimeoutMs;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const unsubscribe = sampler.onSample((sample) => events.broadcast('samples', 'sample', sample));
  // The apps pages' read models, created when an apps page first asks (see apps-read-models.ts).
  let apps: AppsReadModels | null = null;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (path === '/healthz') return json(res, 200, { status: 'ok' });
    if (path === '/readyz') {
      const report = observability.readiness.report();
      return json(res, report.ready ? 200 : 503, report);
    }
    if (path === '/metrics') {
      const text = await observability.metrics.render();
      res.writeHead(200, { 'content-type': observability.metrics.contentType });
      res.end(text);
      return;
    }
    if (path.startsWith('/api/') || path.startsWith('/events/')) return handleApi(req, res, url, method);
    if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, `${method} ${path} is not served`);
    if (await serveStatic(staticRoot, path, res)) return;
    if (path === '/' || path === '/index.html') {
      throw new HttpError(
        503,
        `The dashboard is not built (no ${staticRoot}index.html): run 'npm run build:ui' (npm ci does it)`,
      );
    }
    throw new HttpError(404, `No such page: ${path}`);
  }

  async function handleApi(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    method: string,
  ): Promise<void> {
    const services = observability.services;
    if (services === null) throw new HttpError(503, 'The broker is starting; try again shortly');
    const ctx: ApiContext = { services, observability, sampler, startedAtMs };
    if (isAppsPath(url.pathname)) {
      if (apps === null) {
        apps = new AppsReadModels(embeddedLog({ services, nodeId: services.node.nodeId }));
        apps.start();
      }
      await apps.caughtUp(appsLimits.initialCatchUpWaitMs);
      const body = handleAppsRequest(apps, events, req, res, url);
      if (body !== null) json(res, 200, body);
      return;
    }
    if (url.pathname === '/events/samples') {
      const client = events.open(req, res, 'samples');
      client.send('history', sampler.history);
      return;
    }
    if (url.pathname === '/events/tail') {
      const log = requirePartition(
        ctx,
        url.searchParams.get('topic') ?? '',
        url.searchParams.get('partition') ?? undefined,
      );
      const client = events.open(req, res, 'tail');
      void runLiveTail(services, log, client).catch((error: unknown) => {
        options.log.warn({ err: error }, 'Live tail ended with an error');
        client.close();
      });
      return;
    }
    const matched = matchRoute(method, url.pathname);
    if (matched === undefined) throw new HttpError(404, `No such API: ${method} ${url.pathname}`);
    if (matched === 'method') throw new HttpError(405, `${method} is not allowed on ${url.pathname}`);
    const body = await matched.route.handle(ctx, { params: matched.params, query: url.searchParams, req });
    json(res, 200, body);
  }

  const bound = await new Promise<{ host: string; port: number }>((resolve, reject) => {
    const onError = (error: Error) =>
      reject(new Error(`Cannot serve the dashboard on ${options.host}:${options.port}: ${error.message}`));
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error(`Serving the dashboard on ${options.host}:${options.port} gave no TCP address`));
        return;
      }
      resolve({ host: address.address, port: address.port });
    });
  });
  sampler.start(options.sampleIntervalMs);
  const shownHost = bound.host.includes(':') ? `[${bound.host}]` : bound.host;
  return {
    ...bound,
    url: `http://${shownHost}:${bound.port}/`,
    sampler,
    events,
    close: async () => {
      await closeServer(server, sockets, () => {
        unsubscribe();
        sampler.stop();
        events.closeAll();
      });
      await apps?.close();
    },
  };
}

function closeServer(server: Server, sockets: Set<Socket>, stopStreams: () => void): Promise<void> {
  stopStreams();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Keep-alive sockets idle between requests would hold close() open; nothing is in flight on them.
  server.closeIdleConnections();
  for (const socket of sockets) socket.destroy();
  return closed;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

function answerError(res: ServerResponse, error: unknown, log: Logger): void {
  const status = error instanceof HttpError ? error.status : 500;
  const message = error instanceof Error ? error.message : String(error);
  if (status >= 500 && !(error instanceof HttpError)) log.error({ err: error }, 'HTTP request failed');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  json(res, status, { error: message });
}
