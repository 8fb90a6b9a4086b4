// The public entry: run a job to its end (bounded input), until stop() (unbounded), or until a
// once/availableNow trigger is done. A Job object runs in this thread; a JobModule can run on
// worker threads (default: one executor per core), each rebuilding the job from its module.
// With a checkpoint directory the job resumes from its latest checkpoint, so running it again
// after a crash gives the output an uninterrupted run would have given. With `log` (an embedded
// broker, `{ bootstrap }` or a Log binding) topic sources and sinks read and write that log;
// worker threads reach it over the Kafka protocol.
import { availableParallelism } from 'node:os';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { LogOption } from '../connectors/resolve-log.ts';
import { engineLimits } from '../limits.ts';
import type { CompletedCheckpoint } from './checkpoint/checkpoint.ts';
import { CheckpointCoordinator, checkRestorable } from './checkpoint/checkpoint-coordinator.ts';
import type { CheckpointStorage } from './checkpoint/checkpoint-storage.ts';
import { LocalCheckpointStorage } from './checkpoint/local-checkpoint-storage.ts';
import { MemoryCheckpointStorage } from './checkpoint/memory-checkpoint-storage.ts';
import type { JobEnvironment } from './connector/environment.ts';
import { type CheckpointListener, JobContext } from './controller/job-context.ts';
import { runController } from './controller/job-controller.ts';
import { parseTrigger, type TriggerSpec } from './controller/trigger.ts';
import { Job } from './dsl/job.ts';
import { EngineError } from './engine-error.ts';
import { MetricsRegistry, type MetricsSnapshot } from './metrics/metrics-registry.ts';
import type { OutputMode } from './operators/operator.ts';
import type { ExecutorEvents } from './runtime/executor-handle.ts';
import { InThreadExecutorHandle } from './runtime/in-thread-executor-handle.ts';
import { type JobModule, jobModuleUrl, loadJob } from './runtime/job-module.ts';
import type { ChannelEncoding } from './runtime/peer-link.ts';
import { planJob, sourcePartitionsOf } from './runtime/plan-job.ts';
import { WorkerExecutorHandle } from './runtime/worker-executor-handle.ts';
import { type Clock, systemClock } from './time/clock.ts';

export interface RunJobOptions {
  /** Worker-thread executors for a JobModule; default os.availableParallelism(); 1 runs in-thread. */
  readonly executors?: number;
  /** Tasks per stage after a shuffle; default: the largest parallelism feeding the stage. */
  readonly parallelism?: number;
  readonly trigger?: TriggerSpec;
  readonly outputMode?: OutputMode;
  /** Directory of checkpoints (crash-safe files); the job resumes from the newest one there. */
  readonly checkpointDir?: string;
  /** Another checkpoint storage (instead of checkpointDir); default: in memory. */
  readonly checkpointStorage?: CheckpointStorage;
  /** Processing time for triggers, timers and idleness; in-thread only. */
  readonly clock?: Clock;
  readonly batchRecordsMax?: number;
  /** Bytes of state the whole job may hold, split evenly over executors. */
  readonly stateBytesMax?: number;
  /** How records cross threads: structured clone or v8-serialized transferred buffers. */
  readonly channelEncoding?: ChannelEncoding;
  /** Called after each checkpoint is stored, before sinks commit it. */
  readonly onCheckpoint?: CheckpointListener;
  /**
   * The log topic sources and sinks use: a `startBroker()` result (in-process, no TCP), a Kafka
   * cluster `{ bootstrap: 'host:port' }`, or a Log binding (which the caller closes).
   */
  readonly log?: LogOption;
}

export interface JobResult {
  /** finished: every source ended; stopped: stop() or a once/availableNow trigger completed. */
  readonly state: 'finished' | 'stopped';
  readonly lastCheckpoint: CompletedCheckpoint | null;
  readonly metrics: MetricsSnapshot;
}

export interface RunningJob {
  /** describePlan() of the physical plan. */
  readonly plan: string;
  readonly executors: number;
  readonly done: Promise<JobResult>;
  /** Asks the job to stop after the current step; `done` resolves with state 'stopped'. */
  stop(): void;
  metrics(): MetricsSnapshot;
  /** Kills one executor as a crash would (fault injection for recovery drills and tests). */
  terminateExecutor(index: number): Promise<void>;
}

export async function runJob(job: Job | JobModule, options: RunJobOptions = {}): Promise<JobResult> {
  return (await startJob(job, options)).done;
}

export async function startJob(job: Job | JobModule, options: RunJobOptions = {}): Promise<RunningJob> {
  const module = job instanceof Job ? null : job;
  const built = job instanceof Job ? job : await loadJob(job);
  const bound =
    options.log === undefined
      ? null
      : await (await import('../connectors/resolve-log.ts')).resolveLog(options.log);
  try {
    return await startBound(built, module, options, { job: built.name, log: bound?.log ?? null }, () =>
      bound?.owned === true ? bound.log.close() : Promise.resolve(),
    );
  } catch (error) {
    if (bound?.owned === true) await bound.log.close();
    throw error;
  }
}

async function startBound(
  built: Job,
  module: JobModule | null,
  options: RunJobOptions,
  environment: JobEnvironment,
  release: () => Promise<void>,
): Promise<RunningJob> {
  const sourcePartitions = await sourcePartitionsOf(built, environment);
  const planned = planJob(built, sourcePartitions, options.parallelism ?? null, options.outputMode ?? null);
  const widest = Math.max(...planned.plan.stages.map((s) => s.parallelism));
  const asked = options.executors ?? (module === null ? 1 : availableParallelism());
  if (!(Number.isInteger(asked) && asked >= 1 && asked <= engineLimits.executorsMax))
    throw new EngineError('invalid_job', `executors must be 1..${engineLimits.executorsMax}, got ${asked}`);
  if (module === null && asked > 1) {
    throw new EngineError(
      'invalid_job',
      `Job '${built.name}' is a Job object, which cannot be sent to ${asked} worker threads: pass a JobModule ({ module, params }) or executors: 1`,
    );
  }
  const executors = Math.min(asked, widest);
  const logBootstrap = environment.log?.bootstrap ?? null;
  if (executors > 1 && environment.log !== null && logBootstrap === null) {
    throw new EngineError(
      'invalid_job',
      `Job '${built.name}' runs against ${environment.log.description}, which only this thread can reach: use executors: 1 or a broker that listens`,
    );
  }
  if (options.clock !== undefined && executors > 1)
    throw new EngineError('invalid_job', 'An injected clock works only in-thread (executors: 1)');
  const storage =
    options.checkpointStorage ??
    (options.checkpointDir === undefined
      ? new MemoryCheckpointStorage()
      : new LocalCheckpointStorage(options.checkpointDir));
  const restored = await storage.latest();
  if (restored !== null) checkRestorable(restored, built.name, planned.description);
  const metrics = new MetricsRegistry();
  const clock = options.clock ?? systemClock;
  const context = new JobContext({
    name: built.name,
    planned,
    trigger: parseTrigger(options.trigger),
    clock,
    storage,
    metrics,
    coordinator: new CheckpointCoordinator(
      built.name,
      planned.description,
      planned.taskKeys,
      restored?.id ?? 0,
    ),
    restored,
    onCheckpoint: options.onCheckpoint ?? null,
    environment,
  });
  const events: ExecutorEvents = {
    acknowledge: (_e, checkpointId, snapshots) => context.post({ kind: 'ack', checkpointId, snapshots }),
    finished: (_e, snapshots) => context.post({ kind: 'finished', snapshots }),
    failed: (_e, error) => context.post({ kind: 'failed', error }),
  };
  const stateBytesMax = Math.floor((options.stateBytesMax ?? engineLimits.stateBytesMaxDefault) / executors);
  const batchRecordsMax = Math.min(
    options.batchRecordsMax ?? engineLimits.batchRecordsMax,
    engineLimits.batchRecordsMax,
  );
  const outputMode = options.outputMode ?? null;
  if (executors === 1) {
    context.handles = [
      new InThreadExecutorHandle(
        built,
        planned.plan,
        { clock, batchRecordsMax, stateBytesMax, outputMode, environment },
        events,
      ),
    ];
  } else {
    const ports = peerPorts(executors);
    context.handles = Array.from(
      { length: executors },
      (_, executor) =>
        new WorkerExecutorHandle(
          {
            executor,
            executors,
            moduleUrl: jobModuleUrl(module!),
            exportName: module!.exportName ?? 'job',
            params: module!.params,
            planDescription: planned.description,
            sourcePartitions: [...sourcePartitions],
            parallelism: options.parallelism ?? null,
            outputMode,
            batchRecordsMax,
            stateBytesMax,
            encoding: options.channelEncoding ?? 'clone',
            logBootstrap,
          },
          ports[executor]!,
          events,
        ),
    );
  }
  if (restored?.finished === true) {
    // Nothing left to do: the job already finished. Sinks still commit (idempotently).
    for (const h of context.handles) await h.start(restored.tasks);
    await Promise.all(context.handles.map((h) => h.close()));
    await release();
    return finishedAlready(planned.description, executors, restored, metrics);
  }
  const done = runController(context)
    .then((terminal) => {
      context.collectMetrics();
      if (terminal.name === 'failed') throw terminal.error;
      return {
        state: terminal.name,
        lastCheckpoint: context.lastCompleted,
        metrics: metrics.snapshot(),
      } as JobResult;
    })
    .finally(release);
  return {
    plan: planned.description,
    executors,
    done,
    stop: () => context.post({ kind: 'stop' }),
    metrics: () => {
      context.collectMetrics();
      return metrics.snapshot();
    },
    terminateExecutor: async (index) => {
      const handle = context.handles[index];
      if (handle === undefined) throw new RangeError(`Job has no executor ${index} (it has ${executors})`);
      await handle.terminate();
      context.post({
        kind: 'failed',
        error: new EngineError('executor_failed', `Executor ${index} was terminated`),
      });
    },
  };
}

/** For each executor, one end of a MessageChannel to every other executor. */
function peerPorts(executors: number): Array<Array<[number, MessagePort]>> {
  const ports = Array.from({ length: executors }, () => [] as Array<[number, MessagePort]>);
  for (let a = 0; a < executors; a++) {
    for (let b = a + 1; b < executors; b++) {
      const { port1, port2 } = new MessageChannel();
      ports[a]!.push([b, port1]);
      ports[b]!.push([a, port2]);
    }
  }
  return ports;
}

function finishedAlready(
  plan: string,
  executors: number,
  checkpoint: CompletedCheckpoint,
  metrics: MetricsRegistry,
): RunningJob {
  const result: JobResult = { state: 'finished', lastCheckpoint: checkpoint, metrics: metrics.snapshot() };
  return {
    plan,
    executors,
    done: Promise.resolve(result),
    stop: () => {},
    metrics: () => metrics.snapshot(),
    terminateExecutor: () => Promise.resolve(),
  };
}
