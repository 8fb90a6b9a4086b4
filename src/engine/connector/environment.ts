// What a job's sources and sinks are given when they open: the job's name (the default consumer
// group and transactional-id prefix) and the log the job runs against, if any. A job is built
// before it knows where it runs; `runJob(job, { log })` supplies this, and every worker thread
// builds its own from the same description.
import { EngineError } from '../engine-error.ts';
import type { Log } from '../log/log.ts';

export interface JobEnvironment {
  readonly job: string;
  readonly log: Log | null;
}

/** The environment of a job run without a log (in-memory and file sources and sinks). */
export function noLog(job: string): JobEnvironment {
  return { job, log: null };
}

/** The job's log, or an error naming the connector that needed one. */
export function requireLog(environment: JobEnvironment, connector: string): Log {
  if (environment.log !== null) return environment.log;
  throw new EngineError(
    'invalid_job',
    `${connector} needs a log: run job '${environment.job}' with runJob(job, { log }) (an embedded broker or { bootstrap })`,
  );
}
