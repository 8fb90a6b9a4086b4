// A wait between retries that close() can cut short: sleep(ms) resolves after ms, or at once
// when wake() is called while it waits (a wake() with no sleep in progress does nothing).
export interface WakeableSleep {
  sleep(ms: number): Promise<void>;
  wake(): void;
}

export function wakeableSleep(): WakeableSleep {
  let wake: (() => void) | null = null;
  return {
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          wake = null;
          resolve();
        }, ms);
        wake = () => {
          clearTimeout(timer);
          wake = null;
          resolve();
        };
      }),
    wake: () => {
      const w: (() => void) | null = wake;
      if (w !== null) w();
    },
  };
}
