// A local HTTP server standing in for an exchange in tests: port 0, a handler per request,
// and the list of request URLs it saw.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeAnswer {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface FakeExchange {
  readonly baseUrl: string;
  readonly requests: URL[];
  close(): Promise<void>;
}

export async function startFakeExchange(handle: (url: URL) => FakeAnswer): Promise<FakeExchange> {
  const requests: URL[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push(url);
    let answer: FakeAnswer;
    try {
      answer = handle(url);
    } catch (error) {
      answer = { status: 500, body: { message: String(error) } };
    }
    const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
