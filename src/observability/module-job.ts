// A job defined by a module path (`sluice broker --job jobs/clicks.ts`, `sluice demo`): named
// after the file unless given a name, started with the engine's startJob on worker threads like
// `sluice run` does, with the module's job(params) factory called with the given params. The run
// options are read at each start because what they name (the broker whose log the job reads and
// writes) exists only once the process has started it.
import { basename, extname } from 'node:path';
import { type RunJobOptions, startJob } from '../engine/run-job.ts';
import type { JobDefinition } from './job-registry.ts';

export interface ModuleJobOptions {
  readonly name?: string;
  readonly description?: string;
  readonly params?: unknown;
  /** Engine options for each run (executors, checkpoint directory, the log), read at start. */
  readonly runOptions?: () => RunJobOptions;
}

export function moduleJob(module: string, options: ModuleJobOptions = {}): JobDefinition {
  return {
    name: options.name ?? basename(module, extname(module)),
    description: options.description ?? module,
    start: () =>
      startJob(
        { module, ...(options.params === undefined ? {} : { params: options.params }) },
        options.runOptions?.() ?? {},
      ),
  };
}
