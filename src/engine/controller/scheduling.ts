// Scheduling: every executor opens its tasks, restoring the snapshots of the checkpoint the job
// resumes from (if any), and waits for the first trigger.
import { fail } from './failed.ts';
import type { JobContext } from './job-context.ts';
import type { JobState, TerminalState } from './job-state.ts';
import { running } from './running.ts';

export const scheduling: JobState = {
  name: 'scheduling',
  async run(context: JobContext): Promise<JobState | TerminalState> {
    const restore = context.restored?.tasks ?? null;
    let failure: Error | null = null;
    await Promise.all(
      context.handles.map((h) =>
        h.start(restore).catch((error: unknown) => {
          failure ??= error instanceof Error ? error : new Error(String(error));
        }),
      ),
    );
    for (let event = await context.next(0); event !== null; event = await context.next(0)) {
      const outcome = context.apply(event);
      if (outcome instanceof Error) failure ??= outcome;
    }
    if (failure !== null) return fail(context, failure);
    return running;
  },
};
