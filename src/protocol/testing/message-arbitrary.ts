// Random messages for any descriptor and version, built from the generated schema: the fields
// a version carries get random values, the others their defaults. Shared by the round-trip
// and fuzz tests.
import fc from 'fast-check';
import type { SchemaField, SchemaMessage, SchemaRange } from '../generated/schema.ts';
import type { Reader } from '../reader.ts';
import type { Writer } from '../writer.ts';

export function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

export function has(range: SchemaRange | undefined, v: number): boolean {
  return range !== null && range !== undefined && v >= range[0] && v <= range[1];
}

function present(f: SchemaField, v: number, flexible: boolean): boolean {
  if (!has(f.versions, v)) return false;
  return f.tag === null || (flexible && has(f.tagged, v));
}

function intDefault(d: string | null): number {
  if (d === null || d === '') return 0;
  return d.startsWith('0x') ? Number.parseInt(d, 16) : Number(d);
}

/** The value a field takes when a version does not carry it (an independent reading of the rules). */
function defaultValue(f: SchemaField): unknown {
  if (f.default === 'null') return null;
  if (f.type.startsWith('[]')) return [];
  if (f.fields !== undefined) return defaultStruct(f.fields);
  switch (f.type) {
    case 'bool':
      return f.default === 'true';
    case 'int64':
      return BigInt(intDefault(f.default));
    case 'string':
      return f.default ?? '';
    case 'uuid':
      return 'AAAAAAAAAAAAAAAAAAAAAA';
    case 'bytes':
      return Buffer.alloc(0);
    case 'records':
      return f.nullable === null ? Buffer.alloc(0) : null;
    default:
      return intDefault(f.default);
  }
}

function defaultStruct(fields: readonly SchemaField[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) out[f.name] = defaultValue(f);
  return out;
}

function scalar(type: string): fc.Arbitrary<unknown> {
  switch (type) {
    case 'bool':
      return fc.boolean();
    case 'int8':
      return fc.integer({ min: -128, max: 127 });
    case 'int16':
      return fc.integer({ min: -32768, max: 32767 });
    case 'uint16':
      return fc.integer({ min: 0, max: 65535 });
    case 'int32':
      return fc.integer({ min: -2147483648, max: 2147483647 });
    case 'uint32':
      return fc.integer({ min: 0, max: 4294967295 });
    case 'int64':
      return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    case 'float64':
      return fc.double();
    case 'string':
      return fc.string({ maxLength: 12, unit: 'grapheme' });
    case 'uuid':
      return fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => Buffer.from(b).toString('base64url'));
    case 'bytes':
    case 'records':
      return fc.uint8Array({ maxLength: 24 }).map((b) => Buffer.from(b));
    default:
      throw new Error(`no arbitrary for scalar type ${type}`);
  }
}

function fieldArb(f: SchemaField, v: number, flexible: boolean): fc.Arbitrary<unknown> {
  const element = f.type.startsWith('[]') ? f.type.slice(2) : null;
  let arb: fc.Arbitrary<unknown>;
  if (f.fields !== undefined) {
    const struct = structArb(f.fields, v, flexible);
    arb = element === null ? struct : fc.array(struct, { maxLength: 2 });
  } else if (element !== null) {
    arb = fc.array(scalar(element), { maxLength: 3 });
  } else {
    arb = scalar(f.type);
  }
  return has(f.nullable, v) ? fc.option(arb, { nil: null }) : arb;
}

export function structArb(
  fields: readonly SchemaField[],
  v: number,
  flexible: boolean,
): fc.Arbitrary<Record<string, unknown>> {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const f of fields) {
    model[f.name] = present(f, v, flexible) ? fieldArb(f, v, flexible) : fc.constant(defaultValue(f));
  }
  // fast-check builds null-prototype objects; the decoder builds plain ones.
  return fc.record(model).map((o) => ({ ...o }));
}

export interface Codec {
  encode(w: Writer, v: number, m: unknown): void;
  decode(r: Reader, v: number): unknown;
}

export async function codecOf(message: SchemaMessage): Promise<Codec> {
  const mod = (await import(`../generated/${kebab(message.name)}.ts`)) as Record<string, unknown>;
  const encode = mod[`encode${message.name}`];
  const decode = mod[`decode${message.name}`];
  if (typeof encode !== 'function' || typeof decode !== 'function')
    throw new Error(`no codec for ${message.name}`);
  return { encode: encode as Codec['encode'], decode: decode as Codec['decode'] };
}
