// One client connection: cuts frames, hands each to the dispatcher, and writes responses in the
// order the requests arrived (Kafka clients match responses by order as well as correlation id,
// so a long-polling Fetch holds back the responses behind it). Reading stops while the connection
// has inFlightRequestsPerConnectionMax unanswered requests or too many unsent response bytes;
// that is the broker's back-pressure. A request answered with closeConnection (a failed Produce
// with acks=0) closes the connection once the responses before it are written, as Kafka does;
// requests after it go unanswered. This object alone owns the socket and the response queue.
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { brokerLimits, protocolLimits } from '../limits.ts';
import type { Principal } from './authorizer.ts';
import { FrameError, FrameReader } from './frame-reader.ts';
import { type ConnectionInfo, closeConnection } from './handler.ts';
import { MalformedRequestError, type RequestDispatcher, type RequestSource } from './request-dispatcher.ts';

interface PendingResponse {
  done: boolean;
  /** Null once done when the request gets no response (Produce acks=0). */
  chunks: Buffer[] | null;
  /** Set once done when the connection closes after the responses before this one. */
  close: boolean;
}

export interface ConnectionLimits {
  inFlightRequestsMax: number;
  writeBufferBytesMax: number;
  frameBytesMax: number;
}

export class Connection implements RequestSource {
  readonly info: ConnectionInfo;
  readonly principal: Principal;
  readonly log: Logger;
  #socket: Socket;
  #dispatcher: RequestDispatcher;
  #limits: ConnectionLimits;
  #reader: FrameReader;
  #pending: PendingResponse[] = [];
  #abort = new AbortController();
  #reading = true;
  #draining = false;
  #closed: Promise<void>;

  constructor(
    socket: Socket,
    info: ConnectionInfo,
    principal: Principal,
    dispatcher: RequestDispatcher,
    log: Logger,
    limits: ConnectionLimits,
  ) {
    this.#socket = socket;
    this.info = info;
    this.principal = principal;
    this.#dispatcher = dispatcher;
    this.log = log;
    this.#limits = limits;
    this.#reader = new FrameReader(limits.frameBytesMax);
    this.#closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('drain', () => this.#pump());
    socket.on('end', () => this.#terminate('client closed the connection', 'debug'));
    socket.on('error', (error) => this.#terminate(`socket error: ${error.message}`, 'debug'));
    socket.once('close', () => this.#abort.abort());
    // The server may have paused the socket while the broker was still starting.
    socket.resume();
  }

  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  get inFlight(): number {
    return this.#pending.length;
  }

  /** Resolves once the socket has closed. */
  get closed(): Promise<void> {
    return this.#closed;
  }

  /**
   * Stops reading, ends waits (long-poll fetches answer with what they have), sends the answers
   * to requests already read, then closes; destroys the socket if that takes longer than graceMs.
   */
  async closeGracefully(graceMs: number): Promise<void> {
    this.#draining = true;
    this.#socket.pause();
    this.#abort.abort();
    this.#endIfDrained();
    const timer = setTimeout(() => this.#terminate(`close grace of ${graceMs} ms expired`, 'warn'), graceMs);
    await this.#closed;
    clearTimeout(timer);
  }

  #onData(chunk: Buffer): void {
    this.#reader.push(chunk);
    this.#pump();
  }

  /** Starts every whole buffered frame the in-flight limit allows, then pauses or resumes reading. */
  #pump(): void {
    if (this.#socket.destroyed || this.#draining) return;
    // Bounded: each iteration takes one frame out of the reader's finite buffer.
    while (this.#pending.length < this.#limits.inFlightRequestsMax) {
      let frame: Buffer | null;
      try {
        frame = this.#reader.next();
      } catch (error) {
        if (!(error instanceof FrameError)) throw error;
        this.#terminate(error.message, 'warn');
        return;
      }
      if (frame === null) break;
      this.#start(frame);
    }
    const full =
      this.#pending.length >= this.#limits.inFlightRequestsMax ||
      this.#socket.writableLength > this.#limits.writeBufferBytesMax;
    if (full && this.#reading) {
      this.#socket.pause();
      this.#reading = false;
    } else if (!full && !this.#reading) {
      this.#socket.resume();
      this.#reading = true;
    }
  }

  #start(frame: Buffer): void {
    const pending: PendingResponse = { done: false, chunks: null, close: false };
    this.#pending.push(pending);
    this.#dispatcher.dispatch(frame, this).then(
      (chunks) => {
        pending.done = true;
        if (chunks === closeConnection) pending.close = true;
        else pending.chunks = chunks;
        this.#flush();
      },
      (error: unknown) => {
        if (error instanceof MalformedRequestError) this.#terminate(error.message, 'warn');
        else {
          this.log.error({ err: error }, 'Request failed outside its handler; closing the connection');
          this.#terminate('internal error', 'error');
        }
      },
    );
  }

  /** Writes every finished response at the head of the queue, in request order. */
  #flush(): void {
    if (this.#socket.destroyed) return;
    this.#socket.cork();
    // Bounded by the queue length, which the in-flight limit bounds.
    while (this.#pending[0]?.done === true) {
      const head = this.#pending.shift();
      if (head?.close === true) {
        this.#closeAfterWrites();
        break;
      }
      if (head?.chunks != null) for (const chunk of head.chunks) this.#socket.write(chunk);
    }
    this.#socket.uncork();
    if (this.#draining) this.#endIfDrained();
    else this.#pump();
  }

  #endIfDrained(): void {
    if (this.#pending.length === 0 && !this.#socket.destroyed) this.#socket.end();
  }

  /**
   * Closes the connection after what is already written: no more reads, the requests still in
   * flight end their waits and are dropped, and the socket is destroyed once its writes flush.
   */
  #closeAfterWrites(): void {
    this.log.info(
      { dropped: this.#pending.length },
      'Closing connection: a request was answered by closing it',
    );
    this.#pending.length = 0;
    this.#draining = true;
    this.#socket.pause();
    this.#abort.abort();
    this.#socket.end(() => this.#socket.destroy());
  }

  #terminate(reason: string, level: 'debug' | 'warn' | 'error'): void {
    if (this.#socket.destroyed) return;
    this.log[level]({ reason, inFlight: this.#pending.length }, 'Closing connection');
    this.#abort.abort();
    this.#socket.destroy();
  }
}

export const defaultConnectionLimits: ConnectionLimits = {
  inFlightRequestsMax: brokerLimits.inFlightRequestsPerConnectionMax,
  writeBufferBytesMax: brokerLimits.socketWriteBufferBytesMax,
  frameBytesMax: protocolLimits.requestBytesMax,
};
