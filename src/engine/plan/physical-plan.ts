// The logical graph cut at every shuffle and rebalance: a stage is a tree of nodes joined by
// forward edges, run as `parallelism` tasks (one per input partition for source stages).
import { engineLimits } from '../../limits.ts';
import { EngineError } from '../engine-error.ts';
import type { LogicalEdge, LogicalGraph } from './logical-graph.ts';

export interface Stage {
  readonly id: number;
  /** Node ids of the stage, each after its inputs. */
  readonly nodeIds: readonly number[];
  readonly parallelism: number;
  /** The source node when this stage reads a source. */
  readonly sourceNodeId: number | null;
  /** Edges from other stages into this one. */
  readonly inputEdges: readonly LogicalEdge[];
}

export interface PhysicalPlan {
  readonly graph: LogicalGraph;
  /** Stages, each after the stages it reads from. */
  readonly stages: readonly Stage[];
  /** Stage id of each node. */
  readonly stageOf: readonly number[];
}

export interface PlanOptions {
  /** Partition count of each source node (by node id). */
  readonly sourcePartitions: ReadonlyMap<number, number>;
  /** Parallelism of stages after a shuffle; default: the largest parallelism feeding them. */
  readonly parallelism: number | null;
}

export function planPhysical(graph: LogicalGraph, options: PlanOptions): PhysicalPlan {
  graph.validate();
  const order = graph.topologicalOrder();
  // A node joins its input's stage when its only input edge is forward.
  const stageOf = new Array<number>(graph.nodes.length).fill(-1);
  const members: number[][] = [];
  for (const id of order) {
    const inputs = graph.inputsOf(id);
    const only = inputs.length === 1 ? inputs[0]! : null;
    if (only !== null && only.kind === 'forward') {
      const stage = stageOf[only.from]!;
      stageOf[id] = stage;
      members[stage]!.push(id);
    } else {
      stageOf[id] = members.length;
      members.push([id]);
    }
  }
  const stages: Stage[] = [];
  for (let s = 0; s < members.length; s++) {
    const nodeIds = members[s]!;
    const root = graph.node(nodeIds[0]!);
    const inputEdges = graph.edges.filter((e) => stageOf[e.to] === s && stageOf[e.from] !== s);
    let parallelism: number;
    if (root.source !== null) {
      const partitions = options.sourcePartitions.get(root.id);
      if (partitions === undefined) throw new Error(`No partition count for source '${root.name}'`);
      parallelism = partitions;
    } else {
      parallelism =
        options.parallelism ?? Math.max(...inputEdges.map((e) => stages[stageOf[e.from]!]!.parallelism));
    }
    if (
      !(Number.isInteger(parallelism) && parallelism >= 1 && parallelism <= engineLimits.stageParallelismMax)
    ) {
      throw new EngineError(
        'invalid_job',
        `Stage of '${root.name}' cannot run ${parallelism} tasks: must be 1..${engineLimits.stageParallelismMax}`,
      );
    }
    stages.push({
      id: s,
      nodeIds,
      parallelism,
      sourceNodeId: root.source !== null ? root.id : null,
      inputEdges,
    });
  }
  return { graph, stages, stageOf };
}

/** One line per stage: `stage 1 ×4: keyBy → window(count) ← shuffle from stage 0`. */
export function describePlan(plan: PhysicalPlan): string {
  return plan.stages
    .map((s) => {
      const names = s.nodeIds.map((id) => plan.graph.node(id).name).join(' → ');
      const inputs = s.inputEdges.map((e) => `${e.kind} from stage ${plan.stageOf[e.from]}`);
      return `stage ${s.id} ×${s.parallelism}: ${names}${inputs.length > 0 ? ` ← ${[...new Set(inputs)].join(', ')}` : ''}`;
    })
    .join('\n');
}
