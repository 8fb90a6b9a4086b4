// External client programs as drivers: spawn one, feed records on stdin as tab-separated lines,
// read its JSON lines as they arrive (a 30k-record read-back is never held as one string), and
// group members that run until told to leave.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { type GroupMember, MemberState } from '../suite/driver.ts';
import type { Header, ReadRecord, SpecRecord } from '../suite/records.ts';

const stderrTailBytesMax = 8000;
const runTimeoutMsDefault = 300_000;

export interface SpawnLinesOptions {
  input?: string;
  /** Called for every stdout line. */
  onLine?: (line: string) => void;
  timeoutMs?: number;
  env?: Readonly<Record<string, string>>;
}

function b64(text: string): string {
  return Buffer.from(text).toString('base64');
}

function unb64(text: string | null): string | null {
  return text === null ? null : Buffer.from(text, 'base64').toString();
}

/** One line per record: partition, timestamp (empty: the client's), key, value, headers (base64). */
export function recordsAsTsv(records: readonly SpecRecord[]): string {
  return records
    .map((r) =>
      [
        r.partition,
        r.timestamp ?? '',
        b64(r.key),
        b64(r.value),
        r.headers.map(([k, v]) => `${b64(k)}:${b64(v)}`).join(','),
      ].join('\t'),
    )
    .join('\n')
    .concat('\n');
}

type RecordTuple = [number, number, number, string | null, string | null, [string, string | null][]];

/** Decodes `{"record": [partition, offset, ts, key, value, headers]}` (base64 bytes). */
export function readRecordOf(tuple: RecordTuple): ReadRecord {
  const [partition, offset, ts, key, value, headers] = tuple;
  return {
    partition,
    offset: BigInt(offset),
    key: unb64(key),
    value: unb64(value),
    headers: headers.map(([k, v]): Header => [unb64(k) ?? '', unb64(v) ?? '']),
    timestamp: BigInt(ts),
  };
}

function describeCommand(command: string, args: readonly string[]): string {
  return [command, ...args].join(' ');
}

function tail(chunks: Buffer[]): string {
  return Buffer.concat(chunks).toString().slice(-stderrTailBytesMax);
}

function collectStderr(child: ChildProcess): Buffer[] {
  const chunks: Buffer[] = [];
  let bytes = 0;
  child.stderr?.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    bytes += chunk.length;
    // Keep only the tail: errors are printed last.
    while (bytes > stderrTailBytesMax * 4 && chunks.length > 1) bytes -= chunks.shift()?.length ?? 0;
  });
  return chunks;
}

/** Runs a program to completion; resolves on exit 0, rejects naming it, its exit and stderr. */
export function spawnLines(command: string, args: readonly string[], options: SpawnLinesOptions = {}) {
  const timeoutMs = options.timeoutMs ?? runTimeoutMsDefault;
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...options.env }, stdio: 'pipe' });
    const stderr = collectStderr(child);
    let lineError: unknown;
    createInterface({ input: child.stdout }).on('line', (line) => {
      try {
        options.onLine?.(line);
      } catch (error) {
        lineError ??= error;
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`Cannot run ${describeCommand(command, args)}: ${e.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0 && lineError === undefined) return resolve();
      const how =
        lineError !== undefined
          ? `printed a line it should not have: ${String(lineError)}`
          : signal === 'SIGKILL'
            ? `was killed after ${timeoutMs} ms`
            : `exited with ${code ?? signal}`;
      reject(new Error(`${describeCommand(command, args.slice(0, 6))} ${how}\n${tail(stderr)}`));
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/** Runs a driver program that prints JSON lines; returns the parsed lines. */
export async function runJson(command: string, args: readonly string[], input?: string): Promise<unknown[]> {
  const lines: unknown[] = [];
  await spawnLines(command, args, {
    ...(input === undefined ? {} : { input }),
    onLine: (line) => {
      if (line.trim() !== '') lines.push(JSON.parse(line));
    },
  });
  return lines;
}

/** Runs a driver's read command: `{"record": [...]}` lines, then `{"done": n}`. */
export async function runRead(command: string, args: readonly string[]): Promise<ReadRecord[]> {
  const out: ReadRecord[] = [];
  await spawnLines(command, args, {
    onLine: (line) => {
      const parsed = JSON.parse(line) as { record?: RecordTuple };
      if (parsed.record !== undefined) out.push(readRecordOf(parsed.record));
    },
  });
  return out;
}

/** The `{"configs": {...}}` line of a describe-configs run. */
export async function runDescribeConfigs(command: string, args: readonly string[]) {
  const lines = (await runJson(command, args)) as { configs?: Record<string, string | null> }[];
  const found = lines.find((l) => l.configs !== undefined)?.configs;
  if (found === undefined) throw new Error(`${describeCommand(command, args)} printed no configs line`);
  return Object.fromEntries(Object.entries(found).map(([k, v]) => [k, v ?? '']));
}

/**
 * A group member in a child process that prints `{"assigned": [...]}` and `{"took": [[p, o]...]}`
 * lines, and commits, closes and exits 0 when its stdin says `leave`.
 */
export function startProcessMember(label: string, command: string, args: readonly string[]): GroupMember {
  const state = new MemberState(label);
  const child = spawn(command, args, { stdio: 'pipe' });
  const stderr = collectStderr(child);
  let leaving = false;
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      const parsed = JSON.parse(line) as { assigned?: number[]; took?: [number, number][] };
      if (parsed.assigned !== undefined) state.assigned(parsed.assigned);
      if (parsed.took !== undefined) {
        state.took(parsed.took.map(([partition, offset]) => ({ partition, offset: BigInt(offset) })));
      }
    } catch (error) {
      state.failed(new Error(`${label} printed '${line.slice(0, 200)}': ${String(error)}`));
    }
  });
  const exited = new Promise<void>((resolve, reject) => {
    child.once('error', (e) => {
      state.failed(e);
      reject(e);
    });
    child.once('close', (code, signal) => {
      if (code === 0 && leaving) return resolve();
      const error = new Error(
        `${label} exited with ${code ?? signal}${leaving ? '' : ' before it was told to leave'}\n${tail(stderr)}`,
      );
      state.failed(error);
      reject(error);
    });
  });
  exited.catch(() => undefined);
  child.stdin.on('error', () => undefined);
  return {
    state,
    async leave() {
      leaving = true;
      child.stdin.end('leave\n');
      await exited;
    },
  };
}
