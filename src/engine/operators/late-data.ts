// What happens to a record that arrives after its window (or join range) closed: it goes to a
// side output when the job asked for one, otherwise it is dropped and counted. Never silently.
import type { EngineRecord } from '../record.ts';
import type { Counter, OperatorContext } from './operator.ts';
import type { Output } from './output.ts';

export class LateData {
  readonly #port: string | null;
  #dropped: Counter = { value: 0 };
  #sideOutput: Counter = { value: 0 };

  constructor(sideOutputPort: string | null) {
    this.#port = sideOutputPort;
  }

  open(context: OperatorContext): void {
    this.#dropped = context.counter('late_records_dropped');
    this.#sideOutput = context.counter('late_records_side_output');
  }

  handle(record: EngineRecord, out: Output): void {
    if (this.#port === null) {
      this.#dropped.value++;
    } else {
      this.#sideOutput.value++;
      out.emitTo(this.#port, record);
    }
  }
}
