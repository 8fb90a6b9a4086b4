// The one lifecycle every physical operator implements (Arroyo's shape): open, process a batch,
// react to a watermark or to processing time, snapshot and restore, flush, close. Operators are
// synchronous except where they meet I/O (open, flush, close); the runtime calls them from a
// single thread per task and routes their Output.
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
}

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
  /** The operator's state as bytes (taken between batches, when no call is in progress). */
  snapshot(): Uint8Array;
  restore(snapshot: Uint8Array): void;
  /** True when buffered output must be flushed (awaited) before more input. */
  needsFlush(): boolean;
  flush(): Promise<void>;
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

  close(): Promise<void> {
    return Promise.resolve();
  }
}
