// A bounded FIFO between two tasks: record batches, watermarks, idleness, checkpoint barriers and
// the end marker, in the order they were produced (a watermark or barrier never overtakes the
// records before it). Tasks see only the two ends; a LocalChannel is both ends in one object,
// a remote channel (remote-channel.ts) splits them across executors with credits.
import { engineLimits } from '../../limits.ts';
import type { EngineRecord } from '../record.ts';

export type Element =
  | { readonly kind: 'data'; readonly records: EngineRecord[] }
  | { readonly kind: 'watermark'; readonly watermarkMs: number }
  | { readonly kind: 'idle' }
  | { readonly kind: 'barrier'; readonly checkpointId: number }
  | { readonly kind: 'end' };

/**
 * Elements one task step may push into one channel: data, then a watermark or idle, then a
 * barrier or end (a barrier's trigger output travels in the same data element).
 */
export const elementsPerStepMax = 4;

/** The receiving end, as the downstream task sees it. */
export interface InputChannel {
  /** Index of this channel among the inputs of the receiving task. */
  readonly inputSlot: number;
  /** Node of the receiving task's stage that consumes these records, and which of its inputs. */
  readonly targetNodeId: number;
  readonly targetInputIndex: number;
  readonly length: number;
  /** True once the end marker has been taken. */
  readonly ended: boolean;
  shift(): Element | undefined;
}

/** The sending end, as the upstream task sees it. */
export interface OutputChannel {
  /** True when one more step's elements fit (the runtime steps a task only then). */
  hasRoomForStep(): boolean;
  push(element: Element): void;
}

/** Both ends in one thread: a bounded array queue. */
export class LocalChannel implements InputChannel, OutputChannel {
  readonly inputSlot: number;
  readonly targetNodeId: number;
  readonly targetInputIndex: number;
  #items: Element[] = [];
  #head = 0;
  #ended = false;

  constructor(inputSlot: number, targetNodeId: number, targetInputIndex: number) {
    this.inputSlot = inputSlot;
    this.targetNodeId = targetNodeId;
    this.targetInputIndex = targetInputIndex;
  }

  get length(): number {
    return this.#items.length - this.#head;
  }

  get ended(): boolean {
    return this.#ended;
  }

  hasRoomForStep(): boolean {
    return this.length + elementsPerStepMax <= engineLimits.channelElementsMax;
  }

  push(element: Element): void {
    if (this.length >= engineLimits.channelElementsMax) {
      throw new Error(
        `Channel to node ${this.targetNodeId} overflowed its ${engineLimits.channelElementsMax} elements`,
      );
    }
    this.#items.push(element);
  }

  shift(): Element | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const element = this.#items[this.#head++]!;
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    }
    if (element.kind === 'end') this.#ended = true;
    return element;
  }
}
