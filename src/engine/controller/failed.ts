// Failed: an executor reported an error (a task threw, a worker died, storage refused a
// checkpoint). Every executor is terminated without committing; the last completed checkpoint
// stays the one a restart resumes from.
import type { JobContext } from './job-context.ts';
import type { TerminalState } from './job-state.ts';

export async function fail(context: JobContext, error: Error): Promise<TerminalState> {
  await Promise.all(context.handles.map((h) => h.terminate().catch(() => undefined)));
  return { name: 'failed', error };
}
