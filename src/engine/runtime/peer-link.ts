// The connection between two executors: one MessagePort carrying the elements of every remote
// channel between them and the credits flowing back. Sends are queued and posted once per
// executor round (flush), so a round's elements cost one message, not one per element.
//
// Encoding: 'clone' posts the elements and lets structured clone copy them; 'v8' serializes
// them into one buffer with node:v8 and transfers its memory. bench/nexmark.ts measures both;
// records must be structured-clonable either way (no functions, no class instances with
// behaviour).
import { deserialize, serialize } from 'node:v8';
import type { MessagePort } from 'node:worker_threads';
import type { Element } from './channel.ts';
import type { RemoteInputChannel, RemoteOutputChannel } from './remote-channel.ts';

export type ChannelEncoding = 'clone' | 'v8';

interface PeerMessage {
  /** [channel id, element] pairs, or their v8 serialization. */
  readonly elements: Array<[number, Element]> | Uint8Array | null;
  /** [channel id, credits returned] pairs. */
  readonly credits: Array<[number, number]> | null;
}

export class PeerLink {
  readonly peer: number;
  readonly #port: MessagePort;
  readonly #encoding: ChannelEncoding;
  readonly #inputs = new Map<number, RemoteInputChannel>();
  readonly #outputs = new Map<number, RemoteOutputChannel>();
  #elements: Array<[number, Element]> = [];
  #credits = new Map<number, number>();
  /** Messages posted and bytes of v8-encoded elements, for the metrics. */
  messagesSent = 0;
  bytesSent = 0;

  constructor(peer: number, port: MessagePort, encoding: ChannelEncoding, onArrival: () => void) {
    this.peer = peer;
    this.#port = port;
    this.#encoding = encoding;
    port.on('message', (message: PeerMessage) => {
      this.#receive(message);
      onArrival();
    });
  }

  addInput(channel: RemoteInputChannel): void {
    this.#inputs.set(channel.id, channel);
  }

  addOutput(channel: RemoteOutputChannel): void {
    this.#outputs.set(channel.id, channel);
  }

  send(channelId: number, element: Element): void {
    this.#elements.push([channelId, element]);
  }

  returnCredit(channelId: number): void {
    this.#credits.set(channelId, (this.#credits.get(channelId) ?? 0) + 1);
  }

  /** Posts what this round queued; true if anything was sent. */
  flush(): boolean {
    if (this.#elements.length === 0 && this.#credits.size === 0) return false;
    let elements: PeerMessage['elements'] = null;
    const transfer: ArrayBuffer[] = [];
    if (this.#elements.length > 0) {
      if (this.#encoding === 'v8') {
        const bytes = serialize(this.#elements);
        elements = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        // Transfer only a buffer this message owns whole; a pooled slice is copied by clone.
        if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength)
          transfer.push(bytes.buffer as ArrayBuffer);
        this.bytesSent += bytes.byteLength;
      } else elements = this.#elements;
    }
    const credits = this.#credits.size > 0 ? [...this.#credits] : null;
    this.#port.postMessage({ elements, credits } satisfies PeerMessage, transfer);
    this.messagesSent++;
    this.#elements = [];
    this.#credits = new Map();
    return true;
  }

  close(): void {
    this.#port.close();
  }

  #receive(message: PeerMessage): void {
    if (message.credits !== null) {
      for (const [id, n] of message.credits) this.#output(id).grant(n);
    }
    const raw = message.elements;
    if (raw === null) return;
    const elements = raw instanceof Uint8Array ? (deserialize(raw) as Array<[number, Element]>) : raw;
    for (const [id, element] of elements) {
      const input = this.#inputs.get(id);
      if (input === undefined) throw new Error(`Executor link from ${this.peer} has no input channel ${id}`);
      input.receive(element);
    }
  }

  #output(id: number): RemoteOutputChannel {
    const output = this.#outputs.get(id);
    if (output === undefined) throw new Error(`Executor link to ${this.peer} has no output channel ${id}`);
    return output;
  }
}
