// One task: the operators of one stage for one partition, run to completion per step. A step
// takes one input element (or one source batch), pushes it through the stage's operators in
// topological order, and hands what leaves the stage to the output channels, records before
// the watermark or barrier that follows them. No recursion, no per-record promises.
//
// Checkpoints (aligned barriers): a barrier on one input blocks that input until a barrier of
// the same checkpoint has arrived on every input that has not ended; then the epoch is closed
// (onBarrier), the task's state is snapshotted, and the barrier is forwarded. Source tasks take
// the snapshot when the executor injects a barrier between two polls.
import type { SourcePartition } from '../connector/source.ts';
import { EngineError } from '../engine-error.ts';
import type { Counter, Operator } from '../operators/operator.ts';
import { mainPort, type Output } from '../operators/output.ts';
import type { SourceSpec } from '../plan/logical-graph.ts';
import type { Stage } from '../plan/physical-plan.ts';
import type { EngineRecord } from '../record.ts';
import type { WatermarkGenerator } from '../time/watermark-generator.ts';
import type { WatermarkMerger } from '../time/watermark-merger.ts';
import type { Element, InputChannel, OutputChannel } from './channel.ts';
import { taskForKey } from './partitioner.ts';
import type { TaskSnapshot } from './task-snapshot.ts';

export interface RemoteRoute {
  readonly kind: 'shuffle' | 'rebalance';
  /** Shuffle: one channel per downstream task; rebalance: the one channel this task feeds. */
  readonly channels: OutputChannel[];
  staging: EngineRecord[][];
}

export interface Route {
  readonly port: string;
  /** Index of the consuming node in this task, or -1 when the route leaves the stage. */
  readonly localNode: number;
  readonly inputIndex: number;
  readonly remote: RemoteRoute | null;
}

/** What the metrics registry reads per operator instance. */
export interface NodeMetrics {
  recordsIn: number;
  recordsOut: number;
  batches: number;
  /** Wall time spent in processBatch, summed, and the longest single call. */
  batchMsTotal: number;
  batchMsMax: number;
}

export interface TaskNode {
  readonly nodeId: number;
  readonly name: string;
  /** Null for the source node at the head of a source stage. */
  readonly operator: Operator | null;
  readonly routes: Route[];
  pending: Array<{ inputIndex: number; records: EngineRecord[] }>;
  readonly out: Output;
  readonly metrics: NodeMetrics;
}

export interface TaskSource {
  readonly spec: SourceSpec;
  partition: SourcePartition<unknown, unknown> | null;
  readonly generator: WatermarkGenerator;
  readonly buffer: EngineRecord[];
}

/** A snapshot taken at a barrier, waiting for the executor to pre-commit sinks and acknowledge. */
export interface TakenSnapshot {
  readonly checkpointId: number;
  readonly snapshot: TaskSnapshot;
}

export class Task {
  readonly stage: Stage;
  readonly index: number;
  readonly nodes: TaskNode[];
  readonly inputs: InputChannel[] = [];
  readonly outputs: OutputChannel[] = [];
  merger: WatermarkMerger | null = null;
  source: TaskSource | null = null;
  watermarkMs = Number.NEGATIVE_INFINITY;
  idle = false;
  ended = false;
  /** Snapshots taken at barriers since the executor last looked. */
  readonly taken: TakenSnapshot[] = [];
  /** The snapshot taken when the task ended (after its final epoch), until reported. */
  finalSnapshot: TaskSnapshot | null = null;
  /** Operators that write out (sinks): flushed when full and before a checkpoint is acknowledged. */
  sinks: Operator[] = [];
  readonly #unconsumed: Counter;
  #nextInput = 0;
  /** Checkpoint being aligned, and which inputs already delivered its barrier. */
  #aligning: number | null = null;
  #blocked: boolean[] = [];

  constructor(stage: Stage, index: number, nodes: TaskNode[], unconsumed: Counter) {
    this.stage = stage;
    this.index = index;
    this.nodes = nodes;
    this.#unconsumed = unconsumed;
  }

  get name(): string {
    return `stage ${this.stage.id} task ${this.index}`;
  }

  /** The checkpoint whose barrier this task is aligning, or null. */
  get aligning(): number | null {
    return this.#aligning;
  }

  hasRoom(): boolean {
    for (const c of this.outputs) if (!c.hasRoomForStep()) return false;
    return true;
  }

  /** True when a sink's buffer is full: the task must not step until flushSinks() resolves. */
  needsFlush(): boolean {
    for (let i = 0; i < this.sinks.length; i++) if (this.sinks[i]!.needsFlush()) return true;
    return false;
  }

  async flushSinks(): Promise<void> {
    for (const sink of this.sinks) await sink.flush();
  }

  /** True when an input that is not blocked by barrier alignment holds an element. */
  hasInput(): boolean {
    const blocked = this.#blocked;
    for (let i = 0; i < this.inputs.length; i++)
      if (this.inputs[i]!.length > 0 && blocked[i] !== true) return true;
    return false;
  }

  /** Takes one element from the unblocked input channels (round robin) and processes it. */
  stepInput(): void {
    const inputs = this.inputs;
    for (let tried = 0; tried < inputs.length; tried++) {
      const slot = this.#nextInput;
      this.#nextInput = (slot + 1) % inputs.length;
      if (this.#blocked[slot] === true) continue;
      const channel = inputs[slot]!;
      const element = channel.shift();
      if (element !== undefined) {
        this.#onElement(channel, element);
        return;
      }
    }
  }

  /** Processes records a source returned, then moves the watermark as far as they allow. */
  stepSourceRecords(records: EngineRecord[], nowMs: number): void {
    const source = this.source!;
    let maxTs = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < records.length; i++) {
      const ts = records[i]!.timestamp;
      if (ts > maxTs) maxTs = ts;
    }
    source.generator.observe(maxTs, nowMs);
    this.nodes[0]!.metrics.recordsOut += records.length;
    this.#send(0, mainPort, records);
    const wm = source.generator.current();
    const wasIdle = this.idle;
    this.idle = false;
    this.#advance(wm > this.watermarkMs ? wm : null, wasIdle);
  }

  sourceIdle(): void {
    if (this.idle) return;
    this.idle = true;
    this.#broadcast({ kind: 'idle' });
  }

  sourceEnded(): void {
    this.#advance(Number.POSITIVE_INFINITY, false);
    this.#finish();
  }

  /** A source task's part of checkpoint `checkpointId`: close the epoch, snapshot, send the barrier. */
  injectBarrier(checkpointId: number): void {
    if (this.source === null) throw new Error(`${this.name} is not a source task: barriers arrive on inputs`);
    this.#checkpoint(checkpointId);
  }

  /** After a restore from a snapshot taken once the task had ended: tell downstream, do nothing else. */
  resumeEnded(): void {
    this.ended = true;
    this.#broadcast({ kind: 'end' });
  }

  /** Runs processing-time work of every operator due at `nowMs`; true if any ran. */
  onProcessingTime(nowMs: number): boolean {
    let ran = false;
    for (let i = 0; i < this.nodes.length; i++) {
      const node = this.nodes[i]!;
      const op = node.operator;
      if (op === null || op.nextProcessingTimeMs() > nowMs) continue;
      this.#guard(node, 'at processing time', nowMs, () => op.onProcessingTime(nowMs, node.out));
      this.#route(i, node);
      ran = true;
    }
    if (ran) {
      this.#pass(null, null);
      this.#flushStaging();
    }
    return ran;
  }

  snapshot(): TaskSnapshot {
    const source = this.source;
    return {
      stage: this.stage.id,
      index: this.index,
      watermarkMs: this.watermarkMs,
      idle: this.idle,
      ended: this.ended,
      merger: this.merger?.snapshot() ?? null,
      source:
        source === null
          ? null
          : { position: source.partition!.position(), generator: source.generator.snapshot() },
      operators: this.nodes.flatMap((n) =>
        n.operator === null ? [] : [[n.nodeId, n.operator.snapshot()] as const],
      ),
    };
  }

  /** Restores watermarks and operator state; returns the source position to reopen at, if any. */
  restore(saved: TaskSnapshot, nowMs: number): number | null {
    this.watermarkMs = saved.watermarkMs;
    this.idle = saved.idle;
    if (saved.merger !== null) this.merger?.restore(saved.merger);
    for (const [nodeId, state] of saved.operators) {
      const node = this.nodes.find((n) => n.nodeId === nodeId);
      if (node?.operator == null)
        throw new EngineError('restore_failed', `${this.name} has no operator node ${nodeId} to restore`);
      node.operator.restore(state);
    }
    if (saved.source === null) return null;
    this.source!.generator.restore(saved.source.generator, nowMs);
    return saved.source.position;
  }

  #onElement(channel: InputChannel, element: Element): void {
    const merger = this.merger!;
    switch (element.kind) {
      case 'data': {
        const target = this.nodes.findIndex((n) => n.nodeId === channel.targetNodeId);
        this.nodes[target]!.pending.push({ inputIndex: channel.targetInputIndex, records: element.records });
        this.#pass(null, null);
        this.#flushStaging();
        return;
      }
      case 'watermark':
        this.#merged(merger.update(channel.inputSlot, element.watermarkMs));
        return;
      case 'idle':
        this.#merged(merger.setIdle(channel.inputSlot, true));
        return;
      case 'barrier':
        this.#onBarrier(channel.inputSlot, element.checkpointId);
        return;
      case 'end':
        if (this.ended) return; // restored after ending: upstream re-announces its end
        this.#merged(merger.update(channel.inputSlot, Number.POSITIVE_INFINITY));
        if (this.inputs.every((c) => c.ended)) this.#finish();
        else if (this.#aligning !== null) this.#tryAlign();
        return;
    }
  }

  #onBarrier(slot: number, checkpointId: number): void {
    if (this.#aligning === null) {
      this.#aligning = checkpointId;
      this.#blocked = this.inputs.map(() => false);
    } else if (this.#aligning !== checkpointId) {
      // One checkpoint at a time: the coordinator triggers the next only after this one completed.
      throw new Error(
        `${this.name} got barrier ${checkpointId} on input ${slot} while aligning checkpoint ${this.#aligning}`,
      );
    }
    this.#blocked[slot] = true;
    this.#tryAlign();
  }

  #tryAlign(): void {
    for (let i = 0; i < this.inputs.length; i++) {
      if (this.#blocked[i] !== true && !this.inputs[i]!.ended) return;
    }
    const id = this.#aligning!;
    this.#aligning = null;
    this.#blocked = [];
    this.#checkpoint(id);
  }

  #checkpoint(checkpointId: number): void {
    this.#pass(null, checkpointId);
    this.#flushStaging();
    this.taken.push({ checkpointId, snapshot: this.snapshot() });
    this.#broadcast({ kind: 'barrier', checkpointId });
  }

  #merged(mergedMs: number): void {
    const allIdle = this.merger!.allIdle();
    const wasIdle = this.idle;
    this.idle = allIdle;
    this.#advance(mergedMs > this.watermarkMs ? mergedMs : null, wasIdle && !allIdle);
    if (allIdle && !wasIdle) this.#broadcast({ kind: 'idle' });
  }

  /** Moves the watermark (or only re-announces it after idleness) and tells downstream. */
  #advance(watermarkMs: number | null, reactivated: boolean): void {
    if (watermarkMs !== null) this.watermarkMs = watermarkMs;
    this.#pass(watermarkMs, null);
    this.#flushStaging();
    if (watermarkMs !== null || reactivated)
      this.#broadcast({ kind: 'watermark', watermarkMs: this.watermarkMs });
  }

  /** End of all input: the last epoch closes (a final trigger), then downstream hears the end. */
  #finish(): void {
    this.#aligning = null;
    this.#blocked = [];
    this.#pass(null, Number.POSITIVE_INFINITY);
    this.#flushStaging();
    this.ended = true;
    this.finalSnapshot = this.snapshot();
    this.#broadcast({ kind: 'end' });
  }

  /**
   * Runs pending batches through the nodes in order, then the watermark, then the end of the
   * epoch, so each node sees everything its predecessors emitted before the event itself.
   */
  #pass(watermarkMs: number | null, barrierId: number | null): void {
    for (let i = 0; i < this.nodes.length; i++) {
      const node = this.nodes[i]!;
      const op = node.operator;
      if (op === null) continue;
      if (node.pending.length > 0) {
        const pending = node.pending;
        node.pending = [];
        for (let p = 0; p < pending.length; p++) this.#process(i, node, op, pending[p]!);
      }
      if (watermarkMs !== null) {
        this.#guard(node, 'at watermark', watermarkMs, () => op.onWatermark(watermarkMs, node.out));
        this.#route(i, node);
      }
      if (barrierId !== null) {
        this.#guard(node, 'at checkpoint barrier', barrierId, () => op.onBarrier(barrierId, node.out));
        this.#route(i, node);
      }
    }
  }

  #process(i: number, node: TaskNode, op: Operator, item: { inputIndex: number; records: EngineRecord[] }) {
    const m = node.metrics;
    const started = performance.now();
    try {
      op.processBatch(item.records, item.inputIndex, node.out);
    } catch (error) {
      throw this.#failure(node, describeBatch(item.records), error);
    }
    const ms = performance.now() - started;
    m.batches++;
    m.recordsIn += item.records.length;
    m.batchMsTotal += ms;
    if (ms > m.batchMsMax) m.batchMsMax = ms;
    this.#route(i, node);
  }

  #guard(node: TaskNode, what: string, value: number, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      throw this.#failure(node, `${what} ${value}`, error);
    }
  }

  #failure(node: TaskNode, where: string, error: unknown): EngineError {
    if (error instanceof EngineError && error.message.startsWith('Operator ')) return error;
    const message = error instanceof Error ? error.message : String(error);
    // An engine error (a budget, a limit) keeps its code; anything else a user function threw
    // is a task failure.
    const failure = new EngineError(
      error instanceof EngineError ? error.code : 'task_failed',
      `Operator '${node.name}' (${this.name}) failed ${where}: ${message}`,
    );
    failure.cause = error;
    return failure;
  }

  #route(index: number, node: TaskNode): void {
    const out = node.out;
    if (out.main.length > 0) {
      node.metrics.recordsOut += out.main.length;
      this.#send(index, mainPort, out.takeMain());
    }
    if (out.hasSide()) {
      for (const [port, records] of out.takeSide()) {
        node.metrics.recordsOut += records.length;
        this.#send(index, port, records);
      }
    }
  }

  #send(index: number, port: string, records: EngineRecord[]): void {
    let consumed = false;
    for (const route of this.nodes[index]!.routes) {
      if (route.port !== port) continue;
      consumed = true;
      if (route.remote === null) {
        this.nodes[route.localNode]!.pending.push({ inputIndex: route.inputIndex, records });
        continue;
      }
      const remote = route.remote;
      if (remote.kind === 'rebalance' || remote.channels.length === 1) {
        const staging = remote.staging[0]!;
        for (let i = 0; i < records.length; i++) staging.push(records[i]!);
        continue;
      }
      const n = remote.channels.length;
      for (let i = 0; i < records.length; i++) {
        const r = records[i]!;
        remote.staging[taskForKey(r.key, n)]!.push(r);
      }
    }
    if (!consumed) this.#unconsumed.value += records.length;
  }

  #flushStaging(): void {
    for (const node of this.nodes) {
      for (const route of node.routes) {
        const remote = route.remote;
        if (remote === null) continue;
        for (let t = 0; t < remote.staging.length; t++) {
          const staged = remote.staging[t]!;
          if (staged.length === 0) continue;
          remote.channels[t]!.push({ kind: 'data', records: staged });
          remote.staging[t] = [];
        }
      }
    }
  }

  #broadcast(element: Element): void {
    for (const c of this.outputs) c.push(element);
  }
}

/** Where a failing batch came from, for the error: the first record's origin. */
function describeBatch(records: readonly EngineRecord[]): string {
  const first = records[0];
  if (first === undefined) return 'on an empty batch';
  const origin =
    first.offset >= 0
      ? `${first.topic} partition ${first.partition} offset ${first.offset}`
      : `a derived record with timestamp ${first.timestamp}`;
  return `on a batch of ${records.length} record(s) starting at ${origin}`;
}
