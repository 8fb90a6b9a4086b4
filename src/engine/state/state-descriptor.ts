// What state an operator keeps: each operator lists its descriptors, so a plan can show (and a
// future checkpoint coordinator can size) the state of every node before the job runs.

export type StateKind =
  | 'value'
  | 'list'
  | 'map'
  | 'windows'
  | 'sessions'
  | 'join-buffer'
  | 'table'
  | 'timers';

export interface StateDescriptor {
  readonly name: string;
  readonly kind: StateKind;
  /** Entries expire this long (processing time) after their last write; Infinity: never. */
  readonly ttlMs: number;
}
