// What the starter of one of the app's long-running parts returns (the Slack alert poster, the
// X filtered stream): its counters, when it stops, and how to stop it.
export interface RunningService<Stats> {
  /** A copy of its counters now. */
  stats(): Stats;
  /** Settles when it stops: resolves after close(), rejects on an error it cannot retry. */
  readonly done: Promise<void>;
  close(): Promise<void>;
}

/** The service whose run settles `done`; close() calls `stop` (which ends the run) and waits for it. */
export function runningService<Stats extends object>(
  stats: Stats,
  done: Promise<void>,
  stop: () => void,
): RunningService<Stats> {
  return {
    stats: () => ({ ...stats }),
    done,
    close: async () => {
      stop();
      await done.catch(() => undefined);
    },
  };
}
