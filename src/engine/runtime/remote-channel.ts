// A channel whose two ends live on different executors (worker threads). The sender holds
// credits, one per element the receiver has room for (engineLimits.channelElementsMax); each
// element sent spends one and the receiver returns it when the task takes the element. A
// sender without credits for a whole step is not stepped: backpressure crosses threads without
// any shared memory, and the receiver's queue can never exceed its bound.
import { engineLimits } from '../../limits.ts';
import type { Element, InputChannel, OutputChannel } from './channel.ts';
import { elementsPerStepMax } from './channel.ts';
import type { PeerLink } from './peer-link.ts';

export class RemoteOutputChannel implements OutputChannel {
  readonly id: number;
  readonly #link: PeerLink;
  #credits = engineLimits.channelElementsMax;

  constructor(id: number, link: PeerLink) {
    this.id = id;
    this.#link = link;
  }

  get credits(): number {
    return this.#credits;
  }

  hasRoomForStep(): boolean {
    return this.#credits >= elementsPerStepMax;
  }

  push(element: Element): void {
    if (this.#credits <= 0) throw new Error(`Remote channel ${this.id} has no credit left for an element`);
    this.#credits--;
    this.#link.send(this.id, element);
  }

  grant(credits: number): void {
    this.#credits += credits;
    if (this.#credits > engineLimits.channelElementsMax) {
      throw new Error(
        `Remote channel ${this.id} got back more credits than it lent: ${this.#credits} > ${engineLimits.channelElementsMax}`,
      );
    }
  }
}

export class RemoteInputChannel implements InputChannel {
  readonly id: number;
  readonly inputSlot: number;
  readonly targetNodeId: number;
  readonly targetInputIndex: number;
  readonly #link: PeerLink;
  #items: Element[] = [];
  #head = 0;
  #ended = false;

  constructor(id: number, inputSlot: number, targetNodeId: number, targetInputIndex: number, link: PeerLink) {
    this.id = id;
    this.inputSlot = inputSlot;
    this.targetNodeId = targetNodeId;
    this.targetInputIndex = targetInputIndex;
    this.#link = link;
  }

  get length(): number {
    return this.#items.length - this.#head;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** An element arrived from the sender (which spent a credit on it). */
  receive(element: Element): void {
    if (this.length >= engineLimits.channelElementsMax) {
      throw new Error(
        `Remote channel ${this.id} received more than its ${engineLimits.channelElementsMax} elements: the sender ignored credits`,
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
    this.#link.returnCredit(this.id);
    return element;
  }
}
