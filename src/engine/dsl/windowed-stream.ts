// A keyed stream with a window definition, waiting for its aggregation. Configuration methods
// return new handles; aggregate() adds the window operator. Session windows require an
// aggregator with merge(), enforced by the types.
import {
  type Aggregator,
  countAggregator,
  type MergeableAggregator,
  reduceAggregator,
} from '../operators/aggregator.ts';
import type { OutputTag } from '../operators/output-tag.ts';
import { SessionWindowOperator } from '../operators/session-window-aggregate.ts';
import { WindowAggregateOperator } from '../operators/window-aggregate.ts';
import type { Windowed } from '../operators/windowed.ts';
import type { SessionWindow, WindowSpec } from '../time/windows.ts';
import { addOperator, KeyedStream, type StreamRef } from './stream.ts';

interface WindowConfig {
  readonly allowedLatenessMs: number;
  readonly lateOutputPort: string | null;
}

export type AggregatorFor<W extends WindowSpec, V, A, R> = W extends SessionWindow
  ? MergeableAggregator<V, A, R>
  : Aggregator<V, A, R>;

export class WindowedStream<K, V, W extends WindowSpec> {
  readonly #ref: StreamRef;
  readonly #spec: W;
  readonly #config: WindowConfig;

  constructor(ref: StreamRef, spec: W, config: WindowConfig) {
    this.#ref = ref;
    this.#spec = spec;
    this.#config = config;
  }

  /** Keeps windows open this long after they fire; late records in that time re-emit them. */
  allowedLateness(ms: number): WindowedStream<K, V, W> {
    if (!(Number.isSafeInteger(ms) && ms >= 0))
      throw new RangeError(`allowedLateness must be an integer >= 0 ms, got ${ms}`);
    return new WindowedStream(this.#ref, this.#spec, { ...this.#config, allowedLatenessMs: ms });
  }

  /** Sends records too late for every window to `tag` instead of dropping (and counting) them. */
  lateDataTo(tag: OutputTag<V>): WindowedStream<K, V, W> {
    return new WindowedStream(this.#ref, this.#spec, { ...this.#config, lateOutputPort: tag.name });
  }

  aggregate<A, R>(aggregator: AggregatorFor<W, V, A, R>): KeyedStream<K, Windowed<K, R>> {
    const spec: WindowSpec = this.#spec;
    const config = this.#config;
    const create =
      spec.kind === 'session'
        ? () =>
            new SessionWindowOperator(aggregator as MergeableAggregator<V, A, R>, {
              gapMs: spec.gapMs,
              allowedLatenessMs: config.allowedLatenessMs,
              lateOutputPort: config.lateOutputPort,
            })
        : () =>
            new WindowAggregateOperator(aggregator, {
              window: spec,
              allowedLatenessMs: config.allowedLatenessMs,
              lateOutputPort: config.lateOutputPort,
            });
    return new KeyedStream(
      addOperator({ kind: `window(${spec.kind})`, create, keyed: true, inputs: [this.#ref] }),
    );
  }

  count(): KeyedStream<K, Windowed<K, number>> {
    return this.aggregate(countAggregator() as AggregatorFor<W, V, number, number>);
  }

  reduce(combine: (a: V, b: V) => V): KeyedStream<K, Windowed<K, V>> {
    return this.aggregate(reduceAggregator(combine) as AggregatorFor<W, V, V | undefined, V>);
  }
}
