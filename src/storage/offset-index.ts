// The sparse offset index: 8-byte entries (offset relative to the segment's base as uint32, byte
// position as uint32), as in Kafka's `.index` files. One entry per index.interval.bytes of log.
import { floorEntry, type SparseIndex } from './sparse-index.ts';

export const OFFSET_INDEX_ENTRY_BYTES = 8;

export interface IndexPosition {
  offset: number;
  position: number;
}

export class OffsetIndex {
  readonly #index: SparseIndex;
  readonly #baseOffset: number;

  constructor(index: SparseIndex, baseOffset: number) {
    this.#index = index;
    this.#baseOffset = baseOffset;
  }

  get file(): SparseIndex {
    return this.#index;
  }

  append(offset: number, position: number): void {
    this.#index.append((buf, at) => {
      buf.writeUInt32BE(offset - this.#baseOffset, at);
      buf.writeUInt32BE(position, at + 4);
    });
  }

  /** The last indexed batch starting at or before `offset` (the segment start if none). */
  async floor(offset: number): Promise<IndexPosition> {
    const entries = await this.#index.entries();
    const count = entries.length / OFFSET_INDEX_ENTRY_BYTES;
    const i = floorEntry(count, (k) => entries.readUInt32BE(k * 8), offset - this.#baseOffset);
    if (i < 0) return { offset: this.#baseOffset, position: 0 };
    return {
      offset: this.#baseOffset + entries.readUInt32BE(i * 8),
      position: entries.readUInt32BE(i * 8 + 4),
    };
  }

  async last(): Promise<IndexPosition> {
    return this.floor(Number.MAX_SAFE_INTEGER);
  }
}

/** Problems with an index file read from disk, or undefined if it can be trusted for a log of `logBytes`. */
export function offsetIndexProblem(entries: Buffer, logBytes: number): string | undefined {
  if (entries.length % OFFSET_INDEX_ENTRY_BYTES !== 0) return `size ${entries.length} is not a multiple of 8`;
  let lastRelative = -1;
  let lastPosition = -1;
  for (let at = 0; at < entries.length; at += OFFSET_INDEX_ENTRY_BYTES) {
    const relative = entries.readUInt32BE(at);
    const position = entries.readUInt32BE(at + 4);
    if (relative <= lastRelative || position <= lastPosition || position >= logBytes) {
      return `entry ${at / 8} (offset +${relative}, position ${position}) is out of order or past the log`;
    }
    lastRelative = relative;
    lastPosition = position;
  }
  return undefined;
}
