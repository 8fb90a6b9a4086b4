// Server-sent event streams: at most sseClientsMax open at once (beyond that a new stream is
// answered 503), and each client's unsent bytes bounded by sseClientBufferBytesMax: a client that
// reads slower than events arrive is disconnected rather than buffered without end (its browser
// reconnects and starts from the current state). Owns the set of open streams.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { httpLimits } from '../../limits.ts';
import { HttpError } from './http-error.ts';

export interface SseClient {
  readonly topic: string;
  /** Aborted when the client goes away or is dropped. */
  readonly signal: AbortSignal;
  /** Sends one event; returns false (and closes the stream) if the client is too far behind. */
  send(event: string, data: unknown): boolean;
  close(): void;
}

export interface SseLimits {
  clientsMax: number;
  clientBufferBytesMax: number;
}

export class SseHub {
  readonly #clients = new Set<SseClient>();
  readonly #limits: SseLimits;

  constructor(
    limits: SseLimits = {
      clientsMax: httpLimits.sseClientsMax,
      clientBufferBytesMax: httpLimits.sseClientBufferBytesMax,
    },
  ) {
    this.#limits = limits;
  }

  get clientCount(): number {
    return this.#clients.size;
  }

  /** Starts an event stream on `res`, subscribed to `topic` (e.g. 'samples' or 'tail'). */
  open(req: IncomingMessage, res: ServerResponse, topic: string): SseClient {
    if (this.#clients.size >= this.#limits.clientsMax) {
      throw new HttpError(503, `Cannot open an event stream: ${this.#clients.size} are open, the limit`);
    }
    const abort = new AbortController();
    const bufferMax = this.#limits.clientBufferBytesMax;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    // Retry after 2 s if the stream drops; the first write also flushes the headers.
    res.write('retry: 2000\n\n');
    const client: SseClient = {
      topic,
      signal: abort.signal,
      send: (event, data) => {
        if (abort.signal.aborted) return false;
        if (res.writableLength > bufferMax) {
          client.close();
          return false;
        }
        res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
        return true;
      },
      close: () => {
        if (abort.signal.aborted) return;
        abort.abort();
        this.#clients.delete(client);
        res.end();
      },
    };
    this.#clients.add(client);
    req.socket.setTimeout(0);
    res.on('close', () => client.close());
    return client;
  }

  /** Sends an event to every client subscribed to `topic`. */
  broadcast(topic: string, event: string, data: unknown): void {
    for (const client of [...this.#clients]) if (client.topic === topic) client.send(event, data);
  }

  closeAll(): void {
    for (const client of [...this.#clients]) client.close();
  }
}
