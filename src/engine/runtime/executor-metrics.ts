// What one executor reports about itself: plain data, posted from worker threads to the
// coordinator's metrics registry, which merges the executors' reports into one snapshot.
import type { NodeMetrics } from './task.ts';

export interface ExecutorMetrics {
  readonly executor: number;
  /** One entry per operator instance (node of a task). */
  readonly operators: ReadonlyArray<NodeMetrics & { readonly name: string; readonly task: number }>;
  readonly tasks: ReadonlyArray<{
    readonly key: string;
    readonly watermarkMs: number;
    readonly idle: boolean;
    readonly ended: boolean;
    /** Wall time this task could not step because an output channel (or credit) was full. */
    readonly backpressureMs: number;
  }>;
  /** Operator counters (`<node>.<counter>`), e.g. late records dropped. */
  readonly counters: Readonly<Record<string, number>>;
  /** Estimated bytes of operator state held by this executor. */
  readonly stateBytes: number;
  /** Messages posted to other executors. */
  readonly messagesSent: number;
}
