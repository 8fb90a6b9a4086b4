// A job as the DSL builds it: nodes (operators, sources) and edges saying how records move
// between them. Forward edges keep records in the same task; shuffle edges send each record to
// the task that owns its key; rebalance edges spread unkeyed records over the next stage.
import { engineLimits } from '../../limits.ts';
import type { Source } from '../connector/source.ts';
import { EngineError } from '../engine-error.ts';
import type { Operator } from '../operators/operator.ts';
import type { EngineRecord } from '../record.ts';
import type { WatermarkOptions } from '../time/watermark-generator.ts';

export type EdgeKind = 'forward' | 'shuffle' | 'rebalance';

export interface SourceSpec {
  readonly source: Source<unknown, unknown>;
  /** Event time of a record; the record's own timestamp when absent. */
  readonly timestamp: ((record: EngineRecord) => number) | null;
  readonly watermark: WatermarkOptions;
}

export interface LogicalNode {
  readonly id: number;
  readonly name: string;
  /** Operator kind for plans and errors: 'map', 'window', 'source', ... */
  readonly kind: string;
  /** Makes one operator instance per task; null for sources. */
  readonly createOperator: (() => Operator) | null;
  readonly source: SourceSpec | null;
  /** Keyed nodes receive their inputs through shuffles so each task owns a set of keys. */
  readonly keyedInput: boolean;
  readonly inputCount: number;
}

export interface LogicalEdge {
  readonly from: number;
  /** 'main' or a side output of the upstream node. */
  readonly fromPort: string;
  readonly to: number;
  readonly inputIndex: number;
  readonly kind: EdgeKind;
}

export class LogicalGraph {
  readonly nodes: LogicalNode[] = [];
  readonly edges: LogicalEdge[] = [];

  addNode(node: Omit<LogicalNode, 'id'>): LogicalNode {
    if (this.nodes.length >= engineLimits.graphNodesMax) {
      throw new EngineError('invalid_job', `A job cannot have more than ${engineLimits.graphNodesMax} nodes`);
    }
    const full = { ...node, id: this.nodes.length };
    this.nodes.push(full);
    return full;
  }

  /** Connects `from` to input `inputIndex` of `to`; the edge kind follows from the target. */
  connect(from: number, fromPort: string, to: number, inputIndex: number): void {
    const target = this.node(to);
    const kind: EdgeKind = target.keyedInput ? 'shuffle' : target.inputCount > 1 ? 'rebalance' : 'forward';
    this.edges.push({ from, fromPort, to, inputIndex, kind });
  }

  node(id: number): LogicalNode {
    const node = this.nodes[id];
    if (node === undefined) throw new Error(`Logical graph has no node ${id}`);
    return node;
  }

  inputsOf(id: number): LogicalEdge[] {
    return this.edges.filter((e) => e.to === id);
  }

  outputsOf(id: number): LogicalEdge[] {
    return this.edges.filter((e) => e.from === id);
  }

  /** Node ids with every node after its inputs (Kahn's algorithm; the DSL cannot make cycles). */
  topologicalOrder(): number[] {
    const indegree = this.nodes.map((n) => this.inputsOf(n.id).length);
    const ready = this.nodes.filter((n) => indegree[n.id] === 0).map((n) => n.id);
    const order: number[] = [];
    while (ready.length > 0) {
      const id = ready.shift()!;
      order.push(id);
      for (const e of this.outputsOf(id)) {
        indegree[e.to] = indegree[e.to]! - 1;
        if (indegree[e.to] === 0) ready.push(e.to);
      }
    }
    if (order.length !== this.nodes.length) throw new Error('Logical graph has a cycle');
    return order;
  }

  /** Checks that every node has all its inputs and every stream ends somewhere useful. */
  validate(): void {
    if (this.nodes.length === 0)
      throw new EngineError('invalid_job', 'A job needs at least one source and one sink');
    for (const node of this.nodes) {
      const inputs = this.inputsOf(node.id);
      const indexes = new Set(inputs.map((e) => e.inputIndex));
      for (let i = 0; i < node.inputCount; i++) {
        if (!indexes.has(i)) {
          throw new EngineError(
            'invalid_job',
            `Node '${node.name}' (${node.kind}) has nothing connected to input ${i}`,
          );
        }
      }
    }
    if (!this.nodes.some((n) => n.kind === 'sink')) {
      throw new EngineError('invalid_job', 'A job needs at least one sink: its results would go nowhere');
    }
  }
}
