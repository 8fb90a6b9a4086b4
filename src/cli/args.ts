// Flag parsing shared by every command: node:util's parseArgs with its errors turned into usage
// errors (exit 2), and the small value parsers commands need (integers, key=value pairs, times).
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { CliError } from './command.ts';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** Parses `args` against `options`, positionals allowed; a bad flag is a usage error. */
export function parseFlags<const O extends OptionsConfig>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliError(`${(error as Error).message}. Run with --help for the options`, 2);
  }
}

/** An integer flag within [min, max]; undefined when the flag is absent. */
export function intFlag(
  text: string | undefined,
  name: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max || text.trim() === '') {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `between ${min} and ${max}`;
    throw new CliError(`--${name} must be an integer ${range}, got '${text}'`, 2);
  }
  return n;
}

/** An offset flag: a non-negative integer of any size. */
export function offsetFlag(text: string, name: string): bigint {
  if (!/^\d+$/.test(text))
    throw new CliError(`--${name} must be an offset (an integer >= 0), got '${text}'`, 2);
  return BigInt(text);
}

/** `k=v` pairs of a repeatable flag; the value may contain '=' and may be empty. */
export function keyValueFlags(pairs: readonly string[] | undefined, name: string): [string, string][] {
  return (pairs ?? []).map((pair) => {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new CliError(`--${name} expects KEY=VALUE, got '${pair}'`, 2);
    return [pair.slice(0, eq), pair.slice(eq + 1)];
  });
}

/** A point in time given as epoch milliseconds or an ISO-8601 date, as epoch milliseconds. */
export function timestampFlag(text: string, name: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  // Date.parse accepts many shapes; insist on one starting like ISO so '12' is never a year.
  const ms = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new CliError(
      `--${name} must be epoch milliseconds or an ISO date such as 2024-05-01T12:00:00Z, got '${text}'`,
      2,
    );
  }
  return ms;
}

/** Partitions given as '0,2,5' (repeatable); undefined when absent. */
export function partitionsFlag(
  texts: readonly string[] | undefined,
  name = 'partition',
): number[] | undefined {
  if (texts === undefined || texts.length === 0) return undefined;
  const out = new Set<number>();
  for (const text of texts.flatMap((t) => t.split(','))) out.add(intFlag(text.trim(), name, 0, 2 ** 31 - 1)!);
  return [...out].sort((a, b) => a - b);
}

/** One of a fixed set of words. */
export function choiceFlag<const C extends string>(
  text: string | undefined,
  name: string,
  choices: readonly C[],
): C | undefined {
  if (text === undefined) return undefined;
  if (!(choices as readonly string[]).includes(text))
    throw new CliError(`--${name} must be one of ${choices.join(', ')}, got '${text}'`, 2);
  return text as C;
}

/** Fails with a usage error when a subcommand gets positionals it does not take. */
export function noMorePositionals(positionals: readonly string[], what: string): void {
  if (positionals.length > 0)
    throw new CliError(`${what} takes no further arguments, got '${positionals.join(' ')}'`, 2);
}
