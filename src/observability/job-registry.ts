// The stream-processing jobs this process knows about, for the dashboard and /metrics: jobs
// defined (startable from the dashboard) and their current or last run. Each run is the
// engine's RunningJob; this registry only starts, stops and reads it, and keeps what the
// dashboard shows after a run ends (its state, error and last metrics).
import type { MetricsSnapshot } from '../engine/metrics/metrics-registry.ts';
import type { RunningJob } from '../engine/run-job.ts';
import { httpLimits } from '../limits.ts';

export type JobRunState = 'idle' | 'starting' | 'running' | 'stopping' | 'finished' | 'stopped' | 'failed';

export interface JobDefinition {
  /** Unique in the registry; shown on the dashboard and used as the `job` metrics label. */
  readonly name: string;
  /** One line saying what the job does (e.g. its module path). */
  readonly description: string;
  /** Starts one run of the job (e.g. engine startJob over a job module). */
  start(): Promise<RunningJob>;
}

export interface JobStatus {
  readonly name: string;
  readonly description: string;
  readonly state: JobRunState;
  /** describePlan() of the running or last run's physical plan. */
  readonly plan: string | null;
  readonly executors: number;
  readonly startedAtMs: number | null;
  readonly endedAtMs: number | null;
  readonly error: string | null;
  readonly metrics: MetricsSnapshot | null;
}

interface Entry {
  definition: JobDefinition;
  state: JobRunState;
  running: RunningJob | null;
  done: Promise<void> | null;
  plan: string | null;
  executors: number;
  startedAtMs: number | null;
  endedAtMs: number | null;
  error: string | null;
  lastMetrics: MetricsSnapshot | null;
}

export class JobError extends Error {
  override readonly name = 'JobError';
  readonly code: 'unknown_job' | 'job_exists' | 'too_many_jobs' | 'job_running' | 'job_not_running';

  constructor(code: JobError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

export class JobRegistry {
  readonly #jobs = new Map<string, Entry>();
  readonly #jobsMax: number;
  readonly #now: () => number;

  constructor(options: { jobsMax?: number; now?: () => number } = {}) {
    this.#jobsMax = options.jobsMax ?? httpLimits.jobsMax;
    this.#now = options.now ?? Date.now;
  }

  define(definition: JobDefinition): void {
    if (this.#jobs.has(definition.name))
      throw new JobError('job_exists', `Cannot define job '${definition.name}': a job of that name exists`);
    if (this.#jobs.size >= this.#jobsMax) {
      throw new JobError(
        'too_many_jobs',
        `Cannot define job '${definition.name}': ${this.#jobs.size} jobs is the limit`,
      );
    }
    this.#jobs.set(definition.name, {
      definition,
      state: 'idle',
      running: null,
      done: null,
      plan: null,
      executors: 0,
      startedAtMs: null,
      endedAtMs: null,
      error: null,
      lastMetrics: null,
    });
  }

  /** Starts a defined job that is not running; resolves once the engine has planned and launched it. */
  async start(name: string): Promise<JobStatus> {
    const entry = this.#require(name);
    if (entry.state === 'starting' || entry.state === 'running' || entry.state === 'stopping')
      throw new JobError('job_running', `Cannot start job '${name}': it is ${entry.state}`);
    entry.state = 'starting';
    entry.error = null;
    entry.startedAtMs = this.#now();
    entry.endedAtMs = null;
    let running: RunningJob;
    try {
      running = await entry.definition.start();
    } catch (error) {
      entry.state = 'failed';
      entry.error = messageOf(error);
      entry.endedAtMs = this.#now();
      throw error;
    }
    entry.running = running;
    entry.plan = running.plan;
    entry.executors = running.executors;
    entry.state = 'running';
    entry.done = running.done.then(
      (result) => this.#ended(entry, result.state, null, result.metrics),
      (error: unknown) => this.#ended(entry, 'failed', messageOf(error), null),
    );
    return this.#status(entry);
  }

  /** Asks a running job to stop after its current step; status turns 'stopped' when it has. */
  stop(name: string): JobStatus {
    const entry = this.#require(name);
    if (entry.state !== 'running' || entry.running === null)
      throw new JobError('job_not_running', `Cannot stop job '${name}': it is ${entry.state}`);
    entry.state = 'stopping';
    entry.running.stop();
    return this.#status(entry);
  }

  /** Resolves when the job's current run has ended (at once if none runs). */
  async ended(name: string): Promise<JobStatus> {
    const entry = this.#require(name);
    await entry.done;
    return this.#status(entry);
  }

  get(name: string): JobStatus {
    return this.#status(this.#require(name));
  }

  list(): JobStatus[] {
    return [...this.#jobs.values()].map((e) => this.#status(e));
  }

  /** Stops every running job and waits for each to end. */
  async close(): Promise<void> {
    for (const entry of this.#jobs.values()) {
      if (entry.state === 'running') entry.running?.stop();
    }
    await Promise.all([...this.#jobs.values()].map((e) => e.done));
  }

  #ended(entry: Entry, state: JobRunState, error: string | null, metrics: MetricsSnapshot | null): void {
    entry.lastMetrics = metrics ?? safeMetrics(entry.running) ?? entry.lastMetrics;
    entry.state = state;
    entry.error = error;
    entry.endedAtMs = this.#now();
    entry.running = null;
  }

  #status(entry: Entry): JobStatus {
    const live = entry.running === null ? null : safeMetrics(entry.running);
    return {
      name: entry.definition.name,
      description: entry.definition.description,
      state: entry.state,
      plan: entry.plan,
      executors: entry.executors,
      startedAtMs: entry.startedAtMs,
      endedAtMs: entry.endedAtMs,
      error: entry.error,
      metrics: live ?? entry.lastMetrics,
    };
  }

  #require(name: string): Entry {
    const entry = this.#jobs.get(name);
    if (entry === undefined) throw new JobError('unknown_job', `Unknown job '${name}'`);
    return entry;
  }
}

/** A job that has failed may no longer answer metrics(); the dashboard then shows the last ones. */
function safeMetrics(running: RunningJob | null): MetricsSnapshot | null {
  if (running === null) return null;
  try {
    return running.metrics();
  } catch {
    return null;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
