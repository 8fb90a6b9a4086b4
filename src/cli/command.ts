// The shape every `sluice <command>` implements. Each command lives in commands/<name>.ts and
// is listed in registry.ts; main.ts only dispatches.

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  /** Aborts long-running commands (consume, produce) the way Ctrl-C does; default: SIGINT/SIGTERM. */
  signal?: AbortSignal;
}

export interface Command {
  name: string;
  /** One line for `sluice --help`. */
  summary: string;
  /** Full usage text for `sluice <command> --help`. */
  usage: string;
  /** Returns the process exit code. Throws only for bugs; user errors are printed and return 1 or 2. */
  run(args: string[], io: CliIo): Promise<number>;
}

/** A user error: printed as `sluice <command>: <message>` with exit code 2 (bad usage) or 1. */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly exitCode: number;

  constructor(message: string, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}
