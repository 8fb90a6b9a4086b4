// Where completed checkpoints live. A checkpoint is complete only once save() resolves: the
// coordinator tells sinks to commit after that, so a crash between the two leaves a stored
// checkpoint whose sealed transactions the restore commits.
import type { CompletedCheckpoint } from './checkpoint.ts';

export interface CheckpointStorage {
  /** Stores a checkpoint atomically: after a crash it is either wholly there or absent. */
  save(checkpoint: CompletedCheckpoint): Promise<number>;
  /** The newest stored checkpoint, or null when there is none. */
  latest(): Promise<CompletedCheckpoint | null>;
}
