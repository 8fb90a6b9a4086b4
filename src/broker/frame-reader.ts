// Cuts a TCP byte stream into request frames (4-byte big-endian size, then that many bytes).
// The size is checked before any of the frame is buffered, so a client cannot make the broker
// hold more than requestBytesMax for one frame. Frames are fresh buffers or slices of socket
// chunks nobody else holds: decoders keep references into them (record batches), never copies.
import { protocolLimits } from '../limits.ts';

const SIZE_BYTES = 4;

export class FrameError extends Error {
  override readonly name = 'FrameError';
}

export class FrameReader {
  #chunks: Buffer[] = [];
  #bufferedBytes = 0;
  #frameBytesMax: number;

  constructor(frameBytesMax: number = protocolLimits.requestBytesMax) {
    this.#frameBytesMax = frameBytesMax;
  }

  get bufferedBytes(): number {
    return this.#bufferedBytes;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#bufferedBytes += chunk.length;
  }

  /** The next whole frame (without its size), null if more bytes are needed; throws FrameError on a bad size. */
  next(): Buffer | null {
    if (this.#bufferedBytes < SIZE_BYTES) return null;
    const size = this.#peekSize();
    if (size < 0 || size > this.#frameBytesMax) {
      throw new FrameError(`Request frame size ${size} is outside 0-${this.#frameBytesMax} bytes`);
    }
    if (this.#bufferedBytes < SIZE_BYTES + size) return null;
    this.#take(SIZE_BYTES);
    return this.#take(size);
  }

  #peekSize(): number {
    const first = this.#chunks[0];
    if (first !== undefined && first.length >= SIZE_BYTES) return first.readInt32BE(0);
    return Buffer.concat(this.#chunks, SIZE_BYTES).readInt32BE(0);
  }

  /** Removes and returns the next `bytes` bytes; the caller has checked they are buffered. */
  #take(bytes: number): Buffer {
    this.#bufferedBytes -= bytes;
    const first = this.#chunks[0];
    if (first === undefined) throw new Error(`FrameReader lost track of ${bytes} buffered bytes`);
    if (first.length >= bytes) {
      if (first.length === bytes) this.#chunks.shift();
      else this.#chunks[0] = first.subarray(bytes);
      return first.subarray(0, bytes);
    }
    const out = Buffer.allocUnsafe(bytes);
    let filled = 0;
    // Bounded by the number of buffered chunks: each iteration consumes at least one byte of one.
    while (filled < bytes) {
      const chunk = this.#chunks[0];
      if (chunk === undefined) throw new Error(`FrameReader lost track of ${bytes - filled} buffered bytes`);
      const n = Math.min(chunk.length, bytes - filled);
      chunk.copy(out, filled, 0, n);
      filled += n;
      if (n === chunk.length) this.#chunks.shift();
      else this.#chunks[0] = chunk.subarray(n);
    }
    return out;
  }
}
