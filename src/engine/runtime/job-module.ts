// A job defined in a module, so that every thread can build it: functions cannot cross threads,
// so each worker imports the same module and calls the same factory with the same (cloneable)
// params, and gets the same plan. `sluice run path/to/job.ts` uses the same mechanism.
//
//   // jobs/clicks.ts
//   export function job(params: { input: string; output: string }): Job { ... }
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureTypeScriptLoader } from '../../typescript-loader.ts';
import type { Job } from '../dsl/job.ts';
import { EngineError } from '../engine-error.ts';

export interface JobModule {
  /** Path (relative to the working directory) or file: URL of the module. */
  readonly module: string;
  /** The exported factory; default 'job'. */
  readonly exportName?: string;
  /** Passed to the factory; must be structured-clonable. */
  readonly params?: unknown;
}

export type JobFactory = (params: unknown) => Job | Promise<Job>;

/** The module's URL as every thread should import it. */
export function jobModuleUrl(ref: JobModule): string {
  if (ref.module.startsWith('file:')) return ref.module;
  return pathToFileURL(isAbsolute(ref.module) ? ref.module : resolve(ref.module)).href;
}

export async function loadJob(ref: JobModule): Promise<Job> {
  const url = jobModuleUrl(ref);
  const name = ref.exportName ?? 'job';
  let loaded: Record<string, unknown>;
  try {
    if (/\.[cm]?tsx?$/.test(url)) await ensureTypeScriptLoader();
    loaded = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    throw new EngineError(
      'invalid_job',
      `Cannot import job module '${ref.module}': ${(error as Error).message}`,
    );
  }
  const factory = loaded[name];
  if (typeof factory !== 'function') {
    throw new EngineError(
      'invalid_job',
      `Job module '${ref.module}' has no exported function '${name}' (exports: ${Object.keys(loaded).join(', ') || 'none'})`,
    );
  }
  return await (factory as JobFactory)(ref.params);
}
