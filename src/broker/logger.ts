// The broker's structured logger: pino, writing JSON lines (for machines), one short line per
// event (for people at a terminal), or nothing but errors (quiet). The format is a destination
// over pino, so every part of the broker logs the same way whatever the format.
import { type DestinationStream, type Logger, pino } from 'pino';

export type LogFormat = 'json' | 'pretty';

export interface LoggerOptions {
  /** pino level; 'silent' logs nothing. Default 'info'. */
  level?: string;
  format?: LogFormat;
  /** Where lines go; default process.stderr. */
  stream?: NodeJS.WritableStream;
}

const LEVEL_NAMES: Readonly<Record<number, string>> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO ',
  40: 'WARN ',
  50: 'ERROR',
  60: 'FATAL',
};
const HIDDEN_FIELDS = new Set(['level', 'time', 'msg', 'pid', 'hostname']);

function formatValue(value: unknown): string {
  if (typeof value === 'string') return /\s/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value) ?? String(value);
}

/** One JSON log line as `12:00:01.123 INFO  message key=value ...`. */
export function prettyLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 23) : '';
  const level = LEVEL_NAMES[entry.level as number] ?? String(entry.level);
  const fields = Object.entries(entry)
    .filter(([k]) => !HIDDEN_FIELDS.has(k))
    .map(([k, v]) => `${k}=${formatValue(v)}`);
  return `${time} ${level} ${String(entry.msg ?? '')}${fields.length > 0 ? ` ${fields.join(' ')}` : ''}\n`;
}

function prettyDestination(out: NodeJS.WritableStream): DestinationStream {
  return { write: (line: string) => void out.write(prettyLine(line)) };
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const out = options.stream ?? process.stderr;
  const destination: DestinationStream =
    options.format === 'pretty' ? prettyDestination(out) : { write: (line: string) => void out.write(line) };
  return pino({ level: options.level ?? 'info', base: null }, destination);
}
