// Cuts the bytes a broker sends into response frames (4-byte size, then the frame). The size is
// checked against the client's bound before any of the frame is kept, so a broker cannot make a
// client buffer more than responseBytesMax for one answer.
import { protocolLimits } from '../limits.ts';

const SIZE_BYTES = 4;

export class ResponseFrames {
  #chunks: Buffer[] = [];
  #bufferedBytes = 0;
  readonly #frameBytesMax: number;

  constructor(frameBytesMax: number = protocolLimits.responseBytesMax) {
    this.#frameBytesMax = frameBytesMax;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#bufferedBytes += chunk.length;
  }

  /** The next whole frame without its size, or null when more bytes are needed. */
  next(): Buffer | null {
    if (this.#bufferedBytes < SIZE_BYTES) return null;
    this.#compact(SIZE_BYTES);
    const size = this.#chunks[0]!.readInt32BE(0);
    if (size < 0 || size > this.#frameBytesMax) {
      throw new RangeError(
        `Cannot read response frame: size ${size} is outside 0-${this.#frameBytesMax} bytes`,
      );
    }
    if (this.#bufferedBytes < SIZE_BYTES + size) return null;
    this.#compact(SIZE_BYTES + size);
    const first = this.#chunks[0]!;
    const frame = first.subarray(SIZE_BYTES, SIZE_BYTES + size);
    if (first.length === SIZE_BYTES + size) this.#chunks.shift();
    else this.#chunks[0] = first.subarray(SIZE_BYTES + size);
    this.#bufferedBytes -= SIZE_BYTES + size;
    return frame;
  }

  /** Makes the first chunk hold at least `bytes` bytes (the caller checked they are buffered). */
  #compact(bytes: number): void {
    const first = this.#chunks[0]!;
    if (first.length >= bytes) return;
    let count = 0;
    let have = 0;
    while (have < bytes) have += this.#chunks[count++]!.length;
    const merged = Buffer.concat(this.#chunks.slice(0, count), have);
    this.#chunks.splice(0, count, merged);
  }
}
