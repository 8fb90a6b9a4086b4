// Runs `sluice <argv>` in-process through main() with captured stdout and stderr, for tests.
import { PassThrough, Readable } from 'node:stream';
import type { CliIo } from '../command.ts';
import { main } from '../main.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  /** What the command reads on stdin (default: nothing, already ended). */
  stdin?: string | Iterable<string> | AsyncIterable<string>;
  signal?: AbortSignal;
}

export async function runCli(argv: string[], options: CliRunOptions = {}): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const input = options.stdin ?? '';
  const stdin = Readable.from(typeof input === 'string' ? [input] : input);
  const io: CliIo = {
    stdout,
    stderr,
    stdin,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
  const code = await main(argv, io);
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}
