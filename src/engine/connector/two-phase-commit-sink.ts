// A sink whose output becomes visible only when the checkpoint that covers it completes: the
// exactly-once half of a job's output (the other half is restoring state and source offsets
// from the same checkpoint). Phases, per writer (one per sink task):
//   write    records go into the open transaction;
//   seal     at a checkpoint barrier the open transaction is closed under that checkpoint's id
//            (synchronously: records after the barrier go to the next one) and its committable
//            is stored in the task's snapshot;
//   flush    the pre-commit: the runtime awaits it before acknowledging the checkpoint, so a
//            completed checkpoint only names durable transactions;
//   commit   once the checkpoint is stored, the committables up to it are made visible;
//            idempotent, because after a crash the restored snapshot's committables are
//            committed again;
//   abort    on start, whatever this writer left that no checkpoint names is dropped.
// The topic sink (topic-sink.ts) maps these onto a log's TransactionalLogWriter: seal ends a
// producer transaction's appends, flush awaits their acknowledgement, commit adds the
// checkpoint's consumed offsets and ends the transaction (EndTxn commit), abort fences earlier
// incarnations (InitProducerId), which aborts what they left open.
import type { ConsumedOffsets } from '../log/log.ts';
import type { JobEnvironment } from './environment.ts';
import type { Sink, SinkWriter } from './sink.ts';

export interface TwoPhaseCommitWriter<K, V, C> extends SinkWriter<K, V> {
  /** Closes the open transaction under `checkpointId` (Infinity: end of input); null if it is empty. */
  seal(checkpointId: number): C | null;
  /**
   * Makes sealed transactions visible, with the source offsets of the checkpoint that covers them
   * (a log sink commits them in the same transaction); repeating a commit is harmless.
   */
  commit(committables: readonly C[], consumed: readonly ConsumedOffsets[]): Promise<void>;
  /** Drops every transaction of this writer that is neither open now nor committed. */
  abortLeftovers(): Promise<void>;
}

export interface TwoPhaseCommitSink<K, V, C> extends Sink<K, V> {
  readonly transactional: true;
  openWriter(
    taskIndex: number,
    parallelism: number,
    environment: JobEnvironment,
  ): Promise<TwoPhaseCommitWriter<K, V, C>>;
}

export function isTwoPhaseCommitSink<K, V>(sink: Sink<K, V>): sink is TwoPhaseCommitSink<K, V, unknown> {
  return (sink as { transactional?: unknown }).transactional === true;
}
