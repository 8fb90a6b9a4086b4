// The whole plan on one executor in the coordinator's thread: parallelism 1, or any job whose
// sources and sinks cannot leave this thread (in-memory push sources and collect sinks).
import type { Job } from '../dsl/job.ts';
import type { ConsumedOffsets } from '../log/log.ts';
import type { MetricsRegistry } from '../metrics/metrics-registry.ts';
import type { PhysicalPlan } from '../plan/physical-plan.ts';
import { Executor, type ExecutorOptions } from './executor.ts';
import type { ExecutorEvents, ExecutorHandle } from './executor-handle.ts';
import { ExecutorRunner } from './executor-runner.ts';
import { type TaskSnapshot, taskKey } from './task-snapshot.ts';

export class InThreadExecutorHandle implements ExecutorHandle {
  readonly index = 0;
  readonly #executor: Executor;
  readonly #runner: ExecutorRunner;

  constructor(job: Job, plan: PhysicalPlan, options: ExecutorOptions, events: ExecutorEvents) {
    this.#executor = new Executor(0, 1, job, plan, new Map(), options, {
      acknowledge: (id, snapshots) => events.acknowledge(0, id, snapshots),
      finished: (snapshots) => events.finished(0, snapshots),
    });
    this.#runner = new ExecutorRunner(this.#executor, (error) => events.failed(0, asError(error)));
  }

  async start(restore: readonly TaskSnapshot[] | null): Promise<void> {
    const byTask = restore === null ? null : new Map(restore.map((t) => [taskKey(t.stage, t.index), t]));
    this.#executor.startBatch(0, 0); // sources wait for the first trigger
    await this.#executor.open(byTask);
    this.#runner.start();
  }

  runContinuous(): void {
    void this.#runner.command(() => this.#executor.runContinuous());
  }

  requestCheckpoint(checkpointId: number): void {
    void this.#runner.command(() => this.#executor.requestCheckpoint(checkpointId));
  }

  startBatch(checkpointId: number, recordsPerTaskMax: number): void {
    void this.#runner.command(() => this.#executor.startBatch(checkpointId, recordsPerTaskMax));
  }

  commit(checkpointId: number, consumed: readonly ConsumedOffsets[]): Promise<void> {
    return this.#runner.command(() => this.#executor.commit(checkpointId, consumed));
  }

  reportMetrics(registry: MetricsRegistry): void {
    registry.update(this.#executor.metrics());
  }

  async close(): Promise<void> {
    await this.#runner.stop();
    await this.#executor.close();
  }

  async terminate(): Promise<void> {
    await this.#runner.stop();
  }
}

export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
