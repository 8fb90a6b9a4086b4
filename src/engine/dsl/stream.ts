// Streams as the DSL sees them: immutable handles on a (node, port) of the job's logical graph.
// Each method adds a node and returns a handle typed by what the node emits, so a map's output
// type is inferred and keyed operations exist only on keyed streams.
import type { Sink } from '../connector/sink.ts';
import type { Aggregator } from '../operators/aggregator.ts';
import { countAggregator, reduceAggregator } from '../operators/aggregator.ts';
import { BranchOperator, type BranchPredicate, branchPort, branchRestPort } from '../operators/branch.ts';
import { FilterOperator } from '../operators/filter.ts';
import { FlatMapOperator } from '../operators/flat-map.ts';
import { IntervalJoinOperator, type JoinFunction } from '../operators/interval-join.ts';
import { KeyByOperator } from '../operators/key-by.ts';
import { KeyedAggregateOperator } from '../operators/keyed-aggregate.ts';
import { MapOperator } from '../operators/map.ts';
import type { Operator } from '../operators/operator.ts';
import { mainPort } from '../operators/output.ts';
import type { OutputTag } from '../operators/output-tag.ts';
import { ProcessOperator } from '../operators/process.ts';
import type { ProcessFunction, StateSpec } from '../operators/process-function.ts';
import { SinkOperator } from '../operators/sink.ts';
import { TableJoinOperator } from '../operators/table-join.ts';
import { UnionOperator } from '../operators/union.ts';
import type { LogicalGraph } from '../plan/logical-graph.ts';
import type { EngineRecord } from '../record.ts';
import type { WindowSpec } from '../time/windows.ts';
import { WindowedStream } from './windowed-stream.ts';

/** Where a stream's records come from: a node's main output or one of its side outputs. */
export interface StreamRef {
  readonly graph: LogicalGraph;
  readonly nodeId: number;
  readonly port: string;
}

interface NodeOptions {
  readonly kind: string;
  readonly create: () => Operator;
  readonly keyed: boolean;
  readonly inputs: readonly StreamRef[];
}

/** Adds an operator node fed by `inputs` (input i from inputs[i]) and returns its main port. */
export function addOperator(options: NodeOptions): StreamRef {
  const first = options.inputs[0];
  if (first === undefined) throw new Error(`Operator '${options.kind}' needs an input`);
  const graph = first.graph;
  for (const input of options.inputs) {
    if (input.graph !== graph)
      throw new Error(`Cannot connect streams of two different jobs in '${options.kind}'`);
  }
  const node = graph.addNode({
    name: `${options.kind}#${graph.nodes.length}`,
    kind: options.kind,
    createOperator: options.create,
    source: null,
    keyedInput: options.keyed,
    inputCount: options.inputs.length,
  });
  for (let i = 0; i < options.inputs.length; i++) {
    const input = options.inputs[i]!;
    graph.connect(input.nodeId, input.port, node.id, i);
  }
  return { graph, nodeId: node.id, port: mainPort };
}

export type Fn<K, V, R> = (value: V, record: EngineRecord<K, V>) => R;

export class Stream<K, V> {
  readonly ref: StreamRef;

  constructor(ref: StreamRef) {
    this.ref = ref;
  }

  map<R>(fn: Fn<K, V, R>): Stream<K, R> {
    return new Stream(
      addOperator({ kind: 'map', create: () => new MapOperator(fn), keyed: false, inputs: [this.ref] }),
    );
  }

  filter<S extends V>(guard: (value: V, record: EngineRecord<K, V>) => value is S): Stream<K, S>;
  filter(predicate: Fn<K, V, boolean>): Stream<K, V>;
  filter(predicate: Fn<K, V, boolean>): Stream<K, V> {
    return new Stream(
      addOperator({
        kind: 'filter',
        create: () => new FilterOperator(predicate),
        keyed: false,
        inputs: [this.ref],
      }),
    );
  }

  flatMap<R>(fn: Fn<K, V, Iterable<R>>): Stream<K, R> {
    return new Stream(
      addOperator({
        kind: 'flatMap',
        create: () => new FlatMapOperator('flatMap', fn),
        keyed: false,
        inputs: [this.ref],
      }),
    );
  }

  /** Sets the key; keyed operations after this send each key to one task. */
  keyBy<K2>(fn: (value: V, record: EngineRecord<unknown, V>) => K2): KeyedStream<K2, V> {
    return new KeyedStream(
      addOperator({ kind: 'keyBy', create: () => new KeyByOperator(fn), keyed: false, inputs: [this.ref] }),
    );
  }

  /** All records of this stream and the others; the watermark is the minimum of them all. */
  union<K2, V2>(...others: Stream<K2, V2>[]): Stream<K | K2, V | V2> {
    const inputs = [this.ref, ...others.map((o) => o.ref)];
    return new Stream(
      addOperator({ kind: 'union', create: () => new UnionOperator(), keyed: false, inputs }),
    );
  }

  /** Splits by predicates: a record goes to the first branch it matches, else to `rest`. */
  branch(...predicates: Fn<K, V, boolean>[]): { branches: Stream<K, V>[]; rest: Stream<K, V> } {
    const ref = addOperator({
      kind: 'branch',
      create: () => new BranchOperator<K, V>(predicates as BranchPredicate<K, V>[]),
      keyed: false,
      inputs: [this.ref],
    });
    return {
      branches: predicates.map((_, i) => new Stream<K, V>({ ...ref, port: branchPort(i) })),
      rest: new Stream({ ...ref, port: branchRestPort }),
    };
  }

  /** The records this stream's node sent to side output `tag` (late data, user outputs). */
  sideOutput<T>(tag: OutputTag<T>): Stream<K, T> {
    return new Stream({ ...this.ref, port: tag.name });
  }

  to(sink: Sink<K, V>): void {
    addOperator({ kind: 'sink', create: () => new SinkOperator(sink), keyed: false, inputs: [this.ref] });
  }
}

export class KeyedStream<K, V> extends Stream<K, V> {
  /** A running aggregate per key: emits the key's new result for every record. */
  aggregate<A, R>(aggregator: Aggregator<V, A, R>, options: { ttlMs?: number } = {}): KeyedStream<K, R> {
    const ttlMs = options.ttlMs ?? Number.POSITIVE_INFINITY;
    return new KeyedStream(
      addOperator({
        kind: 'aggregate',
        create: () => new KeyedAggregateOperator(aggregator, ttlMs),
        keyed: true,
        inputs: [this.ref],
      }),
    );
  }

  reduce(combine: (a: V, b: V) => V): KeyedStream<K, V> {
    return this.aggregate(reduceAggregator(combine));
  }

  count(): KeyedStream<K, number> {
    return this.aggregate(countAggregator());
  }

  window<W extends WindowSpec>(spec: W): WindowedStream<K, V, W> {
    return new WindowedStream(this.ref, spec, { allowedLatenessMs: 0, lateOutputPort: null });
  }

  process<O, S extends StateSpec>(fn: ProcessFunction<K, V, O, S>): KeyedStream<K, O> {
    return new KeyedStream(
      addOperator({
        kind: 'process',
        create: () => new ProcessOperator(fn),
        keyed: true,
        inputs: [this.ref],
      }),
    );
  }

  /**
   * Joins with `other` where other.timestamp - this.timestamp is within [lowerMs, upperMs].
   * Records at or before the watermark go to `lateData` when given, else are dropped and counted.
   */
  intervalJoin<V2, O>(
    other: KeyedStream<K, V2>,
    interval: { lowerMs: number; upperMs: number; lateData?: OutputTag<V | V2> },
    fn: JoinFunction<K, V, V2, O>,
  ): KeyedStream<K, O> {
    const options = {
      lowerMs: interval.lowerMs,
      upperMs: interval.upperMs,
      lateOutputPort: interval.lateData?.name ?? null,
    };
    return new KeyedStream(
      addOperator({
        kind: 'intervalJoin',
        create: () => new IntervalJoinOperator(fn, options),
        keyed: true,
        inputs: [this.ref, other.ref],
      }),
    );
  }

  /** Inner join with a table: records whose key has no row are dropped. */
  joinTable<T, O>(table: Table<K, T>, fn: (value: V, row: T, key: K) => O): KeyedStream<K, O> {
    return this.#tableJoin(table, (v, row, k) => fn(v, row as T, k), false);
  }

  /** Left join with a table: records whose key has no row join with undefined. */
  leftJoinTable<T, O>(
    table: Table<K, T>,
    fn: (value: V, row: T | undefined, key: K) => O,
  ): KeyedStream<K, O> {
    return this.#tableJoin(table, fn, true);
  }

  #tableJoin<T, O>(
    table: Table<K, T>,
    fn: (value: V, row: T | undefined, key: K) => O,
    left: boolean,
  ): KeyedStream<K, O> {
    return new KeyedStream(
      addOperator({
        kind: 'tableJoin',
        create: () => new TableJoinOperator<K, V, T, O>(fn, left),
        keyed: true,
        inputs: [this.ref, table.changelog.ref],
      }),
    );
  }
}

/** A compacted topic read as a table: the latest value per key; null values delete the key. */
export class Table<K, T> {
  readonly changelog: KeyedStream<K, T | null>;

  constructor(changelog: KeyedStream<K, T | null>) {
    this.changelog = changelog;
  }
}
