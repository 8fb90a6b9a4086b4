// Runs a job's physical plan in this thread: every task of every stage, stepped by one loop
// that drains downstream tasks before polling sources, so bounded channels give backpressure.
// Bounded sources run to their end (the final +Infinity watermark closes every window);
// unbounded sources run until stop() or until every partition ends.
import { engineLimits } from '../../limits.ts';
import type { Job } from '../dsl/job.ts';
import { EngineError } from '../engine-error.ts';
import type { Counter, OperatorContext } from '../operators/operator.ts';
import { Output } from '../operators/output.ts';
import { describePlan, type PhysicalPlan, planPhysical } from '../plan/physical-plan.ts';
import type { EngineRecord } from '../record.ts';
import { decodeSnapshot, encodeSnapshot } from '../state/snapshot-codec.ts';
import { StateBudget } from '../state/state-budget.ts';
import { type Clock, systemClock } from '../time/clock.ts';
import { WatermarkGenerator } from '../time/watermark-generator.ts';
import { WatermarkMerger } from '../time/watermark-merger.ts';
import { Channel } from './channel.ts';
import { type RemoteRoute, Task, type TaskNode } from './task.ts';

export interface RuntimeOptions {
  readonly clock?: Clock;
  /** Tasks per stage after a shuffle; default: the largest parallelism feeding the stage. */
  readonly parallelism?: number;
  readonly stateBytesMax?: number;
  /** Records per source poll (smaller batches advance watermarks more often). */
  readonly batchRecordsMax?: number;
  /** A snapshot taken by snapshot() on a runtime of the same job definition. */
  readonly restoreFrom?: Uint8Array;
}

interface SavedTask {
  stage: number;
  index: number;
  watermarkMs: number;
  idle: boolean;
  merger: ReturnType<WatermarkMerger['snapshot']> | null;
  source: { position: number; generator: { maxTimestampMs: number } } | null;
  operators: Array<[number, Uint8Array]>;
}

export class LocalRuntime {
  readonly #job: Job;
  readonly #clock: Clock;
  readonly #options: RuntimeOptions;
  readonly #budget: StateBudget;
  readonly #counters = new Map<string, Counter>();
  readonly #batchRecordsMax: number;
  #plan: PhysicalPlan | null = null;
  #tasks: Task[][] = [];
  #started = false;
  #stopped = false;

  constructor(job: Job, options: RuntimeOptions = {}) {
    this.#job = job;
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#budget = new StateBudget(options.stateBytesMax ?? engineLimits.stateBytesMaxDefault);
    this.#batchRecordsMax = Math.min(
      options.batchRecordsMax ?? engineLimits.batchRecordsMax,
      engineLimits.batchRecordsMax,
    );
  }

  /** Runs until every source ends (or stop()), then closes operators and sinks. */
  async run(): Promise<void> {
    await this.start();
    while (!this.#finished() && !this.#stopped) {
      if (!(await this.pump())) await this.#waitForWork();
    }
    await this.close();
  }

  /** Plans the job, opens sources and operators, restores the snapshot if one was given. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    const graph = this.#job.graph;
    const sourcePartitions = new Map<number, number>();
    for (const node of graph.nodes) {
      if (node.source !== null) sourcePartitions.set(node.id, await node.source.source.partitionCount());
    }
    const plan = planPhysical(graph, { sourcePartitions, parallelism: this.#options.parallelism ?? null });
    this.#plan = plan;
    this.#tasks = plan.stages.map((stage) => {
      const tasks: Task[] = [];
      for (let i = 0; i < stage.parallelism; i++) tasks.push(this.#createTask(plan, stage.id, i));
      return tasks;
    });
    this.#wire(plan);
    for (const tasks of this.#tasks) for (const task of tasks) await this.#openTask(task);
    const saved = this.#options.restoreFrom;
    const positions = saved === undefined ? null : this.#restore(saved);
    for (const tasks of this.#tasks) {
      for (const task of tasks) {
        const source = task.source;
        if (source === null) continue;
        const offset = positions?.get(`${task.stage.id}/${task.index}`) ?? 0;
        source.partition = await source.spec.source.openPartition(task.index, offset);
      }
    }
  }

  /** One round: drain downstream tasks, poll each source once, run processing time. */
  async pump(): Promise<boolean> {
    let progressed = this.#drainStages();
    const nowMs = this.#clock.nowMs();
    for (const tasks of this.#tasks) {
      for (const task of tasks) {
        if (task.source === null || task.ended || !task.hasRoom()) continue;
        progressed = (await this.#pollSource(task, nowMs)) || progressed;
        await this.#flushSinks(task);
      }
    }
    for (const tasks of this.#tasks) {
      for (const task of tasks) {
        if (!task.ended && task.hasRoom() && task.onProcessingTime(nowMs)) progressed = true;
      }
    }
    return this.#drainStages() || progressed;
  }

  /** Pumps until a round makes no progress: every record pushed so far has been processed. */
  async pumpUntilQuiet(): Promise<void> {
    await this.start();
    while (await this.pump()) {
      if (this.#finished()) return;
    }
  }

  /**
   * The state of the whole job as bytes: source positions, watermarks and every operator's
   * state. Taken after draining all in-flight records, so it is consistent without barriers.
   */
  async snapshot(): Promise<Uint8Array> {
    await this.start();
    this.#drainStages();
    const saved: SavedTask[] = [];
    for (const tasks of this.#tasks) {
      for (const task of tasks) {
        if (task.hasInput()) throw new Error(`Cannot snapshot: ${task.name} still has input after draining`);
        await this.#flushSinks(task, true);
        saved.push({
          stage: task.stage.id,
          index: task.index,
          watermarkMs: task.watermarkMs,
          idle: task.idle,
          merger: task.merger?.snapshot() ?? null,
          source:
            task.source === null
              ? null
              : { position: task.source.partition!.position(), generator: task.source.generator.snapshot() },
          operators: task.nodes.flatMap((n) =>
            n.operator === null ? [] : [[n.nodeId, n.operator.snapshot()] as [number, Uint8Array]],
          ),
        });
      }
    }
    return encodeSnapshot({ job: this.#job.name, plan: describePlan(this.#plan!), tasks: saved });
  }

  stop(): void {
    this.#stopped = true;
  }

  async close(): Promise<void> {
    for (const tasks of this.#tasks) {
      for (const task of tasks) {
        for (const node of task.nodes) await node.operator?.close();
        await task.source?.partition?.close();
      }
    }
  }

  /** Counters of every operator, summed over tasks: `<node name>.<counter>`. */
  metrics(): Record<string, number> {
    const result: Record<string, number> = {};
    for (const [name, c] of this.#counters) result[name] = c.value;
    return result;
  }

  describe(): string {
    if (this.#plan === null) throw new Error('describe() needs start() first');
    return describePlan(this.#plan);
  }

  #counter(name: string): Counter {
    let c = this.#counters.get(name);
    if (c === undefined) {
      c = { value: 0 };
      this.#counters.set(name, c);
    }
    return c;
  }

  #createTask(plan: PhysicalPlan, stageId: number, index: number): Task {
    const stage = plan.stages[stageId]!;
    const nodes: TaskNode[] = stage.nodeIds.map((id) => {
      const node = plan.graph.node(id);
      return {
        nodeId: id,
        name: node.name,
        operator: node.createOperator?.() ?? null,
        routes: [],
        pending: [],
        out: new Output(),
      };
    });
    const task = new Task(stage, index, nodes, this.#counter('runtime.unconsumed_side_output_records'));
    const root = plan.graph.node(stage.nodeIds[0]!);
    if (root.source !== null) {
      task.source = {
        spec: root.source,
        partition: null,
        generator: new WatermarkGenerator(root.source.watermark, this.#clock.nowMs()),
        buffer: [],
      };
    }
    return task;
  }

  #wire(plan: PhysicalPlan): void {
    for (const edge of plan.graph.edges) {
      const fromStage = plan.stageOf[edge.from]!;
      const toStage = plan.stageOf[edge.to]!;
      for (const task of this.#tasks[fromStage]!) {
        const fromNode = task.nodes.find((n) => n.nodeId === edge.from)!;
        if (edge.kind === 'forward') {
          const localNode = task.nodes.findIndex((n) => n.nodeId === edge.to);
          fromNode.routes.push({ port: edge.fromPort, localNode, inputIndex: edge.inputIndex, remote: null });
          continue;
        }
        const downstream = this.#tasks[toStage]!;
        const targets = edge.kind === 'shuffle' ? downstream : [downstream[task.index % downstream.length]!];
        const channels = targets.map((t) => {
          const channel = new Channel(t.inputs.length, edge.to, edge.inputIndex);
          t.inputs.push(channel);
          return channel;
        });
        task.outputs.push(...channels);
        const remote: RemoteRoute = { kind: edge.kind, channels, staging: channels.map(() => []) };
        fromNode.routes.push({ port: edge.fromPort, localNode: -1, inputIndex: edge.inputIndex, remote });
      }
    }
    for (const tasks of this.#tasks) {
      for (const task of tasks) {
        if (task.source !== null) continue;
        if (task.inputs.length === 0) task.ended = true;
        else task.merger = new WatermarkMerger(task.inputs.length);
      }
    }
  }

  async #openTask(task: Task): Promise<void> {
    for (const node of task.nodes) {
      if (node.operator === null) continue;
      const context: OperatorContext = {
        instanceName: `${node.name}#${task.index}`,
        taskIndex: task.index,
        parallelism: task.stage.parallelism,
        clock: this.#clock,
        budget: this.#budget,
        counter: (name) => this.#counter(`${node.name}.${name}`),
      };
      await node.operator.open(context);
    }
  }

  #restore(bytes: Uint8Array): Map<string, number> {
    const saved = decodeSnapshot<{ job: string; plan: string; tasks: SavedTask[] }>(bytes, this.#job.name);
    const plan = describePlan(this.#plan!);
    if (saved.job !== this.#job.name || saved.plan !== plan) {
      throw new EngineError(
        'restore_failed',
        `Cannot restore job '${this.#job.name}' from a snapshot of job '${saved.job}' with another plan:\n${saved.plan}\nvs\n${plan}`,
      );
    }
    const positions = new Map<string, number>();
    for (const s of saved.tasks) {
      const task = this.#tasks[s.stage]![s.index]!;
      task.watermarkMs = s.watermarkMs;
      task.idle = s.idle;
      if (s.merger !== null) task.merger!.restore(s.merger);
      if (s.source !== null) {
        task.source!.generator.restore(s.source.generator, this.#clock.nowMs());
        positions.set(`${s.stage}/${s.index}`, s.source.position);
      }
      for (const [nodeId, state] of s.operators)
        task.nodes.find((n) => n.nodeId === nodeId)!.operator!.restore(state);
    }
    return positions;
  }

  /** Steps every non-source task, most downstream first, while it has input and room. */
  #drainStages(): boolean {
    let progressed = false;
    let again = true;
    while (again) {
      again = false;
      for (let s = this.#tasks.length - 1; s >= 0; s--) {
        for (const task of this.#tasks[s]!) {
          if (task.source !== null) continue;
          while (task.hasInput() && task.hasRoom()) {
            task.stepInput();
            progressed = true;
            again = true;
          }
        }
      }
    }
    return progressed;
  }

  async #pollSource(task: Task, nowMs: number): Promise<boolean> {
    const source = task.source!;
    const buffer = source.buffer as EngineRecord[];
    buffer.length = 0;
    const status = await source.partition!.poll(buffer, this.#batchRecordsMax);
    if (buffer.length > 0) {
      const extract = source.spec.timestamp;
      const records = extract === null ? buffer.slice() : buffer.map((r) => withTimestamp(r, extract(r)));
      task.stepSourceRecords(records, nowMs);
    }
    if (status === 'end') {
      task.sourceEnded();
      return true;
    }
    if (buffer.length === 0 && !task.idle && source.generator.isIdle(nowMs)) {
      task.sourceIdle();
      return true;
    }
    return buffer.length > 0;
  }

  async #flushSinks(task: Task, always = false): Promise<void> {
    for (const node of task.nodes) {
      if (node.operator !== null && (always || node.operator.needsFlush())) await node.operator.flush();
    }
  }

  #finished(): boolean {
    return this.#tasks.every((tasks) => tasks.every((t) => t.ended && !t.hasInput()));
  }

  async #waitForWork(): Promise<void> {
    const nowMs = this.#clock.nowMs();
    let untilMs = nowMs + engineLimits.idleLoopWaitMsMax;
    for (const tasks of this.#tasks) {
      for (const task of tasks) {
        if (task.source !== null && !task.idle && !task.ended)
          untilMs = Math.min(untilMs, task.source.generator.idleAtMs());
        for (const n of task.nodes)
          if (n.operator !== null) untilMs = Math.min(untilMs, n.operator.nextProcessingTimeMs());
      }
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(1, untilMs - nowMs)));
  }
}

function withTimestamp(r: EngineRecord, timestamp: number): EngineRecord {
  return {
    key: r.key,
    value: r.value,
    timestamp,
    headers: r.headers,
    topic: r.topic,
    partition: r.partition,
    offset: r.offset,
  };
}
