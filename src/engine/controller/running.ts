// Running: sources read as the trigger says and checkpoints complete. Continuous: a checkpoint
// every interval while records flow. Micro-batch: each batch is a checkpoint whose barrier the
// sources inject once they have read what was available; the next batch starts at the next
// interval boundary (at once if the batch overran), after the one batch of `once`, or, for
// `availableNow`, until a batch finds nothing new. Every task ending moves to finishing.
import type { CompletedCheckpoint } from '../checkpoint/checkpoint.ts';
import { fail } from './failed.ts';
import { finishing } from './finishing.ts';
import type { JobContext } from './job-context.ts';
import type { JobState, TerminalState } from './job-state.ts';
import { stopping } from './stopping.ts';

/** Source positions of a checkpoint, to tell whether a micro-batch read anything. */
function positions(checkpoint: CompletedCheckpoint | null): string {
  if (checkpoint === null) return '';
  return checkpoint.tasks.map((t) => `${t.stage}/${t.index}@${t.source?.position ?? '-'}`).join(',');
}

export const running: JobState = {
  name: 'running',
  async run(context: JobContext): Promise<JobState | TerminalState> {
    const trigger = context.trigger;
    const { coordinator, clock } = context;
    if (trigger.kind === 'continuous') for (const h of context.handles) h.runContinuous();
    const intervalMs =
      trigger.kind === 'continuous'
        ? trigger.checkpointIntervalMs
        : trigger.kind === 'processingTime'
          ? trigger.intervalMs
          : 0;
    let nextAtMs = trigger.kind === 'continuous' ? clock.nowMs() + intervalMs : clock.nowMs();
    let stopAfterBatch = false;
    let before = positions(context.lastCompleted);
    for (;;) {
      if (coordinator.allFinished()) return finishing;
      if (coordinator.inFlight === null) {
        if (stopAfterBatch) return stopping;
        const nowMs = clock.nowMs();
        if (nowMs >= nextAtMs) {
          const id = coordinator.begin(nowMs);
          if (trigger.kind === 'continuous') for (const h of context.handles) h.requestCheckpoint(id);
          else {
            const max =
              trigger.kind === 'availableNow' ? trigger.recordsPerTaskMax : Number.POSITIVE_INFINITY;
            for (const h of context.handles) h.startBatch(id, max);
          }
          // Continuous: the next interval from now. Micro-batch: the next interval boundary.
          nextAtMs =
            intervalMs === 0
              ? nowMs
              : trigger.kind === 'continuous'
                ? nowMs + intervalMs
                : (Math.floor(nowMs / intervalMs) + 1) * intervalMs;
        }
      }
      const event = await context.next(coordinator.inFlight === null ? nextAtMs : Number.POSITIVE_INFINITY);
      if (event !== null) {
        const outcome = context.apply(event);
        if (outcome === 'stop') return stopping;
        if (outcome instanceof Error) return fail(context, outcome);
      }
      let completed: CompletedCheckpoint | null;
      try {
        completed = await context.completeCheckpoint();
      } catch (error) {
        return fail(context, error instanceof Error ? error : new Error(String(error)));
      }
      if (completed === null || trigger.kind === 'continuous') continue;
      const after = positions(completed);
      if (trigger.kind === 'once' || (trigger.kind === 'availableNow' && after === before))
        stopAfterBatch = true;
      before = after;
    }
  },
};
