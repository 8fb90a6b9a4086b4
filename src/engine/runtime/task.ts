// One task: the operators of one stage for one partition, run to completion per step. A step
// takes one input element (or one source batch), pushes it through the stage's operators in
// topological order, and hands what leaves the stage to the output channels, records before
// the watermark that follows them. No recursion, no per-record promises.
import type { SourcePartition } from '../connector/source.ts';
import type { Counter, Operator } from '../operators/operator.ts';
import { mainPort, type Output } from '../operators/output.ts';
import type { SourceSpec } from '../plan/logical-graph.ts';
import type { Stage } from '../plan/physical-plan.ts';
import type { EngineRecord } from '../record.ts';
import type { WatermarkGenerator } from '../time/watermark-generator.ts';
import type { WatermarkMerger } from '../time/watermark-merger.ts';
import type { Channel, Element } from './channel.ts';
import { taskForKey } from './partitioner.ts';

export interface RemoteRoute {
  readonly kind: 'shuffle' | 'rebalance';
  /** Shuffle: one channel per downstream task; rebalance: the one channel this task feeds. */
  readonly channels: Channel[];
  staging: EngineRecord[][];
}

export interface Route {
  readonly port: string;
  /** Index of the consuming node in this task, or -1 when the route leaves the stage. */
  readonly localNode: number;
  readonly inputIndex: number;
  readonly remote: RemoteRoute | null;
}

export interface TaskNode {
  readonly nodeId: number;
  readonly name: string;
  /** Null for the source node at the head of a source stage. */
  readonly operator: Operator | null;
  readonly routes: Route[];
  pending: Array<{ inputIndex: number; records: EngineRecord[] }>;
  readonly out: Output;
}

export interface TaskSource {
  readonly spec: SourceSpec;
  partition: SourcePartition<unknown, unknown> | null;
  readonly generator: WatermarkGenerator;
  readonly buffer: EngineRecord[];
}

export class Task {
  readonly stage: Stage;
  readonly index: number;
  readonly nodes: TaskNode[];
  readonly inputs: Channel[] = [];
  readonly outputs: Channel[] = [];
  merger: WatermarkMerger | null = null;
  source: TaskSource | null = null;
  watermarkMs = Number.NEGATIVE_INFINITY;
  idle = false;
  ended = false;
  readonly #unconsumed: Counter;
  #nextInput = 0;

  constructor(stage: Stage, index: number, nodes: TaskNode[], unconsumed: Counter) {
    this.stage = stage;
    this.index = index;
    this.nodes = nodes;
    this.#unconsumed = unconsumed;
  }

  get name(): string {
    return `stage ${this.stage.id} task ${this.index}`;
  }

  hasRoom(): boolean {
    for (const c of this.outputs) if (!c.hasRoomForStep()) return false;
    return true;
  }

  hasInput(): boolean {
    for (const c of this.inputs) if (c.length > 0) return true;
    return false;
  }

  /** Takes one element from the input channels (round robin) and processes it. */
  stepInput(): void {
    const inputs = this.inputs;
    for (let tried = 0; tried < inputs.length; tried++) {
      const channel = inputs[this.#nextInput]!;
      this.#nextInput = (this.#nextInput + 1) % inputs.length;
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

  /** Runs processing-time work of every operator due at `nowMs`; true if any ran. */
  onProcessingTime(nowMs: number): boolean {
    let ran = false;
    for (let i = 0; i < this.nodes.length; i++) {
      const node = this.nodes[i]!;
      const op = node.operator;
      if (op === null || op.nextProcessingTimeMs() > nowMs) continue;
      op.onProcessingTime(nowMs, node.out);
      this.#route(i, node);
      ran = true;
    }
    if (ran) {
      this.#pass(null);
      this.#flushStaging();
    }
    return ran;
  }

  #onElement(channel: Channel, element: Element): void {
    const merger = this.merger!;
    switch (element.kind) {
      case 'data': {
        const target = this.nodes.findIndex((n) => n.nodeId === channel.targetNodeId);
        this.nodes[target]!.pending.push({ inputIndex: channel.targetInputIndex, records: element.records });
        this.#pass(null);
        this.#flushStaging();
        return;
      }
      case 'watermark':
        this.#merged(merger.update(channel.inputSlot, element.watermarkMs));
        return;
      case 'idle':
        this.#merged(merger.setIdle(channel.inputSlot, true));
        return;
      case 'end':
        this.#merged(merger.update(channel.inputSlot, Number.POSITIVE_INFINITY));
        if (this.inputs.every((c) => c.ended)) this.#finish();
        return;
    }
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
    this.#pass(watermarkMs);
    this.#flushStaging();
    if (watermarkMs !== null || reactivated)
      this.#broadcast({ kind: 'watermark', watermarkMs: this.watermarkMs });
  }

  #finish(): void {
    this.ended = true;
    this.#broadcast({ kind: 'end' });
  }

  /** Runs pending batches through the nodes in order, then the watermark if there is one. */
  #pass(watermarkMs: number | null): void {
    for (let i = 0; i < this.nodes.length; i++) {
      const node = this.nodes[i]!;
      const op = node.operator;
      if (op === null) continue;
      if (node.pending.length > 0) {
        const pending = node.pending;
        node.pending = [];
        for (let p = 0; p < pending.length; p++) {
          const item = pending[p]!;
          op.processBatch(item.records, item.inputIndex, node.out);
          this.#route(i, node);
        }
      }
      if (watermarkMs !== null) {
        op.onWatermark(watermarkMs, node.out);
        this.#route(i, node);
      }
    }
  }

  #route(index: number, node: TaskNode): void {
    const out = node.out;
    if (out.main.length > 0) this.#send(index, mainPort, out.takeMain());
    if (out.hasSide()) for (const [port, records] of out.takeSide()) this.#send(index, port, records);
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
