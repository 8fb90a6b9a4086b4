// The signal long-running commands stop on: the caller's (tests) or the process's Ctrl-C/SIGTERM.
import type { CliIo } from './command.ts';

export interface Interrupt {
  signal: AbortSignal;
  /** Stops listening for process signals. */
  dispose(): void;
}

export function interruptFor(io: CliIo): Interrupt {
  if (io.signal !== undefined) return { signal: io.signal, dispose: () => undefined };
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
}
