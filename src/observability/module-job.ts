// A job defined by a module path (`sluice broker --job jobs/clicks.ts`): named after the file,
// started with the engine's startJob on worker threads like `sluice run` does, with the module's
// job(params) factory called without params.
import { basename, extname } from 'node:path';
import { startJob } from '../engine/run-job.ts';
import type { JobDefinition } from './job-registry.ts';

export function moduleJob(module: string): JobDefinition {
  return {
    name: basename(module, extname(module)),
    description: module,
    start: () => startJob({ module }),
  };
}
