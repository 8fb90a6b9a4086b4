// Finishing: every task has processed the end of its input (bounded sources). The final
// checkpoint is stored, sinks commit their last transactions, executors close.
import { fail } from './failed.ts';
import type { JobContext } from './job-context.ts';
import type { JobState, TerminalState } from './job-state.ts';

export const finishing: JobState = {
  name: 'finishing',
  async run(context: JobContext): Promise<JobState | TerminalState> {
    try {
      // A checkpoint in flight is covered by the final snapshots: complete it first.
      await context.completeCheckpoint();
      const nowMs = context.clock.nowMs();
      await context.store(context.coordinator.takeFinal(nowMs), nowMs);
      await Promise.all(context.handles.map((h) => h.close()));
      context.collectMetrics();
    } catch (error) {
      return fail(context, error instanceof Error ? error : new Error(String(error)));
    }
    return { name: 'finished' };
  },
};
