// Stopping: asked to stop (or a once/availableNow trigger is done) with sources still open.
// Executors close without another commit: what the last completed checkpoint committed is the
// output, and a restart resumes from it (sinks abort the unsealed rest).
import { fail } from './failed.ts';
import type { JobContext } from './job-context.ts';
import type { JobState, TerminalState } from './job-state.ts';

export const stopping: JobState = {
  name: 'stopping',
  async run(context: JobContext): Promise<JobState | TerminalState> {
    try {
      await Promise.all(context.handles.map((h) => h.close()));
      context.collectMetrics();
    } catch (error) {
      return fail(context, error instanceof Error ? error : new Error(String(error)));
    }
    return { name: 'stopped' };
  },
};
