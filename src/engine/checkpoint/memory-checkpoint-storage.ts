// Checkpoints kept in memory: for in-process jobs that restart within the same process (and for
// runs without a checkpoint directory, where a checkpoint still drives commits).
import { engineLimits } from '../../limits.ts';
import { decodeSnapshot, encodeSnapshot } from '../state/snapshot-codec.ts';
import type { CompletedCheckpoint } from './checkpoint.ts';
import type { CheckpointStorage } from './checkpoint-storage.ts';

export class MemoryCheckpointStorage implements CheckpointStorage {
  #stored: Uint8Array[] = [];

  save(checkpoint: CompletedCheckpoint): Promise<number> {
    // Stored as bytes so later mutation of the snapshot objects cannot change a checkpoint.
    const bytes = encodeSnapshot(checkpoint);
    this.#stored.push(bytes);
    if (this.#stored.length > engineLimits.checkpointsRetained) this.#stored.shift();
    return Promise.resolve(bytes.length);
  }

  latest(): Promise<CompletedCheckpoint | null> {
    const bytes = this.#stored.at(-1);
    return Promise.resolve(
      bytes === undefined ? null : decodeSnapshot<CompletedCheckpoint>(bytes, 'checkpoint'),
    );
  }
}
