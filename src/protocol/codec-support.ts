// Helpers the generated codec (src/protocol/generated) calls: version checks, tagged fields,
// record sets, and the errors for values a version cannot carry.
import { ProtocolError } from './errors.ts';
import type { Reader } from './reader.ts';
import type { Writer } from './writer.ts';

export { ZERO_UUID } from './reader.ts';

/** Shared empty value for bytes fields; never mutated. */
export const EMPTY_BYTES: Buffer = Buffer.alloc(0);

/**
 * A record set as a message carries it: one buffer, or a list of buffers sent back to back
 * (the broker serves record batches straight from segment reads without concatenating them).
 * Decoders always produce a single Buffer.
 */
export type RecordsData = Buffer | readonly Buffer[];

/** A tagged field this codec does not know (a newer peer's), kept so it can be re-encoded. */
export interface UnknownTaggedField {
  tag: number;
  data: Buffer;
}

export function recordsLength(records: RecordsData): number {
  if (Buffer.isBuffer(records)) return records.length;
  let total = 0;
  for (const b of records as readonly Buffer[]) total += b.length;
  return total;
}

export function writeRecords(w: Writer, records: RecordsData | null, flex: boolean): void {
  if (records === null) {
    if (flex) w.uvarint(0);
    else w.int32(-1);
    return;
  }
  const n = recordsLength(records);
  if (flex) w.uvarint(n + 1);
  else w.int32(n);
  if (Buffer.isBuffer(records)) w.raw(records);
  else for (const b of records as readonly Buffer[]) w.raw(b);
}

export function checkVersion(message: string, v: number, min: number, max: number): void {
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new ProtocolError(
      'unsupported_version',
      `${message} version ${v} is not supported (valid: ${min}-${max})`,
    );
  }
}

export function readTagCount(r: Reader): number {
  const count = r.uvarint();
  // Each tagged field takes at least two bytes (tag and size).
  if (count * 2 > r.remaining) {
    throw new ProtocolError(
      'count_out_of_range',
      `Cannot read tagged fields: count ${count} exceeds the ${r.remaining} bytes remaining`,
    );
  }
  return count;
}

export function writeTaggedFields(w: Writer, entries: UnknownTaggedField[]): void {
  // Tags must go out in ascending order; known and unknown ones are merged here.
  if (entries.length > 1) entries.sort((a, b) => a.tag - b.tag);
  w.uvarint(entries.length);
  for (const e of entries) {
    w.uvarint(e.tag);
    w.uvarint(e.data.length);
    w.raw(e.data);
  }
}

export function taggedSizeMismatch(tag: number, size: number, used: number): ProtocolError {
  return new ProtocolError(
    'invalid_value',
    `Tagged field ${tag} declares ${size} bytes but its value used ${used}`,
  );
}

export function unsupportedField(struct: string, field: string, v: number): ProtocolError {
  return new ProtocolError(
    'unsupported_field',
    `Cannot encode ${struct} v${v}: field ${field} has a non-default value but does not exist in this version`,
  );
}

export function nullField(struct: string, field: string, v: number): ProtocolError {
  return new ProtocolError(
    'invalid_value',
    `Cannot encode ${struct} v${v}: field ${field} is null but not nullable`,
  );
}
