// What one task contributes to a checkpoint: its watermark position, its source position (for
// source tasks) and the bytes of every operator's state. Plain data: it crosses worker threads
// by structured clone and is stored by the checkpoint storage with v8 serialization.

export interface TaskSnapshot {
  readonly stage: number;
  readonly index: number;
  readonly watermarkMs: number;
  readonly idle: boolean;
  /** The task had processed the end of all its input when this was taken. */
  readonly ended: boolean;
  readonly merger: { watermarks: number[]; current: number } | null;
  readonly source: { position: number; generator: { maxTimestampMs: number } } | null;
  /** [node id, operator state] for every operator of the task's stage. */
  readonly operators: ReadonlyArray<readonly [number, Uint8Array]>;
}

/** `stage/index`: how tasks are named in checkpoints, assignments and messages. */
export function taskKey(stage: number, index: number): string {
  return `${stage}/${index}`;
}
