// A TCP proxy between Kafka clients and a real broker that records every frame both ways.
// Kafka frames are a 4-byte size then the payload; a request header starts with api key,
// api version and correlation id, while a response header carries only the correlation id.
// So each connection keeps its in-flight requests by correlation id, and a response is
// labelled with the api key and version of the request it answers.
//
// The broker must advertise the proxy's address (advertised.listeners), or clients would
// learn the broker's own address from Metadata and FindCoordinator and bypass the proxy.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server, Socket } from 'node:net';
import { join } from 'node:path';
import { protocolLimits } from '../../src/limits.ts';

export type FrameDirection = 'request' | 'response';

export interface CapturedFrame {
  /** 1-based connection number, in accept order. */
  connection: number;
  /** 1-based position of this frame among all frames the proxy saw, both directions. */
  sequence: number;
  direction: FrameDirection;
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  /** Bytes after the 4-byte size prefix: header and body. */
  payload: Buffer;
}

export interface RecordingProxyOptions {
  /** Port to listen on, on 127.0.0.1 (the broker's advertised port); 0 picks one. */
  listenPort: number;
  brokerHost: string;
  brokerPort: number;
  /** If set, every frame is also written to `<outDir>/<sequence>-c<connection>-k<apiKey>-v<version>-<direction>.bin`. */
  outDir?: string;
  /** Most bytes of frames kept in memory; past it, frames are forwarded but not kept. */
  keptBytesMax?: number;
  onFrame?: (frame: CapturedFrame) => void;
}

export interface RecordingProxy {
  port: number;
  /** Frames kept so far, in the order they were seen. */
  readonly frames: readonly CapturedFrame[];
  /** Responses whose correlation id matched no request in flight on their connection. */
  readonly unmatchedResponses: number;
  /** Frames seen but not kept because keptBytesMax was reached. */
  readonly droppedFrames: number;
  stop(): Promise<void>;
}

const keptBytesMaxDefault = 256 * 1024 * 1024;
/** Requests in flight on one connection (Kafka's clients pipeline at most a handful; acks=0
 * produce requests never get a response, so an old entry is evicted past this count). */
const inFlightPerConnectionMax = 1024;

interface InFlight {
  apiKey: number;
  apiVersion: number;
}

/** Splits a byte stream into Kafka frames; returns payloads and keeps the remainder. */
export class FrameSplitter {
  #pending: Buffer = Buffer.alloc(0);
  readonly #frameBytesMax: number;

  constructor(frameBytesMax: number) {
    this.#frameBytesMax = frameBytesMax;
  }

  push(chunk: Buffer): Buffer[] {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const frames: Buffer[] = [];
    let at = 0;
    while (this.#pending.length - at >= 4) {
      const size = this.#pending.readInt32BE(at);
      if (size < 0 || size > this.#frameBytesMax) {
        throw new Error(`Cannot split Kafka frames: size ${size} is outside 0..${this.#frameBytesMax}`);
      }
      if (this.#pending.length - at - 4 < size) break;
      // Copy: the frame outlives the chunk it came in, which Node may reuse.
      frames.push(Buffer.from(this.#pending.subarray(at + 4, at + 4 + size)));
      at += 4 + size;
    }
    this.#pending = this.#pending.subarray(at);
    return frames;
  }
}

export async function startRecordingProxy(options: RecordingProxyOptions): Promise<RecordingProxy> {
  const frames: CapturedFrame[] = [];
  const sockets = new Set<Socket>();
  const keptBytesMax = options.keptBytesMax ?? keptBytesMaxDefault;
  const state = { connections: 0, sequence: 0, keptBytes: 0, unmatched: 0, dropped: 0 };
  if (options.outDir !== undefined) mkdirSync(options.outDir, { recursive: true });

  const record = (frame: CapturedFrame): void => {
    if (state.keptBytes + frame.payload.length > keptBytesMax) {
      state.dropped++;
      return;
    }
    state.keptBytes += frame.payload.length;
    frames.push(frame);
    if (options.outDir !== undefined) {
      const name = `${String(frame.sequence).padStart(6, '0')}-c${frame.connection}-k${frame.apiKey}-v${frame.apiVersion}-${frame.direction}.bin`;
      writeFileSync(join(options.outDir, name), frame.payload);
    }
    options.onFrame?.(frame);
  };

  const server = createServer((client) => {
    const connection = ++state.connections;
    const upstream = new Socket();
    sockets.add(client);
    sockets.add(upstream);
    const inFlight = new Map<number, InFlight>();
    const requests = new FrameSplitter(protocolLimits.requestBytesMax);
    const responses = new FrameSplitter(protocolLimits.responseBytesMax);
    const fail = (error: Error): void => {
      console.error(`recording proxy: connection ${connection}: ${error.message}`);
      client.destroy();
      upstream.destroy();
    };

    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      try {
        for (const payload of requests.push(chunk)) {
          if (payload.length < 8) throw new Error(`request frame of ${payload.length} bytes has no header`);
          const apiKey = payload.readInt16BE(0);
          const apiVersion = payload.readInt16BE(2);
          const correlationId = payload.readInt32BE(4);
          if (inFlight.size >= inFlightPerConnectionMax) {
            const oldest = inFlight.keys().next();
            if (oldest.done !== true) inFlight.delete(oldest.value);
          }
          inFlight.set(correlationId, { apiKey, apiVersion });
          const sequence = ++state.sequence;
          record({ connection, sequence, direction: 'request', apiKey, apiVersion, correlationId, payload });
        }
      } catch (error) {
        fail(error as Error);
      }
    });
    upstream.on('data', (chunk: Buffer) => {
      client.write(chunk);
      try {
        for (const payload of responses.push(chunk)) {
          if (payload.length < 4) throw new Error(`response frame of ${payload.length} bytes has no header`);
          const correlationId = payload.readInt32BE(0);
          const request = inFlight.get(correlationId);
          if (request === undefined) {
            state.unmatched++;
            continue;
          }
          inFlight.delete(correlationId);
          const sequence = ++state.sequence;
          record({ connection, sequence, direction: 'response', ...request, correlationId, payload });
        }
      } catch (error) {
        fail(error as Error);
      }
    });
    client.on('close', () => {
      sockets.delete(client);
      upstream.end();
    });
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.end();
    });
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    // Hold the client's bytes until the broker connection is up.
    client.pause();
    upstream.connect(options.brokerPort, options.brokerHost, () => client.resume());
  });

  const port = await listen(server, options.listenPort);
  return {
    port,
    frames,
    get unmatchedResponses() {
      return state.unmatched;
    },
    get droppedFrames() {
      return state.dropped;
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) =>
      reject(new Error(`Cannot start the recording proxy on 127.0.0.1:${port}: ${e.message}`)),
    );
    server.listen(port, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') {
    throw new Error(`Cannot start the recording proxy: server.address() returned ${String(address)}`);
  }
  return address.port;
}
