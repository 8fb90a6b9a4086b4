// The entry point of the DSL: a job owns a logical graph; sources and tables start streams.
import type { Source } from '../connector/source.ts';
import { LogicalGraph } from '../plan/logical-graph.ts';
import type { EngineRecord } from '../record.ts';
import type { WatermarkOptions } from '../time/watermark-generator.ts';
import { KeyedStream, Stream, Table } from './stream.ts';

export interface SourceOptions<K, V> {
  /** Event time of a record (epoch ms); default: the record's log timestamp. */
  readonly timestamp?: (value: V, record: EngineRecord<K, V>) => number;
  /** Default: no out-of-orderness, idle after 10 s without records. */
  readonly watermark?: Partial<WatermarkOptions>;
}

export const defaultIdleTimeoutMs = 10_000;

export class Job {
  readonly name: string;
  readonly graph = new LogicalGraph();

  constructor(name: string) {
    this.name = name;
  }

  source<K, V>(source: Source<K, V>, options: SourceOptions<K, V> = {}): Stream<K, V> {
    const extract = options.timestamp;
    const node = this.graph.addNode({
      name: `source:${source.name}`,
      kind: 'source',
      createOperator: null,
      source: {
        source: source as Source<unknown, unknown>,
        timestamp: extract === undefined ? null : (r) => extract(r.value as V, r as EngineRecord<K, V>),
        watermark: {
          outOfOrdernessMs: options.watermark?.outOfOrdernessMs ?? 0,
          idleTimeoutMs: options.watermark?.idleTimeoutMs ?? defaultIdleTimeoutMs,
        },
      },
      keyedInput: false,
      inputCount: 0,
    });
    return new Stream({ graph: this.graph, nodeId: node.id, port: 'main' });
  }

  /** A table over a compacted source: keyed by the record key, latest value wins. */
  table<K, V>(source: Source<K, V | null>, options: SourceOptions<K, V | null> = {}): Table<K, V> {
    const stream = this.source(source, options);
    return new Table(new KeyedStream<K, V | null>(stream.ref));
  }
}
