// A bounded FIFO between two tasks: record batches, watermarks, idleness and the end marker,
// in the order they were produced (a watermark never overtakes the records before it).
import { engineLimits } from '../../limits.ts';
import type { EngineRecord } from '../record.ts';

export type Element =
  | { readonly kind: 'data'; readonly records: EngineRecord[] }
  | { readonly kind: 'watermark'; readonly watermarkMs: number }
  | { readonly kind: 'idle' }
  | { readonly kind: 'end' };

/** Elements one task step may push into one channel: data, then a watermark or idle, then end. */
export const elementsPerStepMax = 3;

export class Channel {
  /** Index of this channel among the inputs of the receiving task. */
  readonly inputSlot: number;
  /** Node of the receiving task's stage that consumes these records, and which of its inputs. */
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
