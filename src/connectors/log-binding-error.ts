// What a log binding throws when the log refuses an operation: the action, the transactional id
// or partition, and Kafka's error name. `code` is the Kafka error code when the log gave one.
import { EngineError } from '../engine/engine-error.ts';

export class LogBindingError extends EngineError {
  readonly kafkaCode: number | null;

  constructor(message: string, kafkaCode: number | null = null) {
    super('sink_failed', message);
    this.kafkaCode = kafkaCode;
  }
}
