// Every channel of a physical plan, numbered the same way in every executor: each executor
// computes this list from the same plan and instantiates the ends that belong to its tasks, so
// channel ids mean the same thing on both sides of a thread boundary without negotiation.
import type { LogicalEdge } from '../plan/logical-graph.ts';
import type { PhysicalPlan } from '../plan/physical-plan.ts';

export interface ChannelSpec {
  readonly id: number;
  readonly edge: LogicalEdge;
  readonly fromStage: number;
  readonly fromIndex: number;
  readonly toStage: number;
  readonly toIndex: number;
  /** Index among the receiving task's inputs. */
  readonly inputSlot: number;
  /** Index among the sending task's channels for this edge (the shuffle target). */
  readonly targetSlot: number;
}

/** Channels of every edge that crosses stages: shuffles to every task, rebalances to one. */
export function planChannels(plan: PhysicalPlan): ChannelSpec[] {
  const specs: ChannelSpec[] = [];
  const inputSlots = plan.stages.map((s) => new Array<number>(s.parallelism).fill(0));
  for (const edge of plan.graph.edges) {
    if (edge.kind === 'forward') continue;
    const fromStage = plan.stageOf[edge.from]!;
    const toStage = plan.stageOf[edge.to]!;
    const fromParallelism = plan.stages[fromStage]!.parallelism;
    const toParallelism = plan.stages[toStage]!.parallelism;
    for (let fromIndex = 0; fromIndex < fromParallelism; fromIndex++) {
      const targets =
        edge.kind === 'shuffle'
          ? Array.from({ length: toParallelism }, (_, i) => i)
          : [fromIndex % toParallelism];
      targets.forEach((toIndex, targetSlot) => {
        const slots = inputSlots[toStage]!;
        const inputSlot = slots[toIndex]!;
        slots[toIndex] = inputSlot + 1;
        specs.push({ id: specs.length, edge, fromStage, fromIndex, toStage, toIndex, inputSlot, targetSlot });
      });
    }
  }
  return specs;
}

/**
 * The scheduler: task (stage, index) runs on executor index % executors, so the tasks of one
 * partition across stages share an executor and rebalance edges stay in-thread; shuffles cross.
 */
export function executorOf(taskIndex: number, executors: number): number {
  return taskIndex % executors;
}
