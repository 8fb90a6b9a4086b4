// The client's connections, per broker address and lane. Lanes keep slow requests from
// delaying urgent ones on an in-order connection: a Fetch parked for maxWaitMs must not hold up a
// Produce or a group Heartbeat behind it. Opening is deduplicated, and a closed connection
// leaves the pool at once, so the next request opens a fresh one.
import { clientLimits } from '../limits.ts';
import { Connection } from './connection.ts';

export type Lane = 'default' | 'fetch' | 'group';
const lanes: readonly Lane[] = ['default', 'fetch', 'group'];
// Lanes are the only source of connections per broker; keep them within the named bound.
if (lanes.length > clientLimits.connectionsPerBrokerMax)
  throw new Error('More lanes than connectionsPerBrokerMax');

export interface BrokerPoolOptions {
  clientId: string;
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
}

export class BrokerPool {
  readonly #options: BrokerPoolOptions;
  readonly #open = new Map<string, Connection>();
  readonly #opening = new Map<string, Promise<Connection>>();
  #closed = false;

  constructor(options: BrokerPoolOptions) {
    this.#options = options;
  }

  /** An open connection to host:port on `lane`, opened if needed. */
  get(host: string, port: number, lane: Lane = 'default'): Promise<Connection> {
    if (this.#closed)
      return Promise.reject(new Error(`Cannot connect to ${host}:${port}: the client is closed`));
    const key = `${lane}/${host}:${port}`;
    const open = this.#open.get(key);
    if (open !== undefined && !open.closed) return Promise.resolve(open);
    const opening = this.#opening.get(key);
    if (opening !== undefined) return opening;
    const promise = Connection.open({ host, port, ...this.#options })
      .then((connection) => {
        this.#opening.delete(key);
        if (this.#closed) {
          connection.close();
          throw new Error(`Cannot connect to ${host}:${port}: the client closed while connecting`);
        }
        this.#open.set(key, connection);
        connection.onClose(() => {
          if (this.#open.get(key) === connection) this.#open.delete(key);
        });
        return connection;
      })
      .catch((error: unknown) => {
        this.#opening.delete(key);
        throw error;
      });
    this.#opening.set(key, promise);
    return promise;
  }

  close(): void {
    this.#closed = true;
    for (const connection of this.#open.values()) connection.close();
    this.#open.clear();
  }
}
