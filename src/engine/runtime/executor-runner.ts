// Runs an executor's loop and applies the coordinator's commands between rounds, never in the
// middle of one (a commit or a new micro-batch must not interleave with a round's awaits). The
// same runner drives the in-thread executor and each worker thread's.
import { EngineError } from '../engine-error.ts';
import type { Executor } from './executor.ts';

export class ExecutorRunner {
  readonly #executor: Executor;
  readonly #onFailed: (error: unknown) => void;
  #commands: Array<() => Promise<void>> = [];
  #stopped = false;
  #loop: Promise<void> | null = null;

  constructor(executor: Executor, onFailed: (error: unknown) => void) {
    this.#executor = executor;
    this.#onFailed = onFailed;
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  /** Runs `fn` between two rounds and resolves with its result. */
  command<T>(fn: () => T | Promise<T>): Promise<T> {
    // A stopped loop runs nothing more: the command fails instead of waiting forever (a commit
    // sent to an executor that was terminated as a crash would be).
    if (this.#stopped)
      return Promise.reject(
        new EngineError(
          'executor_failed',
          `Executor ${this.#executor.index} has stopped: it cannot run a command`,
        ),
      );
    return new Promise<T>((resolve, reject) => {
      this.#commands.push(async () => {
        try {
          resolve(await fn());
        } catch (error) {
          reject(error);
          throw error;
        }
      });
      this.#executor.wake();
    });
  }

  /** Stops the loop after the current round (and pending commands). */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#executor.wake();
    await this.#loop;
  }

  async #run(): Promise<void> {
    const executor = this.#executor;
    try {
      for (;;) {
        while (this.#commands.length > 0) await this.#commands.shift()!();
        if (this.#stopped) return;
        if (!(await executor.pump()) && this.#commands.length === 0 && !this.#stopped)
          await executor.waitForWork();
      }
    } catch (error) {
      this.#stopped = true;
      this.#onFailed(error);
    }
  }
}
