// An executor runs a set of tasks of a physical plan in one thread: the whole plan in-thread
// (parallelism 1 / LocalRuntime), or its share of the tasks on a worker thread. One round
// (pump) drains downstream tasks while they have input and room, polls or pauses sources as the
// trigger says, injects checkpoint barriers, runs processing time, then settles checkpoints:
// it awaits sinks' pre-commit and only then reports snapshots to the coordinator.
import { engineLimits } from '../../limits.ts';
import type { JobEnvironment } from '../connector/environment.ts';
import type { Job } from '../dsl/job.ts';
import { EngineError } from '../engine-error.ts';
import type { ConsumedOffsets } from '../log/log.ts';
import type { Counter, OperatorContext, OutputMode } from '../operators/operator.ts';
import { Output } from '../operators/output.ts';
import { SinkOperator } from '../operators/sink.ts';
import type { PhysicalPlan } from '../plan/physical-plan.ts';
import type { EngineRecord } from '../record.ts';
import { StateBudget } from '../state/state-budget.ts';
import type { Clock } from '../time/clock.ts';
import { WatermarkGenerator } from '../time/watermark-generator.ts';
import { WatermarkMerger } from '../time/watermark-merger.ts';
import { LocalChannel } from './channel.ts';
import { consumedOffsets } from './consumed-offsets.ts';
import type { ExecutorMetrics } from './executor-metrics.ts';
import type { PeerLink } from './peer-link.ts';
import { RemoteInputChannel, RemoteOutputChannel } from './remote-channel.ts';
import { type RemoteRoute, Task, type TaskNode } from './task.ts';
import { type TaskSnapshot, taskKey } from './task-snapshot.ts';
import { type ChannelSpec, executorOf, planChannels } from './wiring.ts';

export interface ExecutorOptions {
  readonly clock: Clock;
  readonly batchRecordsMax: number;
  readonly stateBytesMax: number;
  readonly outputMode: OutputMode | null;
  readonly environment: JobEnvironment;
}

/** How an executor reports to the coordinator (directly in-thread, by message from a worker). */
export interface ExecutorReports {
  /** Tasks' snapshots for a checkpoint, sent after their sinks' pre-commit completed. */
  acknowledge(checkpointId: number, snapshots: TaskSnapshot[]): void;
  /** Tasks that processed the end of their input, with their final snapshot (sinks pre-committed). */
  finished(snapshots: TaskSnapshot[]): void;
}

/** What the sources do: read on (continuous), read one micro-batch, or wait for a trigger. */
type SourceMode =
  | { readonly kind: 'continuous' }
  | { readonly kind: 'batch'; readonly checkpointId: number; readonly recordsPerTaskMax: number };

interface SourceProgress {
  /** Records this source task read in the current micro-batch. */
  batchRecords: number;
  /** The barrier it injected last (the batch or checkpoint it finished). */
  injected: number;
}

export class Executor {
  readonly index: number;
  readonly #job: Job;
  readonly #plan: PhysicalPlan;
  readonly #options: ExecutorOptions;
  readonly #reports: ExecutorReports;
  readonly #budget: StateBudget;
  readonly #counters = new Map<string, Counter>();
  readonly #tasks: Task[] = [];
  /** Non-source tasks, most downstream stage first (the order they are drained in). */
  #drainOrder: Task[] = [];
  readonly #sourceTasks: Task[] = [];
  readonly #progress = new Map<Task, SourceProgress>();
  readonly #peers: ReadonlyMap<number, PeerLink>;
  readonly #backpressureMs = new Map<Task, number>();
  #mode: SourceMode = { kind: 'continuous' };
  #checkpointRequested: number | null = null;
  #lastRoundMs: number;
  #wake: (() => void) | null = null;

  readonly #executors: number;

  constructor(
    index: number,
    executors: number,
    job: Job,
    plan: PhysicalPlan,
    peers: ReadonlyMap<number, PeerLink>,
    options: ExecutorOptions,
    reports: ExecutorReports,
  ) {
    this.index = index;
    this.#executors = executors;
    this.#job = job;
    this.#plan = plan;
    this.#options = options;
    this.#reports = reports;
    this.#peers = peers;
    this.#budget = new StateBudget(options.stateBytesMax);
    this.#lastRoundMs = options.clock.nowMs();
    const byKey = new Map<string, Task>();
    for (const stage of plan.stages) {
      for (let i = 0; i < stage.parallelism; i++) {
        if (executorOf(i, executors) !== index) continue;
        const task = this.#createTask(stage.id, i);
        byKey.set(taskKey(stage.id, i), task);
        this.#tasks.push(task);
        if (task.source !== null) {
          this.#sourceTasks.push(task);
          this.#progress.set(task, { batchRecords: 0, injected: 0 });
        }
        this.#backpressureMs.set(task, 0);
      }
    }
    this.#wire(byKey, planChannels(plan));
    this.#drainOrder = this.#tasks
      .filter((t) => t.source === null)
      .sort((a, b) => b.stage.id - a.stage.id || a.index - b.index);
  }

  /** Called when a peer's message or a coordinator command arrives: ends waitForWork early. */
  wake(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  /**
   * Opens operators and sources. With `restore`, tasks resume from their snapshots and sinks
   * commit what the restored checkpoint sealed; either way sinks then abort any leftovers.
   */
  async open(restore: ReadonlyMap<string, TaskSnapshot> | null): Promise<void> {
    for (const task of this.#tasks) await this.#openTask(task);
    const nowMs = this.#options.clock.nowMs();
    const environment = this.#options.environment;
    // What a restored checkpoint consumed goes with the commit of what it sealed.
    const consumed =
      restore === null
        ? []
        : consumedOffsets(this.#plan, restore.values(), environment, Number.POSITIVE_INFINITY);
    for (const task of this.#tasks) {
      const saved = restore?.get(taskKey(task.stage.id, task.index)) ?? null;
      const position = saved === null ? null : task.restore(saved, nowMs);
      const source = task.source;
      if (source !== null) {
        try {
          source.partition = await source.spec.source.openPartition(task.index, position, environment);
        } catch (error) {
          throw new EngineError(
            'source_failed',
            `Cannot open partition ${task.index} of source '${source.spec.source.name}' at ${position === null ? 'its start' : `offset ${position}`}: ${(error as Error).message}`,
          );
        }
      }
      // Everything sealed in a restored snapshot was pre-committed before its checkpoint
      // completed (a task's final transaction included), so all of it is committed now.
      for (const node of task.nodes) await node.operator?.commit(Number.POSITIVE_INFINITY, consumed);
      if (saved?.ended === true) {
        task.resumeEnded();
        // Reported again as finished, so this run's coordinator counts the task as covered:
        // it will acknowledge no barrier.
        task.finalSnapshot = saved;
      }
    }
  }

  /** Sources read on, injecting a barrier for each checkpoint the coordinator requests. */
  runContinuous(): void {
    this.#mode = { kind: 'continuous' };
    this.wake();
  }

  /** Checkpoint `checkpointId`: source tasks inject its barrier at their next opportunity. */
  requestCheckpoint(checkpointId: number): void {
    this.#checkpointRequested = checkpointId;
    this.wake();
  }

  /**
   * One micro-batch: each source task reads until it has caught up (or read recordsPerTaskMax
   * records), then injects barrier `checkpointId` and pauses until the next batch.
   */
  startBatch(checkpointId: number, recordsPerTaskMax: number): void {
    this.#mode = { kind: 'batch', checkpointId, recordsPerTaskMax };
    for (const p of this.#progress.values()) p.batchRecords = 0;
    this.wake();
  }

  /** Checkpoint `checkpointId` is stored: sinks commit what they sealed up to it, with its offsets. */
  async commit(checkpointId: number, consumed: readonly ConsumedOffsets[]): Promise<void> {
    for (const task of this.#tasks)
      for (const node of task.nodes) await node.operator?.commit(checkpointId, consumed);
  }

  /** True when every task here has processed the end of its input. */
  finished(): boolean {
    for (const task of this.#tasks) if (!task.ended || task.hasInput()) return false;
    return true;
  }

  /** One round; true if any task made progress. */
  async pump(): Promise<boolean> {
    const nowMs = this.#options.clock.nowMs();
    this.#measureBackpressure(nowMs);
    let progressed = await this.#drain();
    for (const task of this.#sourceTasks) {
      if (task.needsFlush()) await task.flushSinks();
      if (task.ended || !task.hasRoom()) continue;
      progressed = (await this.#stepSource(task, nowMs)) || progressed;
    }
    for (const task of this.#tasks) {
      if (!task.ended && task.hasRoom() && !task.needsFlush() && task.onProcessingTime(nowMs))
        progressed = true;
    }
    progressed = (await this.#drain()) || progressed;
    await this.#settle();
    for (const peer of this.#peers.values()) peer.flush();
    return progressed;
  }

  /** Waits until a timer is due, a message arrives, or engineLimits.idleLoopWaitMsMax passes. */
  async waitForWork(): Promise<void> {
    const nowMs = this.#options.clock.nowMs();
    let untilMs = nowMs + engineLimits.idleLoopWaitMsMax;
    for (const task of this.#tasks) {
      if (task.source !== null && !task.idle && !task.ended)
        untilMs = Math.min(untilMs, task.source.generator.idleAtMs());
      for (const n of task.nodes)
        if (n.operator !== null) untilMs = Math.min(untilMs, n.operator.nextProcessingTimeMs());
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, Math.max(1, untilMs - nowMs));
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
    this.#wake = null;
  }

  async close(): Promise<void> {
    for (const task of this.#tasks) {
      for (const node of task.nodes) await node.operator?.close();
      await task.source?.partition?.close();
    }
    for (const peer of this.#peers.values()) peer.close();
  }

  metrics(): ExecutorMetrics {
    const operators: Array<ExecutorMetrics['operators'][number]> = [];
    const tasks: Array<ExecutorMetrics['tasks'][number]> = [];
    for (const task of this.#tasks) {
      for (const node of task.nodes) operators.push({ name: node.name, task: task.index, ...node.metrics });
      tasks.push({
        key: taskKey(task.stage.id, task.index),
        watermarkMs: task.watermarkMs,
        idle: task.idle,
        ended: task.ended,
        backpressureMs: this.#backpressureMs.get(task) ?? 0,
      });
    }
    const counters: Record<string, number> = {};
    for (const [name, c] of this.#counters) counters[name] = c.value;
    let messagesSent = 0;
    for (const peer of this.#peers.values()) messagesSent += peer.messagesSent;
    return {
      executor: this.index,
      operators,
      tasks,
      counters,
      stateBytes: this.#budget.bytesUsed,
      messagesSent,
    };
  }

  /** Steps every non-source task, most downstream first, while it has input and room. */
  async #drain(): Promise<boolean> {
    let progressed = false;
    let again = true;
    while (again) {
      again = false;
      for (const task of this.#drainOrder) {
        while (task.hasInput() && task.hasRoom() && !task.needsFlush()) {
          task.stepInput();
          progressed = true;
          again = true;
        }
        if (task.needsFlush()) {
          await task.flushSinks();
          again = true;
        }
      }
    }
    return progressed;
  }

  async #stepSource(task: Task, nowMs: number): Promise<boolean> {
    const progress = this.#progress.get(task)!;
    const mode = this.#mode;
    const requested = this.#checkpointRequested;
    if (mode.kind === 'continuous' && requested !== null && progress.injected < requested) {
      task.injectBarrier(requested);
      progress.injected = requested;
      this.#checkpointRequestDone();
      return true;
    }
    if (mode.kind === 'batch' && progress.injected >= mode.checkpointId) return false;
    const recordsMax =
      mode.kind === 'batch'
        ? Math.min(this.#options.batchRecordsMax, mode.recordsPerTaskMax - progress.batchRecords)
        : this.#options.batchRecordsMax;
    const status = recordsMax > 0 ? await this.#poll(task, nowMs, recordsMax) : 'empty';
    if (mode.kind === 'batch' && !task.ended && (status === 'caught-up' || recordsMax <= 0)) {
      if (!task.hasRoom()) return true; // inject once downstream has room
      task.injectBarrier(mode.checkpointId);
      progress.injected = mode.checkpointId;
      return true;
    }
    return status !== 'caught-up';
  }

  /** Polls a source once; 'caught-up' when nothing new was there (or the source ended). */
  async #poll(task: Task, nowMs: number, recordsMax: number): Promise<'records' | 'caught-up' | 'changed'> {
    const source = task.source!;
    const buffer = source.buffer as EngineRecord[];
    buffer.length = 0;
    const partition = source.partition!;
    let status: Awaited<ReturnType<typeof partition.poll>>;
    try {
      status = await partition.poll(buffer, recordsMax);
    } catch (error) {
      throw new EngineError(
        'source_failed',
        `Source '${source.spec.source.name}' (${task.name}) failed reading partition ${task.index} at offset ${partition.position()}: ${(error as Error).message}`,
      );
    }
    const progress = this.#progress.get(task)!;
    progress.batchRecords += buffer.length;
    if (buffer.length > 0) {
      const extract = source.spec.timestamp;
      const records = extract === null ? buffer.slice() : buffer.map((r) => withTimestamp(r, extract(r)));
      task.stepSourceRecords(records, nowMs);
    }
    if (status === 'end') {
      task.sourceEnded();
      return 'caught-up';
    }
    if (buffer.length === 0 && !task.idle && source.generator.isIdle(nowMs)) {
      task.sourceIdle();
      return 'caught-up';
    }
    return buffer.length > 0 ? 'records' : 'caught-up';
  }

  #checkpointRequestDone(): void {
    const id = this.#checkpointRequested;
    if (id === null) return;
    for (const task of this.#sourceTasks) {
      if (!task.ended && this.#progress.get(task)!.injected < id) return;
    }
    this.#checkpointRequested = null;
  }

  /** Reports barriers' snapshots and final snapshots, each after its task's sinks pre-committed. */
  async #settle(): Promise<void> {
    this.#checkpointRequestDone();
    const acks = new Map<number, TaskSnapshot[]>();
    const finished: TaskSnapshot[] = [];
    for (const task of this.#tasks) {
      if (task.taken.length === 0 && task.finalSnapshot === null) continue;
      await task.flushSinks();
      for (const taken of task.taken.splice(0)) {
        let list = acks.get(taken.checkpointId);
        if (list === undefined) {
          list = [];
          acks.set(taken.checkpointId, list);
        }
        list.push(taken.snapshot);
      }
      if (task.finalSnapshot !== null) {
        finished.push(task.finalSnapshot);
        task.finalSnapshot = null;
      }
    }
    for (const [id, snapshots] of acks) this.#reports.acknowledge(id, snapshots);
    if (finished.length > 0) this.#reports.finished(finished);
  }

  #measureBackpressure(nowMs: number): void {
    const elapsed = nowMs - this.#lastRoundMs;
    this.#lastRoundMs = nowMs;
    if (elapsed <= 0) return;
    for (const task of this.#tasks) {
      if (task.ended || task.hasRoom()) continue;
      this.#backpressureMs.set(task, (this.#backpressureMs.get(task) ?? 0) + elapsed);
    }
  }

  #counter(name: string): Counter {
    let c = this.#counters.get(name);
    if (c === undefined) {
      c = { value: 0 };
      this.#counters.set(name, c);
    }
    return c;
  }

  #createTask(stageId: number, index: number): Task {
    const plan = this.#plan;
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
        metrics: { recordsIn: 0, recordsOut: 0, batches: 0, batchMsTotal: 0, batchMsMax: 0 },
      };
    });
    const task = new Task(stage, index, nodes, this.#counter('runtime.unconsumed_side_output_records'));
    task.sinks = nodes.filter((n) => n.operator instanceof SinkOperator).map((n) => n.operator!);
    const root = plan.graph.node(stage.nodeIds[0]!);
    if (root.source !== null) {
      task.source = {
        spec: root.source,
        partition: null,
        generator: new WatermarkGenerator(root.source.watermark, this.#options.clock.nowMs()),
        buffer: [],
      };
    }
    return task;
  }

  #wire(byKey: ReadonlyMap<string, Task>, specs: readonly ChannelSpec[]): void {
    const plan = this.#plan;
    for (const task of byKey.values()) {
      for (const edge of plan.graph.edges) {
        if (edge.kind !== 'forward' || plan.stageOf[edge.from] !== task.stage.id) continue;
        const fromNode = task.nodes.find((n) => n.nodeId === edge.from)!;
        const localNode = task.nodes.findIndex((n) => n.nodeId === edge.to);
        fromNode.routes.push({ port: edge.fromPort, localNode, inputIndex: edge.inputIndex, remote: null });
      }
    }
    // Remote routes: per (edge, sending task), the channels in target order.
    const routes = new Map<string, RemoteRoute>();
    for (const spec of specs) {
      const from = byKey.get(taskKey(spec.fromStage, spec.fromIndex));
      const to = byKey.get(taskKey(spec.toStage, spec.toIndex));
      if (from === undefined && to === undefined) continue;
      let sending: LocalChannel | RemoteOutputChannel | null = null;
      if (from !== undefined && to !== undefined) {
        const channel = new LocalChannel(spec.inputSlot, spec.edge.to, spec.edge.inputIndex);
        to.inputs[spec.inputSlot] = channel;
        sending = channel;
      } else if (from !== undefined) {
        const link = this.#peer(executorOf(spec.toIndex, this.#executors));
        const channel = new RemoteOutputChannel(spec.id, link);
        link.addOutput(channel);
        sending = channel;
      } else {
        const link = this.#peer(executorOf(spec.fromIndex, this.#executors));
        const channel = new RemoteInputChannel(
          spec.id,
          spec.inputSlot,
          spec.edge.to,
          spec.edge.inputIndex,
          link,
        );
        link.addInput(channel);
        to!.inputs[spec.inputSlot] = channel;
      }
      if (from === undefined || sending === null) continue;
      from.outputs.push(sending);
      const key = `${plan.graph.edges.indexOf(spec.edge)}/${spec.fromIndex}`;
      let route = routes.get(key);
      if (route === undefined) {
        route = { kind: spec.edge.kind as 'shuffle' | 'rebalance', channels: [], staging: [] };
        routes.set(key, route);
        const fromNode = from.nodes.find((n) => n.nodeId === spec.edge.from)!;
        fromNode.routes.push({
          port: spec.edge.fromPort,
          localNode: -1,
          inputIndex: spec.edge.inputIndex,
          remote: route,
        });
      }
      route.channels[spec.targetSlot] = sending;
      route.staging[spec.targetSlot] = [];
    }
    for (const task of this.#tasks) {
      if (task.source !== null) continue;
      if (task.inputs.length === 0) task.ended = true;
      else task.merger = new WatermarkMerger(task.inputs.length);
    }
  }

  #peer(executor: number): PeerLink {
    const link = this.#peers.get(executor);
    if (link === undefined) throw new Error(`Executor ${this.index} has no link to executor ${executor}`);
    return link;
  }

  async #openTask(task: Task): Promise<void> {
    for (const node of task.nodes) {
      if (node.operator === null) continue;
      const context: OperatorContext = {
        instanceName: `${node.name}#${task.index}`,
        taskIndex: task.index,
        parallelism: task.stage.parallelism,
        clock: this.#options.clock,
        budget: this.#budget,
        counter: (name) => this.#counter(`${node.name}.${name}`),
        outputMode: this.#options.outputMode,
        environment: this.#options.environment,
      };
      await node.operator.open(context);
    }
  }

  get jobName(): string {
    return this.#job.name;
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
