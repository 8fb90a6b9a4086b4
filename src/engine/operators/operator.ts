// The one lifecycle every physical operator implements (Arroyo's shape): open, process a batch,
// react to a watermark or to processing time, end an epoch at a checkpoint barrier, snapshot and
// restore, flush, commit, close. Operators are synchronous except where they meet I/O (open,
// flush, commit, close); the runtime calls them from a single thread per task and routes their
// Output.
import type { JobEnvironment } from '../connector/environment.ts';
import type { ConsumedOffsets } from '../log/log.ts';
import type { EngineRecord } from '../record.ts';
import type { StateBudget } from '../state/state-budget.ts';
import type { StateDescriptor } from '../state/state-descriptor.ts';
import type { Clock } from '../time/clock.ts';
import type { Output } from './output.ts';

/** A metric an operator increments in its hot path (a plain field, no call). */
export interface Counter {
  value: number;
}

export interface OperatorContext {
  /** Name of the operator instance, for errors and metrics: `<node name>#<task index>`. */
  readonly instanceName: string;
  readonly taskIndex: number;
  readonly parallelism: number;
  readonly clock: Clock;
  readonly budget: StateBudget;
  /** A counter of this operator instance; the runtime reports it under `<node name>.<name>`. */
  counter(name: string): Counter;
  /** How results reach the sinks; null when the job asked for none (results as operators emit them). */
  readonly outputMode: OutputMode | null;
  /** The job's name and log, for sinks that open log writers. */
  readonly environment: JobEnvironment;
}

/**
 * Spark's output modes. append: a result is emitted once, final (windows when the watermark
 * passes their end plus lateness). update: at each trigger, the results that changed since the
 * previous one. complete: at each trigger, the whole result table.
 */
export type OutputMode = 'append' | 'update' | 'complete';

export interface Operator {
  /** The state this operator keeps (empty for stateless operators). */
  readonly state: readonly StateDescriptor[];
  open(context: OperatorContext): Promise<void>;
  /** Processes records that arrived on input `inputIndex` (0 unless the operator joins inputs). */
  processBatch(records: readonly EngineRecord[], inputIndex: number, out: Output): void;
  /** The input watermark advanced to `watermarkMs`: fire event-time windows and timers. */
  onWatermark(watermarkMs: number, out: Output): void;
  /** Processing time is now `nowMs`: fire processing-time timers, expire state. */
  onProcessingTime(nowMs: number, out: Output): void;
  /** Earliest processing time at which onProcessingTime has work, or Infinity. */
  nextProcessingTimeMs(): number;
  /**
   * A checkpoint barrier aligned at this operator (or the input ended): the epoch is over. Emit
   * what a trigger emits (update and complete modes) and seal what belongs to the epoch (a sink's
   * transaction). Called just before snapshot(); `checkpointId` is Infinity at the end of input.
   */
  onBarrier(checkpointId: number, out: Output): void;
  /** The operator's state as bytes (taken between batches, when no call is in progress). */
  snapshot(): Uint8Array;
  restore(snapshot: Uint8Array): void;
  /** True when buffered output must be flushed (awaited) before more input. */
  needsFlush(): boolean;
  flush(): Promise<void>;
  /**
   * Checkpoint `checkpointId` is durable: make what was sealed up to it visible (2PC commit), with
   * the source offsets that checkpoint consumed.
   */
  commit(checkpointId: number, consumed: readonly ConsumedOffsets[]): Promise<void>;
  close(): Promise<void>;
}

/** Defaults for operators without state, timers or I/O. */
export abstract class StatelessOperator implements Operator {
  readonly state: readonly StateDescriptor[] = [];

  open(_context: OperatorContext): Promise<void> {
    return Promise.resolve();
  }

  abstract processBatch(records: readonly EngineRecord[], inputIndex: number, out: Output): void;

  onWatermark(_watermarkMs: number, _out: Output): void {}

  onProcessingTime(_nowMs: number, _out: Output): void {}

  nextProcessingTimeMs(): number {
    return Number.POSITIVE_INFINITY;
  }

  onBarrier(_checkpointId: number, _out: Output): void {}

  snapshot(): Uint8Array {
    return new Uint8Array(0);
  }

  restore(_snapshot: Uint8Array): void {}

  needsFlush(): boolean {
    return false;
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  commit(_checkpointId: number, _consumed: readonly ConsumedOffsets[]): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
