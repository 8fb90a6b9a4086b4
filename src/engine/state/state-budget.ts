// The bytes of state a job may hold in memory, shared by all its operators. Operators charge
// and release estimated sizes; exceeding the budget fails the job with the operator and state
// named, rather than letting the process run out of memory.
import { EngineError } from '../engine-error.ts';

export class StateBudget {
  readonly bytesMax: number;
  #bytesUsed = 0;

  constructor(bytesMax: number) {
    if (!(bytesMax > 0)) throw new RangeError(`Cannot create a state budget of ${bytesMax} bytes`);
    this.bytesMax = bytesMax;
  }

  get bytesUsed(): number {
    return this.#bytesUsed;
  }

  /** Adds `deltaBytes` (negative to release); `owner` names the state for the error. */
  charge(deltaBytes: number, owner: string): void {
    const next = this.#bytesUsed + deltaBytes;
    if (deltaBytes > 0 && next > this.bytesMax) {
      throw new EngineError(
        'state_budget_exceeded',
        `State '${owner}' cannot grow by ${deltaBytes} bytes: the job's state would use ${next} of ${this.bytesMax} bytes`,
      );
    }
    this.#bytesUsed = Math.max(next, 0);
  }
}
