// What callers may pass as keys, values and headers, and how it becomes bytes. Strings are UTF-8.
import type { RecordHeader } from '../protocol/records/record.ts';

export type HeadersInput =
  | Readonly<Record<string, Buffer | string | null>>
  | readonly { key: string; value: Buffer | string | null }[];

export function toBuffer(v: Buffer | string | null): Buffer | null {
  if (v === null) return null;
  return typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
}

export function toHeaders(headers: HeadersInput | undefined): RecordHeader[] {
  if (headers === undefined) return [];
  if (Array.isArray(headers)) {
    return (headers as readonly { key: string; value: Buffer | string | null }[]).map((h) => ({
      key: h.key,
      value: toBuffer(h.value),
    }));
  }
  return Object.entries(headers as Record<string, Buffer | string | null>).map(([key, value]) => ({
    key,
    value: toBuffer(value),
  }));
}
