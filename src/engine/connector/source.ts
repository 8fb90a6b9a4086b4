// What the runtime reads from: a source split into partitions, each read in batches of
// already-decoded records. Log-backed sources (Kafka, the embedded broker, files) adapt a
// LogReader with serdes; in-process sources hand over values directly.
import type { EngineRecord } from '../record.ts';
import type { JobEnvironment } from './environment.ts';

export type PollStatus = 'records' | 'empty' | 'end';

export interface SourcePartition<K, V> {
  /**
   * Appends up to `recordsMax` records to `out`. 'empty' means none arrived yet (the partition
   * may be idle); 'end' means a bounded partition is exhausted (records may still be appended).
   */
  poll(out: EngineRecord<K, V>[], recordsMax: number): Promise<PollStatus>;
  /** The offset of the next record this partition will return (what a snapshot stores). */
  position(): number;
  close(): Promise<void>;
}

export interface Source<K, V> {
  readonly name: string;
  partitionCount(environment: JobEnvironment): Promise<number>;
  /**
   * Opens one partition at `offset`, a position a snapshot stored, or, when null (a fresh start),
   * where the source starts by itself (the beginning, or a log's committed group offset).
   */
  openPartition(
    partition: number,
    offset: number | null,
    environment: JobEnvironment,
  ): Promise<SourcePartition<K, V>>;
}
