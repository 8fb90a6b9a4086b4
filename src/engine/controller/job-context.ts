// What the job controller's states share: the planned job, the executors, the checkpoint
// coordinator and storage, the metrics, and one inbox where executors' reports arrive. One
// owner for all of it: states run one at a time and only they touch it.

import { engineLimits } from '../../limits.ts';
import type { CompletedCheckpoint } from '../checkpoint/checkpoint.ts';
import type { CheckpointCoordinator } from '../checkpoint/checkpoint-coordinator.ts';
import type { CheckpointStorage } from '../checkpoint/checkpoint-storage.ts';
import type { JobEnvironment } from '../connector/environment.ts';
import type { MetricsRegistry } from '../metrics/metrics-registry.ts';
import { consumedOffsets } from '../runtime/consumed-offsets.ts';
import type { ExecutorHandle } from '../runtime/executor-handle.ts';
import type { PlannedJob } from '../runtime/plan-job.ts';
import type { TaskSnapshot } from '../runtime/task-snapshot.ts';
import type { Clock } from '../time/clock.ts';
import type { Trigger } from './trigger.ts';

export type JobEvent =
  | { readonly kind: 'ack'; readonly checkpointId: number; readonly snapshots: TaskSnapshot[] }
  | { readonly kind: 'finished'; readonly snapshots: TaskSnapshot[] }
  | { readonly kind: 'failed'; readonly error: Error }
  | { readonly kind: 'stop' };

/** Called after a checkpoint is stored and before sinks commit it. */
export type CheckpointListener = (checkpoint: CompletedCheckpoint) => void | Promise<void>;

export class JobContext {
  readonly name: string;
  readonly planned: PlannedJob;
  readonly trigger: Trigger;
  readonly clock: Clock;
  readonly storage: CheckpointStorage;
  readonly metrics: MetricsRegistry;
  readonly coordinator: CheckpointCoordinator;
  readonly restored: CompletedCheckpoint | null;
  readonly onCheckpoint: CheckpointListener | null;
  readonly environment: JobEnvironment;
  handles: ExecutorHandle[] = [];
  lastCompleted: CompletedCheckpoint | null;
  readonly #inbox: JobEvent[] = [];
  #wake: (() => void) | null = null;

  constructor(fields: {
    name: string;
    planned: PlannedJob;
    trigger: Trigger;
    clock: Clock;
    storage: CheckpointStorage;
    metrics: MetricsRegistry;
    coordinator: CheckpointCoordinator;
    restored: CompletedCheckpoint | null;
    onCheckpoint: CheckpointListener | null;
    environment: JobEnvironment;
  }) {
    this.name = fields.name;
    this.planned = fields.planned;
    this.trigger = fields.trigger;
    this.clock = fields.clock;
    this.storage = fields.storage;
    this.metrics = fields.metrics;
    this.coordinator = fields.coordinator;
    this.restored = fields.restored;
    this.onCheckpoint = fields.onCheckpoint;
    this.environment = fields.environment;
    this.lastCompleted = fields.restored;
  }

  post(event: JobEvent): void {
    this.#inbox.push(event);
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  /**
   * The next event, or null once the clock reaches `untilMs`. The clock is re-read at least
   * every engineLimits.idleLoopWaitMsMax, so an injected clock drives triggers too.
   */
  async next(untilMs: number): Promise<JobEvent | null> {
    for (;;) {
      const event = this.#inbox.shift();
      if (event !== undefined) return event;
      const nowMs = this.clock.nowMs();
      if (nowMs >= untilMs) return null;
      const waitMs = Math.max(1, Math.min(untilMs - nowMs, engineLimits.idleLoopWaitMsMax));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, waitMs);
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.#wake = done;
      });
      this.#wake = null;
    }
  }

  /** Applies an executor's report to the coordinator; a failure is returned for the state to act on. */
  apply(event: JobEvent): Error | 'stop' | null {
    switch (event.kind) {
      case 'ack':
        this.coordinator.acknowledge(event.checkpointId, event.snapshots);
        return null;
      case 'finished':
        this.coordinator.finished(event.snapshots);
        return null;
      case 'failed':
        return event.error;
      case 'stop':
        return 'stop';
    }
  }

  /** Stores the in-flight checkpoint if every task is covered, then lets sinks commit it. */
  async completeCheckpoint(): Promise<CompletedCheckpoint | null> {
    const startedAtMs = this.coordinator.startedAtMs();
    const completed = this.coordinator.takeCompleted(this.clock.nowMs());
    if (completed === null) return null;
    await this.store(completed, startedAtMs ?? this.clock.nowMs());
    return completed;
  }

  /** Save, tell the listener, then commit on every executor (in that order: see CHECKPOINTS.md). */
  async store(checkpoint: CompletedCheckpoint, startedAtMs: number): Promise<void> {
    const bytes = await this.storage.save(checkpoint);
    this.coordinator.stored(checkpoint, bytes, startedAtMs, this.clock.nowMs());
    this.metrics.checkpoints(this.coordinator.history);
    this.lastCompleted = checkpoint;
    await this.onCheckpoint?.(checkpoint);
    const epoch = checkpoint.finished ? Number.POSITIVE_INFINITY : checkpoint.id;
    const consumed = consumedOffsets(this.planned.plan, checkpoint.tasks, this.environment, checkpoint.id);
    await Promise.all(this.handles.map((h) => h.commit(epoch, consumed)));
  }

  collectMetrics(): void {
    for (const h of this.handles) h.reportMetrics(this.metrics);
  }
}
