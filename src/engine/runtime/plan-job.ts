// Planning a job for execution: ask each source for its partition count, build the physical
// plan, and check the output mode against it. The coordinator plans once and hands the
// partition counts to worker executors, which rebuild the same plan from the same job module.
import type { JobEnvironment } from '../connector/environment.ts';
import type { Job } from '../dsl/job.ts';
import type { OutputMode } from '../operators/operator.ts';
import { checkOutputMode } from '../plan/output-mode-check.ts';
import { describePlan, type PhysicalPlan, planPhysical } from '../plan/physical-plan.ts';
import { taskKey } from './task-snapshot.ts';

export interface PlannedJob {
  readonly plan: PhysicalPlan;
  readonly description: string;
  readonly sourcePartitions: ReadonlyMap<number, number>;
  /** Every task's key, stage by stage. */
  readonly taskKeys: readonly string[];
}

export async function sourcePartitionsOf(
  job: Job,
  environment: JobEnvironment,
): Promise<Map<number, number>> {
  const partitions = new Map<number, number>();
  for (const node of job.graph.nodes) {
    if (node.source !== null) partitions.set(node.id, await node.source.source.partitionCount(environment));
  }
  return partitions;
}

export function planJob(
  job: Job,
  sourcePartitions: ReadonlyMap<number, number>,
  parallelism: number | null,
  outputMode: OutputMode | null,
): PlannedJob {
  const plan = planPhysical(job.graph, { sourcePartitions, parallelism });
  if (outputMode !== null) checkOutputMode(plan.graph, outputMode);
  const taskKeys: string[] = [];
  for (const stage of plan.stages)
    for (let i = 0; i < stage.parallelism; i++) taskKeys.push(taskKey(stage.id, i));
  return { plan, description: describePlan(plan), sourcePartitions, taskKeys };
}
