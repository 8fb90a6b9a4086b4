// How the coordinator drives one executor, wherever it runs: in this thread
// (InThreadExecutorHandle) or on a worker thread (WorkerExecutorHandle). Executors answer
// through ExecutorEvents.
import type { ConsumedOffsets } from '../log/log.ts';
import type { MetricsRegistry } from '../metrics/metrics-registry.ts';
import type { TaskSnapshot } from './task-snapshot.ts';

export interface ExecutorEvents {
  acknowledge(executor: number, checkpointId: number, snapshots: TaskSnapshot[]): void;
  finished(executor: number, snapshots: TaskSnapshot[]): void;
  failed(executor: number, error: Error): void;
}

export interface ExecutorHandle {
  readonly index: number;
  /** Opens tasks (restoring their snapshots) and starts the loop; sources wait for a trigger. */
  start(restore: readonly TaskSnapshot[] | null): Promise<void>;
  runContinuous(): void;
  requestCheckpoint(checkpointId: number): void;
  startBatch(checkpointId: number, recordsPerTaskMax: number): void;
  /** Sinks commit what they sealed up to `checkpointId`; resolves once they have. */
  commit(checkpointId: number, consumed: readonly ConsumedOffsets[]): Promise<void>;
  /** Publishes this executor's latest metrics into the registry. */
  reportMetrics(registry: MetricsRegistry): void;
  /** Stops the loop and closes operators and sources (no commit). */
  close(): Promise<void>;
  /** Ends the executor at once, as a crash would: nothing is closed or committed. */
  terminate(): Promise<void>;
}
