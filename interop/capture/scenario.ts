// What a capture scenario is: one client driving a real broker through the recording proxy.
// Scenarios run one at a time, so every frame the proxy sees while a scenario runs is that
// client's (capture.ts labels frames with the running scenario's client name).

export interface ScenarioContext {
  /** The recording proxy's address, which is also what the broker advertises. */
  bootstrap: string;
  /** A topic name unique to this capture run, e.g. topic('gzip') → 'golden-kcat-gzip'. */
  topic(suffix: string): string;
  /** A consumer group id unique to this scenario. */
  group(suffix: string): string;
  log(message: string): void;
}

export interface Scenario {
  /** Folder name under src/protocol/golden/ and the `client` field of the manifest. */
  client: string;
  /** The client library and version, for the manifest (e.g. 'kafkajs 2.2.4'). */
  describe(): Promise<string>;
  /** Throws with the reason when the client is not installed (see interop/install/). */
  check(): Promise<void>;
  run(ctx: ScenarioContext): Promise<void>;
}

/** Rejects with `what` when `promise` has not settled within timeoutMs. */
export async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${timeoutMs} ms: ${what}`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
