// An unbounded in-process source fed by the program: push() appends records to a partition,
// end() closes it. The runtime polls it like any other source, so backpressure applies: push()
// returns false when a partition already holds its limit and the caller should wait (drained()).
import { EngineError } from '../engine-error.ts';
import { type EngineRecord, noHeaders } from '../record.ts';
import type { PollStatus, Source, SourcePartition } from './source.ts';

export interface PushRecord<K, V> {
  readonly key: K;
  readonly value: V;
  readonly timestamp: number;
}

interface PartitionBuffer<K, V> {
  records: EngineRecord<K, V>[];
  head: number;
  nextOffset: number;
  ended: boolean;
}

export class PushSource<K, V> implements Source<K, V> {
  readonly name: string;
  readonly #partitions: PartitionBuffer<K, V>[] = [];
  readonly #bufferedRecordsMax: number;
  #drainWaiters: Array<() => void> = [];

  constructor(name: string, partitionCount: number, bufferedRecordsMax: number) {
    if (!Number.isInteger(partitionCount) || partitionCount < 1) {
      throw new EngineError(
        'invalid_job',
        `Cannot create push source '${name}': partitions must be >= 1, got ${partitionCount}`,
      );
    }
    this.name = name;
    this.#bufferedRecordsMax = bufferedRecordsMax;
    for (let p = 0; p < partitionCount; p++)
      this.#partitions.push({ records: [], head: 0, nextOffset: 0, ended: false });
  }

  /** Appends records; returns false when the partition is at or over its buffer limit. */
  push(partition: number, records: readonly PushRecord<K, V>[]): boolean {
    const buffer = this.#buffer(partition);
    if (buffer.ended)
      throw new EngineError(
        'source_failed',
        `Cannot push to partition ${partition} of '${this.name}': it has ended`,
      );
    for (const r of records) {
      buffer.records.push({
        key: r.key,
        value: r.value,
        timestamp: r.timestamp,
        headers: noHeaders,
        topic: this.name,
        partition,
        offset: buffer.nextOffset++,
      });
    }
    return buffer.records.length - buffer.head < this.#bufferedRecordsMax;
  }

  /** Resolves once every partition is below its buffer limit. */
  drained(): Promise<void> {
    if (this.#partitions.every((b) => b.records.length - b.head < this.#bufferedRecordsMax))
      return Promise.resolve();
    return new Promise((resolve) => this.#drainWaiters.push(resolve));
  }

  end(partition?: number): void {
    if (partition === undefined) for (const b of this.#partitions) b.ended = true;
    else this.#buffer(partition).ended = true;
  }

  partitionCount(): Promise<number> {
    return Promise.resolve(this.#partitions.length);
  }

  openPartition(partition: number, restored: number | null): Promise<SourcePartition<K, V>> {
    const buffer = this.#buffer(partition);
    const offset = restored ?? 0;
    // Records before the restored offset were already processed by the snapshot's owner.
    const skip = Math.max(0, offset - (buffer.nextOffset - (buffer.records.length - buffer.head)));
    buffer.head += Math.min(skip, buffer.records.length - buffer.head);
    let position = offset;
    const poll = (out: EngineRecord<K, V>[], recordsMax: number): Promise<PollStatus> => {
      const available = buffer.records.length - buffer.head;
      const n = Math.min(available, recordsMax);
      for (let i = 0; i < n; i++) out.push(buffer.records[buffer.head + i]!);
      buffer.head += n;
      position += n;
      if (buffer.head === buffer.records.length) {
        buffer.records = [];
        buffer.head = 0;
      }
      if (n > 0) this.#wakeDrainWaiters();
      if (buffer.ended && buffer.head === buffer.records.length) return Promise.resolve('end');
      return Promise.resolve(n > 0 ? 'records' : 'empty');
    };
    return Promise.resolve({ poll, position: () => position, close: () => Promise.resolve() });
  }

  #wakeDrainWaiters(): void {
    if (this.#drainWaiters.length === 0) return;
    if (!this.#partitions.every((b) => b.records.length - b.head < this.#bufferedRecordsMax)) return;
    const waiters = this.#drainWaiters;
    this.#drainWaiters = [];
    for (const w of waiters) w();
  }

  #buffer(partition: number): PartitionBuffer<K, V> {
    const buffer = this.#partitions[partition];
    if (buffer === undefined) {
      throw new EngineError(
        'source_failed',
        `Push source '${this.name}' has no partition ${partition} (it has ${this.#partitions.length})`,
      );
    }
    return buffer;
  }
}
