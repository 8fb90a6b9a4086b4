// __consumer_offsets held in memory, as real record batches (the same bytes a partition log
// would store), for brokers without a data directory. Nothing survives the process.
import { coordinatorLimits } from '../limits.ts';
import { decodeRecordBatch, encodeRecordBatch } from '../protocol/records/record-batch.ts';
import type { OffsetsLog, OffsetsLogRecord } from './offsets-log.ts';

export class MemoryOffsetsLog implements OffsetsLog {
  readonly partitions: number;
  readonly #batches: Buffer[][];
  readonly #nextOffsets: bigint[];
  #tail: Promise<void> = Promise.resolve();

  constructor(partitions: number) {
    if (
      !Number.isInteger(partitions) ||
      partitions < 1 ||
      partitions > coordinatorLimits.offsetsTopicPartitionsMax
    ) {
      throw new RangeError(
        `Cannot create an in-memory __consumer_offsets: partitions must be between 1 and ${coordinatorLimits.offsetsTopicPartitionsMax}, got ${partitions}`,
      );
    }
    this.partitions = partitions;
    this.#batches = Array.from({ length: partitions }, () => []);
    this.#nextOffsets = Array.from({ length: partitions }, () => 0n);
  }

  append(partition: number, records: readonly OffsetsLogRecord[]): Promise<void> {
    const batches = this.#batches[partition];
    if (batches === undefined) {
      return Promise.reject(
        new RangeError(
          `Cannot append to __consumer_offsets partition ${partition}: there are ${this.partitions}`,
        ),
      );
    }
    // Chained so that appends complete in call order even though encoding is asynchronous.
    const done = this.#tail.then(async () => {
      if (records.length === 0) return;
      const baseOffset = this.#nextOffsets[partition] ?? 0n;
      const baseTimestamp = BigInt(records[0]?.timestampMs ?? 0);
      const batch = await encodeRecordBatch({
        baseOffset,
        baseTimestamp,
        records: records.map((r, i) => ({
          offsetDelta: i,
          timestampDelta: BigInt(r.timestampMs) - baseTimestamp,
          key: r.key,
          value: r.value,
          headers: [],
        })),
      });
      batches.push(batch);
      this.#nextOffsets[partition] = baseOffset + BigInt(records.length);
    });
    this.#tail = done.catch(() => {});
    return done;
  }

  async *readAll(partition: number): AsyncIterable<OffsetsLogRecord> {
    for (const batch of this.#batches[partition] ?? []) {
      const decoded = decodeRecordBatch(batch);
      const base = decoded.header.baseTimestamp;
      for (const r of await decoded.decodeRecords()) {
        if (r.key === null) continue;
        yield { key: r.key, value: r.value, timestampMs: Number(base + r.timestampDelta) };
      }
    }
  }
}
