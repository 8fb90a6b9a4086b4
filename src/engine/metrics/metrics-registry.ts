// The job's metrics in one place: executors report their operators, tasks and state (in-thread
// by direct call, from worker threads every engineLimits.metricsReportIntervalMs), the
// coordinator adds checkpoint history, and snapshot() gives a dashboard or a Prometheus
// exporter one consistent, plain-data view.
import type { CheckpointStats } from '../checkpoint/checkpoint.ts';
import type { ExecutorMetrics } from '../runtime/executor-metrics.ts';

export interface OperatorMetrics {
  readonly name: string;
  readonly task: number;
  readonly executor: number;
  readonly recordsIn: number;
  readonly recordsOut: number;
  readonly batches: number;
  readonly batchMsAvg: number;
  readonly batchMsMax: number;
}

export interface TaskMetrics {
  readonly key: string;
  readonly executor: number;
  readonly watermarkMs: number;
  readonly idle: boolean;
  readonly ended: boolean;
  readonly backpressureMs: number;
}

export interface MetricsSnapshot {
  readonly operators: readonly OperatorMetrics[];
  readonly tasks: readonly TaskMetrics[];
  /** Operator counters summed over tasks and executors: `<node>.<counter>`. */
  readonly counters: Readonly<Record<string, number>>;
  readonly stateBytes: number;
  readonly checkpoints: readonly CheckpointStats[];
}

export class MetricsRegistry {
  readonly #executors = new Map<number, ExecutorMetrics>();
  #checkpoints: readonly CheckpointStats[] = [];

  update(metrics: ExecutorMetrics): void {
    this.#executors.set(metrics.executor, metrics);
  }

  checkpoints(history: readonly CheckpointStats[]): void {
    this.#checkpoints = history;
  }

  snapshot(): MetricsSnapshot {
    const operators: OperatorMetrics[] = [];
    const tasks: TaskMetrics[] = [];
    const counters: Record<string, number> = {};
    let stateBytes = 0;
    for (const e of this.#executors.values()) {
      for (const o of e.operators) {
        operators.push({
          name: o.name,
          task: o.task,
          executor: e.executor,
          recordsIn: o.recordsIn,
          recordsOut: o.recordsOut,
          batches: o.batches,
          batchMsAvg: o.batches === 0 ? 0 : o.batchMsTotal / o.batches,
          batchMsMax: o.batchMsMax,
        });
      }
      for (const t of e.tasks) tasks.push({ ...t, executor: e.executor });
      for (const [name, value] of Object.entries(e.counters)) counters[name] = (counters[name] ?? 0) + value;
      stateBytes += e.stateBytes;
    }
    operators.sort((a, b) => a.name.localeCompare(b.name) || a.task - b.task);
    tasks.sort((a, b) => a.key.localeCompare(b.key));
    return { operators, tasks, counters, stateBytes, checkpoints: [...this.#checkpoints] };
  }
}
