// Test support: a local HTTP server speaking enough of Slack's Web API (form or JSON bodies,
// `{ ok, ... }` answers, 429 with Retry-After) and incoming webhooks for the connectors' tests.
// Each route is a function the test supplies; every request is recorded.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** JSON bodies parsed; form bodies as an object of strings. */
  body: Record<string, unknown>;
}

export interface FakeResponse {
  status?: number;
  headers?: Record<string, string>;
  /** JSON unless a string. */
  body: unknown;
}

export type FakeRoute = (req: FakeRequest) => FakeResponse | Promise<FakeResponse>;

export interface FakeSlack {
  /** http://127.0.0.1:port/ — ends with '/', as WebClient's slackApiUrl must. */
  readonly url: string;
  readonly requests: FakeRequest[];
  route(path: string, handler: FakeRoute): void;
  close(): Promise<void>;
}

function parseBody(text: string, contentType: string | undefined): Record<string, unknown> {
  if (text.length === 0) return {};
  if (contentType?.includes('application/json') === true) return JSON.parse(text) as Record<string, unknown>;
  return Object.fromEntries(new URLSearchParams(text));
}

export async function startFakeSlack(): Promise<FakeSlack> {
  const routes = new Map<string, FakeRoute>();
  const requests: FakeRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const path = new URL(req.url ?? '/', 'http://fake').pathname;
        const request: FakeRequest = {
          method: req.method ?? 'GET',
          path,
          headers: req.headers,
          body: parseBody(Buffer.concat(chunks).toString('utf8'), req.headers['content-type']),
        };
        requests.push(request);
        const handler = routes.get(path);
        const answer: FakeResponse =
          handler === undefined
            ? { status: 404, body: { ok: false, error: 'unknown_method' } }
            : await handler(request);
        const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
        res.writeHead(answer.status ?? 200, {
          'content-type': typeof answer.body === 'string' ? 'text/plain' : 'application/json',
          ...answer.headers,
        });
        res.end(text);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    route: (path, handler) => routes.set(path, handler),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
