// Which log offsets a checkpoint has consumed: for every source task reading a topic, the
// position its snapshot stored. Log sinks commit these in the transaction that makes the
// checkpoint's output visible, so the job's consumer group shows exactly what its committed
// output covers (Kafka tooling reads lag from it) and a fresh start resumes from it.
import type { JobEnvironment } from '../connector/environment.ts';
import type { Source } from '../connector/source.ts';
import type { ConsumedOffsets } from '../log/log.ts';
import type { PhysicalPlan } from '../plan/physical-plan.ts';
import type { TaskSnapshot } from './task-snapshot.ts';

/** A source that reads a log topic and commits its position to a consumer group. */
export interface LogPositionedSource {
  readonly logTopic: string;
  /** The consumer group the offsets are committed to (default: the job's name). */
  consumerGroup(environment: JobEnvironment): string;
}

export function isLogPositioned(
  source: Source<unknown, unknown>,
): source is Source<unknown, unknown> & LogPositionedSource {
  return typeof (source as Partial<LogPositionedSource>).logTopic === 'string';
}

/** Offset metadata naming the checkpoint that committed an offset. */
export function checkpointMetadata(job: string, checkpointId: number): string {
  return `sluice job=${job} checkpoint=${checkpointId === Number.POSITIVE_INFINITY ? 'final' : checkpointId}`;
}

export function consumedOffsets(
  plan: PhysicalPlan,
  tasks: Iterable<TaskSnapshot>,
  environment: JobEnvironment,
  checkpointId: number,
): ConsumedOffsets[] {
  const byGroupTopic = new Map<
    string,
    { groupId: string; topic: string; offsets: ConsumedOffsets['offsets'][number][] }
  >();
  for (const task of tasks) {
    if (task.source === null) continue;
    const stage = plan.stages[task.stage];
    const root = stage === undefined ? undefined : plan.graph.node(stage.nodeIds[0]!);
    const source = root?.source?.source;
    if (source === undefined || !isLogPositioned(source)) continue;
    const groupId = source.consumerGroup(environment);
    const key = `${groupId}\0${source.logTopic}`;
    let entry = byGroupTopic.get(key);
    if (entry === undefined) {
      entry = { groupId, topic: source.logTopic, offsets: [] };
      byGroupTopic.set(key, entry);
    }
    entry.offsets.push({ partition: task.index, nextOffset: task.source.position });
  }
  const metadata = checkpointMetadata(environment.job, checkpointId);
  return [...byGroupTopic.values()].map((e) => ({ ...e, metadata }));
}
