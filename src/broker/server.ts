// The TCP listener: accepts connections up to connectionsMax (beyond that, closes the new socket
// with a log line), gives each a Connection, and on close stops accepting and closes every
// connection gracefully. Owns the set of open connections.
import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import { ANONYMOUS } from './authorizer.ts';
import { Connection, type ConnectionLimits } from './connection.ts';
import type { RequestDispatcher } from './request-dispatcher.ts';

export interface ServerOptions {
  log: Logger;
  connectionsMax: number;
  connection: ConnectionLimits;
}

export class BrokerServer {
  #server: Server;
  #options: ServerOptions;
  #connections = new Set<Connection>();
  #dispatcher: RequestDispatcher | null = null;
  /** Sockets accepted between listen() and serve(); they wait, unread, for the broker to be ready. */
  #waiting: Socket[] = [];
  #nextConnectionId = 1;

  constructor(options: ServerOptions) {
    this.#options = options;
    this.#server = createServer({ noDelay: true }, (socket) => this.#accept(socket));
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Listens on host:port (port 0 picks a free one); resolves with the bound address. */
  listen(host: string, port: number): Promise<{ host: string; port: number }> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) =>
        reject(new Error(`Cannot listen on ${host}:${port}: ${error.message}`));
      this.#server.once('error', onError);
      this.#server.listen(port, host, () => {
        this.#server.off('error', onError);
        const address = this.#server.address();
        if (address === null || typeof address === 'string') {
          reject(new Error(`Listening on ${host}:${port} gave no TCP address`));
          return;
        }
        resolve({ host: address.address, port: address.port });
      });
    });
  }

  /** Starts answering requests; called once the services exist (they need the bound port). */
  serve(dispatcher: RequestDispatcher): void {
    this.#dispatcher = dispatcher;
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const socket of waiting) if (!socket.destroyed) this.#accept(socket);
  }

  /** Stops accepting, then closes every connection gracefully within graceMs. */
  async close(graceMs: number): Promise<void> {
    const stopped = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const socket of this.#waiting) socket.destroy();
    this.#waiting = [];
    await Promise.all([...this.#connections].map((c) => c.closeGracefully(graceMs)));
    await stopped;
  }

  #accept(socket: Socket): void {
    const { log, connectionsMax } = this.#options;
    const remote = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    const dispatcher = this.#dispatcher;
    if (this.#connections.size + this.#waiting.length >= connectionsMax) {
      log.warn(
        { remote, connectionsMax },
        `Refusing connection from ${remote}: ${connectionsMax} connections open`,
      );
      socket.destroy();
      return;
    }
    if (dispatcher === null) {
      socket.pause();
      this.#waiting.push(socket);
      return;
    }
    const id = this.#nextConnectionId++;
    const info = {
      id,
      remoteAddress: socket.remoteAddress ?? '',
      remotePort: socket.remotePort ?? 0,
      localPort: socket.localPort ?? 0,
    };
    const connection = new Connection(
      socket,
      info,
      ANONYMOUS,
      dispatcher,
      log.child({ conn: id, remote }),
      this.#options.connection,
    );
    this.#connections.add(connection);
    connection.log.debug('Connection opened');
    void connection.closed.then(() => {
      this.#connections.delete(connection);
      connection.log.debug('Connection closed');
    });
  }
}
