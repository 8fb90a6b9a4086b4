// Runs an external client program (kcat, python, java, a Go binary) for a capture scenario.
import { spawn } from 'node:child_process';

export interface ProcessResult {
  stdout: string;
  stderr: string;
}

export interface RunProcessOptions {
  input?: string;
  timeoutMs?: number;
  env?: Readonly<Record<string, string>>;
}

const timeoutMsDefault = 60_000;
const outputBytesMax = 16 * 1024 * 1024;

/** Resolves with the output of a zero exit; rejects naming the command, its exit and stderr. */
export function runProcess(command: string, args: readonly string[], options: RunProcessOptions = {}) {
  const timeoutMs = options.timeoutMs ?? timeoutMsDefault;
  const shown = [command, ...args].join(' ');
  return new Promise<ProcessResult>((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...options.env }, stdio: 'pipe' });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let bytes = 0;
    const keep = (into: Buffer[]) => (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= outputBytesMax) into.push(chunk);
    };
    child.stdout.on('data', keep(out));
    child.stderr.on('data', keep(err));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`Cannot run ${shown}: ${e.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const result = { stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
      if (code === 0) return resolve(result);
      const how = signal === 'SIGKILL' ? `was killed after ${timeoutMs} ms` : `exited with ${code ?? signal}`;
      reject(new Error(`${shown} ${how}\n${result.stderr.slice(-4000)}`));
    });
    // A program that never reads stdin may exit first: EPIPE on stdin is no error of its own.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}
