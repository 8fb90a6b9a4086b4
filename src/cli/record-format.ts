// How `consume` prints a record: --format text (UTF-8, fields tab-separated), hex (bytes as hex)
// or json (one object per line), showing the fields --print names, in that order.
import { isUtf8 } from 'node:buffer';
import type { ConsumedRecord } from '../client/fetched-records.ts';
import { CliError } from './command.ts';
import { toJson } from './json-output.ts';

export const recordFields = ['topic', 'partition', 'offset', 'timestamp', 'key', 'value', 'headers'] as const;
export type RecordField = (typeof recordFields)[number];
export const recordFormats = ['text', 'json', 'hex'] as const;
export type RecordFormat = (typeof recordFormats)[number];

/** The fields to print: --print's list, else the value alone (text, hex) or everything (json). */
export function parsePrintFields(text: string | undefined, format: RecordFormat): RecordField[] {
  if (text === undefined) return format === 'json' ? [...recordFields] : ['value'];
  const fields = text.split(',').map((f) => f.trim());
  for (const f of fields) {
    if (!(recordFields as readonly string[]).includes(f))
      throw new CliError(`--print: unknown field '${f}'; choose from ${recordFields.join(',')}`, 2);
  }
  return fields as RecordField[];
}

function bytesText(b: Buffer | null, format: 'text' | 'hex'): string {
  if (b === null) return 'null';
  return format === 'hex' ? b.toString('hex') : b.toString('utf8');
}

/** JSON keeps text as a string; bytes that are not UTF-8 become { base64 } so nothing is lost. */
function bytesJson(b: Buffer | null): string | { base64: string } | null {
  if (b === null) return null;
  return isUtf8(b) ? b.toString('utf8') : { base64: b.toString('base64') };
}

/** One output line (without its newline). */
export function formatRecord(
  r: ConsumedRecord,
  fields: readonly RecordField[],
  format: RecordFormat,
  separator = '\t',
): string {
  if (format === 'json') {
    const out: Record<string, unknown> = {};
    for (const f of fields) {
      if (f === 'key' || f === 'value') out[f] = bytesJson(r[f]);
      else if (f === 'headers')
        out.headers = r.headers.map((h) => ({ key: h.key, value: bytesJson(h.value) }));
      else out[f] = r[f];
    }
    return toJson(out);
  }
  return fields
    .map((f) => {
      if (f === 'key' || f === 'value') return bytesText(r[f], format);
      if (f === 'headers') return r.headers.map((h) => `${h.key}=${bytesText(h.value, format)}`).join(',');
      return String(r[f]);
    })
    .join(separator);
}
