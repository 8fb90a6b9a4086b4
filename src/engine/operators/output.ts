// Where an operator puts what it produces during one call: the main stream and named side
// outputs (late data, branches, user side outputs). The runtime routes and clears it after
// each call, so operators never hold references to their successors.
import type { EngineRecord } from '../record.ts';

export const mainPort = 'main';

export class Output {
  main: EngineRecord[] = [];
  readonly #side = new Map<string, EngineRecord[]>();
  #sideCount = 0;

  emit(record: EngineRecord): void {
    this.main.push(record);
  }

  emitTo(port: string, record: EngineRecord): void {
    if (port === mainPort) {
      this.main.push(record);
      return;
    }
    let list = this.#side.get(port);
    if (list === undefined) {
      list = [];
      this.#side.set(port, list);
    }
    list.push(record);
    this.#sideCount++;
  }

  hasSide(): boolean {
    return this.#sideCount > 0;
  }

  /** Side outputs with records; the arrays are handed over and replaced. */
  takeSide(): Array<[string, EngineRecord[]]> {
    const taken: Array<[string, EngineRecord[]]> = [];
    for (const [port, list] of this.#side) {
      if (list.length > 0) {
        taken.push([port, list]);
        this.#side.set(port, []);
      }
    }
    this.#sideCount = 0;
    return taken;
  }

  /** Hands over the main records and starts a new array. */
  takeMain(): EngineRecord[] {
    const taken = this.main;
    this.main = [];
    return taken;
  }
}
