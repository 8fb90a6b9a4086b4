// A minimal Kafka client for broker tests: encodes requests with the generated codec, sends them
// over a real socket and decodes the responses, matching them by correlation id. It also sends
// raw bytes, so framing tests can send what no real client would.
import { connect, type Socket } from 'node:net';
import { decodeResponse, encodeRequest, sizePrefixed } from '../../protocol/frame.ts';
import { FrameReader } from '../frame-reader.ts';

interface Waiting {
  apiKey: number;
  apiVersion: number;
  resolve(body: unknown): void;
  reject(error: Error): void;
}

export class WireClient {
  #socket: Socket;
  #reader = new FrameReader(256 * 1024 * 1024);
  #waiting = new Map<number, Waiting>();
  #nextCorrelationId = 1;
  #closed: Promise<void>;
  /** Correlation ids in the order responses arrived. */
  readonly arrivals: number[] = [];

  private constructor(socket: Socket) {
    this.#socket = socket;
    this.#closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', () => {});
    socket.once('close', () => {
      for (const w of this.#waiting.values()) w.reject(new Error('connection closed'));
      this.#waiting.clear();
    });
  }

  static connect(port: number, host = '127.0.0.1'): Promise<WireClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host }, () => {
        socket.off('error', reject);
        resolve(new WireClient(socket));
      });
      socket.once('error', reject);
    });
  }

  /** Sends a request and resolves with the decoded response body. */
  request<T = unknown>(apiKey: number, apiVersion: number, body: unknown): Promise<T> {
    const correlationId = this.#nextCorrelationId++;
    const frame = sizePrefixed(encodeRequest(apiKey, apiVersion, correlationId, 'wire-client', body));
    const answer = new Promise<T>((resolve, reject) => {
      this.#waiting.set(correlationId, {
        apiKey,
        apiVersion,
        resolve: resolve as (b: unknown) => void,
        reject,
      });
    });
    for (const chunk of frame) this.#socket.write(chunk);
    return answer;
  }

  /** Sends a request that gets no response (Produce acks=0). */
  send(apiKey: number, apiVersion: number, body: unknown): number {
    const correlationId = this.#nextCorrelationId++;
    for (const chunk of sizePrefixed(encodeRequest(apiKey, apiVersion, correlationId, 'wire-client', body))) {
      this.#socket.write(chunk);
    }
    return correlationId;
  }

  /** Expects the response to a request whose correlation id the caller chose (raw frames). */
  expect<T = unknown>(correlationId: number, apiKey: number, apiVersion: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#waiting.set(correlationId, {
        apiKey,
        apiVersion,
        resolve: resolve as (b: unknown) => void,
        reject,
      });
    });
  }

  writeRaw(bytes: Buffer): void {
    this.#socket.write(bytes);
  }

  /** Resolves when the broker (or we) closed the connection. */
  get closed(): Promise<void> {
    return this.#closed;
  }

  close(): Promise<void> {
    this.#socket.end();
    return this.#closed;
  }

  #onData(chunk: Buffer): void {
    this.#reader.push(chunk);
    for (let frame = this.#reader.next(); frame !== null; frame = this.#reader.next()) {
      const correlationId = frame.readInt32BE(0);
      this.arrivals.push(correlationId);
      const waiting = this.#waiting.get(correlationId);
      if (waiting === undefined) continue;
      this.#waiting.delete(correlationId);
      try {
        waiting.resolve(decodeResponse(waiting.apiKey, waiting.apiVersion, frame).body);
      } catch (error) {
        waiting.reject(error as Error);
      }
    }
  }
}
