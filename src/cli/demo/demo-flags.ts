// Parsing helpers for `sluice demo` flags: every value is checked and a bad one named in the
// error together with what was expected.
import { CliError } from '../command.ts';

export function intFlag(
  text: string | undefined,
  name: string,
  min: number,
  max: number,
): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!(Number.isInteger(n) && n >= min && n <= max))
    throw new CliError(`--${name} must be an integer from ${min} to ${max}, got '${text}'`, 2);
  return n;
}

export function numberFlag(
  text: string | undefined,
  name: string,
  min: number,
  max: number,
): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!(text.trim() !== '' && Number.isFinite(n) && n >= min && n <= max))
    throw new CliError(`--${name} must be a number from ${min} to ${max}, got '${text}'`, 2);
  return n;
}

/** `a,b, c` → ['a', 'b', 'c']; refuses an empty list or empty items. */
export function listFlag(text: string | undefined, name: string): string[] | undefined {
  if (text === undefined) return undefined;
  const items = text.split(',').map((s) => s.trim());
  if (items.length === 0 || items.some((s) => s === ''))
    throw new CliError(`--${name} must be a comma-separated list without empty items, got '${text}'`, 2);
  return items;
}

/** `HOST:PORT` with a port from 0 to 65535. */
export function hostPortFlag(
  text: string | undefined,
  name: string,
): { host: string; port: number } | undefined {
  if (text === undefined) return undefined;
  const colon = text.lastIndexOf(':');
  const port = Number(text.slice(colon + 1));
  if (colon <= 0 || !(Number.isInteger(port) && port >= 0 && port <= 65_535))
    throw new CliError(`--${name} must be HOST:PORT, got '${text}'`, 2);
  return { host: text.slice(0, colon), port };
}

/** A secret read from the environment only (flags would show it in process lists). */
export function secretFromEnv(variable: string, neededFor: string): string {
  const value = process.env[variable];
  if (value === undefined || value === '')
    throw new CliError(`${neededFor} needs the environment variable ${variable}`, 2);
  return value;
}
