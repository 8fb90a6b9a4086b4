// Operating errors of the engine (bad job definitions, exceeded budgets, bad input). Bugs are
// assertion failures and throw plain Errors instead.

export type EngineErrorCode =
  | 'invalid_job'
  | 'state_budget_exceeded'
  | 'limit_exceeded'
  | 'serde_failed'
  | 'source_failed'
  | 'sink_failed'
  | 'restore_failed'
  | 'task_failed'
  | 'checkpoint_failed'
  | 'executor_failed';

export class EngineError extends Error {
  override readonly name = 'EngineError';
  readonly code: EngineErrorCode;

  constructor(code: EngineErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
