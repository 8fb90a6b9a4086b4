// Runs a job in this thread: the whole physical plan on one Executor, stepped by the caller
// (pump, pumpUntilQuiet) or to the end (run). This is the parallelism-1 / in-thread mode and
// the runtime tests drive directly with a ManualClock. Checkpoints are the same aligned
// barriers as on worker threads: checkpoint() injects them at the sources and pumps until every
// task has acknowledged, stores the result, then lets the sinks commit.
import { engineLimits } from '../../limits.ts';
import type { CompletedCheckpoint } from '../checkpoint/checkpoint.ts';
import { CheckpointCoordinator, checkRestorable } from '../checkpoint/checkpoint-coordinator.ts';
import type { CheckpointStorage } from '../checkpoint/checkpoint-storage.ts';
import type { JobEnvironment } from '../connector/environment.ts';
import type { Job } from '../dsl/job.ts';
import type { Log } from '../log/log.ts';
import { MetricsRegistry, type MetricsSnapshot } from '../metrics/metrics-registry.ts';
import type { OutputMode } from '../operators/operator.ts';
import { type Clock, systemClock } from '../time/clock.ts';
import { consumedOffsets } from './consumed-offsets.ts';
import { Executor } from './executor.ts';
import { type PlannedJob, planJob, sourcePartitionsOf } from './plan-job.ts';
import type { TaskSnapshot } from './task-snapshot.ts';
import { taskKey } from './task-snapshot.ts';

export interface RuntimeOptions {
  readonly clock?: Clock;
  /** Tasks per stage after a shuffle; default: the largest parallelism feeding the stage. */
  readonly parallelism?: number;
  readonly stateBytesMax?: number;
  /** Records per source poll (smaller batches advance watermarks more often). */
  readonly batchRecordsMax?: number;
  /** A checkpoint of a runtime of the same job definition and plan to resume from. */
  readonly restoreFrom?: CompletedCheckpoint;
  /** Where completed checkpoints go; without one they only drive sink commits. */
  readonly checkpointStorage?: CheckpointStorage;
  readonly outputMode?: OutputMode;
  /** The log topic sources and sinks read and write (a Log binding; see runJob for the others). */
  readonly log?: Log;
}

export class LocalRuntime {
  readonly #job: Job;
  readonly #clock: Clock;
  readonly #options: RuntimeOptions;
  readonly #metrics = new MetricsRegistry();
  readonly #environment: JobEnvironment;
  #planned: PlannedJob | null = null;
  #executor: Executor | null = null;
  #coordinator: CheckpointCoordinator | null = null;
  #started = false;
  #stopped = false;
  #done = false;
  #completed: CompletedCheckpoint | null = null;

  constructor(job: Job, options: RuntimeOptions = {}) {
    this.#job = job;
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#environment = { job: job.name, log: options.log ?? null };
  }

  /** Runs until every source ends (or stop()), then commits the final checkpoint and closes. */
  async run(): Promise<void> {
    await this.start();
    while (!this.#done && !this.#stopped) {
      if (!(await this.pump())) await this.#executor!.waitForWork();
    }
    await this.close();
  }

  /** Plans the job, opens sources and operators, restores the checkpoint if one was given. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    const options = this.#options;
    const planned = planJob(
      this.#job,
      await sourcePartitionsOf(this.#job, this.#environment),
      options.parallelism ?? null,
      options.outputMode ?? null,
    );
    this.#planned = planned;
    const restore = options.restoreFrom ?? null;
    if (restore !== null) checkRestorable(restore, this.#job.name, planned.description);
    const coordinator = new CheckpointCoordinator(
      this.#job.name,
      planned.description,
      planned.taskKeys,
      restore?.id ?? 0,
    );
    this.#coordinator = coordinator;
    const executor = new Executor(
      0,
      1,
      this.#job,
      planned.plan,
      new Map(),
      {
        clock: this.#clock,
        batchRecordsMax: Math.min(
          options.batchRecordsMax ?? engineLimits.batchRecordsMax,
          engineLimits.batchRecordsMax,
        ),
        stateBytesMax: options.stateBytesMax ?? engineLimits.stateBytesMaxDefault,
        outputMode: options.outputMode ?? null,
        environment: this.#environment,
      },
      {
        acknowledge: (id, snapshots) => coordinator.acknowledge(id, snapshots),
        finished: (snapshots) => coordinator.finished(snapshots),
      },
    );
    this.#executor = executor;
    const byTask = new Map<string, TaskSnapshot>();
    for (const t of restore?.tasks ?? []) byTask.set(taskKey(t.stage, t.index), t);
    await executor.open(restore === null ? null : byTask);
    if (restore?.finished === true) this.#done = true;
  }

  /** One round of the executor, then completes whatever checkpoint it finished. */
  async pump(): Promise<boolean> {
    await this.start();
    if (this.#done) return false;
    const progressed = await this.#executor!.pump();
    await this.#completeCheckpoints();
    return progressed;
  }

  /** Pumps until a round makes no progress: every record pushed so far has been processed. */
  async pumpUntilQuiet(): Promise<void> {
    await this.start();
    while (await this.pump()) {
      if (this.#done) return;
    }
  }

  /**
   * Takes a checkpoint with barriers: injects them at the sources, pumps until every task has
   * acknowledged (or ended), stores it, commits sinks, and returns it.
   */
  async checkpoint(): Promise<CompletedCheckpoint> {
    await this.start();
    if (this.#done) return this.#completed!;
    const coordinator = this.#coordinator!;
    const id = coordinator.begin(this.#clock.nowMs());
    this.#executor!.requestCheckpoint(id);
    for (;;) {
      const progressed = await this.#executor!.pump();
      const completed = await this.#completeCheckpoints();
      if (completed !== null && completed.id >= id) return completed;
      if (!progressed) await this.#executor!.waitForWork();
    }
  }

  stop(): void {
    this.#stopped = true;
  }

  async close(): Promise<void> {
    await this.#executor?.close();
  }

  /** Counters of every operator, summed over tasks: `<node name>.<counter>`. */
  metrics(): Record<string, number> {
    return { ...this.metricsSnapshot().counters };
  }

  metricsSnapshot(): MetricsSnapshot {
    if (this.#executor !== null) this.#metrics.update(this.#executor.metrics());
    if (this.#coordinator !== null) this.#metrics.checkpoints(this.#coordinator.history);
    return this.#metrics.snapshot();
  }

  describe(): string {
    if (this.#planned === null) throw new Error('describe() needs start() first');
    return this.#planned.description;
  }

  /** Stores and commits a completed checkpoint, and the final one once every task ended. */
  async #completeCheckpoints(): Promise<CompletedCheckpoint | null> {
    const coordinator = this.#coordinator!;
    const startedAtMs = coordinator.startedAtMs();
    let completed = coordinator.takeCompleted(this.#clock.nowMs());
    if (completed !== null) await this.#store(completed, startedAtMs!);
    if (!this.#done && coordinator.allFinished() && this.#executor!.finished()) {
      completed = coordinator.takeFinal(this.#clock.nowMs());
      await this.#store(completed, this.#clock.nowMs());
      this.#done = true;
    }
    return completed;
  }

  async #store(checkpoint: CompletedCheckpoint, startedAtMs: number): Promise<void> {
    const bytes = (await this.#options.checkpointStorage?.save(checkpoint)) ?? 0;
    this.#coordinator!.stored(checkpoint, bytes, startedAtMs, this.#clock.nowMs());
    this.#completed = checkpoint;
    const consumed = consumedOffsets(this.#planned!.plan, checkpoint.tasks, this.#environment, checkpoint.id);
    await this.#executor!.commit(checkpoint.finished ? Number.POSITIVE_INFINITY : checkpoint.id, consumed);
  }
}
