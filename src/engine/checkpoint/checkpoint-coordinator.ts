// Tracks checkpoints from trigger to completion, whatever the executors are (one in-thread,
// several worker threads). A checkpoint is complete when every task has acknowledged its
// barrier or had already ended (its final snapshot stands in). One checkpoint is in flight at a
// time, so barriers of two checkpoints never interleave in a channel.
import { engineLimits } from '../../limits.ts';
import { EngineError } from '../engine-error.ts';
import type { TaskSnapshot } from '../runtime/task-snapshot.ts';
import { taskKey } from '../runtime/task-snapshot.ts';
import type { CheckpointStats, CompletedCheckpoint } from './checkpoint.ts';

interface Pending {
  readonly id: number;
  readonly startedAtMs: number;
  readonly snapshots: Map<string, TaskSnapshot>;
}

export class CheckpointCoordinator {
  readonly #job: string;
  readonly #plan: string;
  readonly #taskKeys: readonly string[];
  readonly #final = new Map<string, TaskSnapshot>();
  readonly #history: CheckpointStats[] = [];
  #pending: Pending | null = null;
  #lastId: number;

  /** `lastId`: the id of the checkpoint restored from (0 when starting fresh). */
  constructor(job: string, plan: string, taskKeys: readonly string[], lastId: number) {
    this.#job = job;
    this.#plan = plan;
    this.#taskKeys = taskKeys;
    this.#lastId = lastId;
  }

  get inFlight(): number | null {
    return this.#pending?.id ?? null;
  }

  get lastId(): number {
    return this.#lastId;
  }

  get history(): readonly CheckpointStats[] {
    return this.#history;
  }

  /** Starts the next checkpoint and returns its id. */
  begin(nowMs: number): number {
    if (this.#pending !== null)
      throw new Error(`Cannot begin a checkpoint while checkpoint ${this.#pending.id} is in flight`);
    const id = this.#lastId + 1;
    this.#pending = { id, startedAtMs: nowMs, snapshots: new Map() };
    return id;
  }

  acknowledge(checkpointId: number, snapshots: readonly TaskSnapshot[]): void {
    const pending = this.#pending;
    if (pending === null || pending.id !== checkpointId) {
      throw new EngineError(
        'checkpoint_failed',
        `Got an acknowledgement for checkpoint ${checkpointId}, but ${pending === null ? 'none' : pending.id} is in flight`,
      );
    }
    for (const s of snapshots) pending.snapshots.set(taskKey(s.stage, s.index), s);
  }

  finished(snapshots: readonly TaskSnapshot[]): void {
    for (const s of snapshots) this.#final.set(taskKey(s.stage, s.index), s);
  }

  allFinished(): boolean {
    return this.#final.size === this.#taskKeys.length;
  }

  /** The in-flight checkpoint once every task is covered, or null; it stops being in flight. */
  takeCompleted(nowMs: number): CompletedCheckpoint | null {
    const pending = this.#pending;
    if (pending === null) return null;
    const tasks: TaskSnapshot[] = [];
    for (const key of this.#taskKeys) {
      const s = pending.snapshots.get(key) ?? this.#final.get(key);
      if (s === undefined) return null;
      tasks.push(s);
    }
    this.#pending = null;
    this.#lastId = pending.id;
    return this.#complete(
      pending.id,
      nowMs,
      tasks,
      tasks.every((t) => t.ended),
    );
  }

  /** After every task ended: the final checkpoint (a new id), made of final snapshots. */
  takeFinal(nowMs: number): CompletedCheckpoint {
    if (!this.allFinished()) throw new Error('takeFinal() before every task finished');
    this.#pending = null;
    const id = ++this.#lastId;
    return this.#complete(
      id,
      nowMs,
      this.#taskKeys.map((k) => this.#final.get(k)!),
      true,
    );
  }

  /** Records how long checkpoint `id` took once it is stored. */
  stored(checkpoint: CompletedCheckpoint, bytes: number, startedAtMs: number, nowMs: number): void {
    this.#history.push({
      id: checkpoint.id,
      startedAtMs,
      durationMs: nowMs - startedAtMs,
      stateBytes: bytes,
      finished: checkpoint.finished,
    });
    if (this.#history.length > engineLimits.checkpointHistoryMax) this.#history.shift();
  }

  #complete(id: number, nowMs: number, tasks: TaskSnapshot[], finished: boolean): CompletedCheckpoint {
    return { job: this.#job, plan: this.#plan, id, finished, takenAtMs: nowMs, tasks };
  }

  /** When the in-flight checkpoint started (for its duration), or null. */
  startedAtMs(): number | null {
    return this.#pending?.startedAtMs ?? null;
  }
}

/** Refuses a checkpoint of another job or another plan, naming both. */
export function checkRestorable(checkpoint: CompletedCheckpoint, job: string, plan: string): void {
  if (checkpoint.job !== job || checkpoint.plan !== plan) {
    throw new EngineError(
      'restore_failed',
      `Cannot restore job '${job}' from checkpoint ${checkpoint.id} of job '${checkpoint.job}' with another plan:\n${checkpoint.plan}\nvs\n${plan}`,
    );
  }
}
