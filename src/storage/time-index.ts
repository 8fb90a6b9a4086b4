// The sparse time index: 12-byte entries (timestamp int64, offset relative to the segment's base
// as uint32), as in Kafka's `.timeindex`. An entry is added with an offset-index entry when the
// segment's largest timestamp has grown, and records (largest timestamp so far, the offset where
// it was reached); so every batch before an entry's offset has a smaller timestamp.
import { floorEntry, type SparseIndex } from './sparse-index.ts';

export const TIME_INDEX_ENTRY_BYTES = 12;

export interface TimeIndexEntry {
  timestampMs: number;
  offset: number;
}

export class TimeIndex {
  readonly #index: SparseIndex;
  readonly #baseOffset: number;
  #lastTimestampMs: number;

  constructor(index: SparseIndex, baseOffset: number, lastTimestampMs: number) {
    this.#index = index;
    this.#baseOffset = baseOffset;
    this.#lastTimestampMs = lastTimestampMs;
  }

  get file(): SparseIndex {
    return this.#index;
  }

  /** Appends (timestamp, offset) if the timestamp grew since the last entry. */
  maybeAppend(timestampMs: number, offset: number): void {
    if (timestampMs <= this.#lastTimestampMs || this.#index.isFull) return;
    this.#index.append((buf, at) => {
      buf.writeBigInt64BE(BigInt(timestampMs), at);
      buf.writeUInt32BE(offset - this.#baseOffset, at + 8);
    });
    this.#lastTimestampMs = timestampMs;
  }

  /** The last entry whose timestamp is <= `timestampMs`, or undefined. */
  async floor(timestampMs: number): Promise<TimeIndexEntry | undefined> {
    const entries = await this.#index.entries();
    const count = entries.length / TIME_INDEX_ENTRY_BYTES;
    const i = floorEntry(count, (k) => Number(entries.readBigInt64BE(k * 12)), timestampMs);
    if (i < 0) return undefined;
    return {
      timestampMs: Number(entries.readBigInt64BE(i * 12)),
      offset: this.#baseOffset + entries.readUInt32BE(i * 12 + 8),
    };
  }
}

/** Problems with a time index read from disk, or undefined if entries are in order. */
export function timeIndexProblem(entries: Buffer): string | undefined {
  if (entries.length % TIME_INDEX_ENTRY_BYTES !== 0) return `size ${entries.length} is not a multiple of 12`;
  let lastTimestamp = Number.NEGATIVE_INFINITY;
  let lastRelative = -1;
  for (let at = 0; at < entries.length; at += TIME_INDEX_ENTRY_BYTES) {
    const timestamp = Number(entries.readBigInt64BE(at));
    const relative = entries.readUInt32BE(at + 8);
    if (timestamp <= lastTimestamp || relative < lastRelative) return `entry ${at / 12} is out of order`;
    lastTimestamp = timestamp;
    lastRelative = relative;
  }
  return undefined;
}
