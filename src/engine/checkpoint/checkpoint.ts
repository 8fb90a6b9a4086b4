// A completed checkpoint: a consistent cut of the job (every task's snapshot at the same
// barrier, or its final snapshot if it had ended), plus what is needed to refuse restoring it
// into a different job.
import type { TaskSnapshot } from '../runtime/task-snapshot.ts';

export interface CompletedCheckpoint {
  readonly job: string;
  /** describePlan() of the plan that took it; a restore needs the same plan. */
  readonly plan: string;
  readonly id: number;
  /** Every task had processed the end of its input: the job is done, nothing to resume. */
  readonly finished: boolean;
  readonly takenAtMs: number;
  readonly tasks: readonly TaskSnapshot[];
}

/** One line of the checkpoint history the metrics expose. */
export interface CheckpointStats {
  readonly id: number;
  readonly startedAtMs: number;
  /** From trigger to stored (barriers through the graph, sinks' pre-commit, storage write). */
  readonly durationMs: number;
  readonly stateBytes: number;
  readonly finished: boolean;
}
