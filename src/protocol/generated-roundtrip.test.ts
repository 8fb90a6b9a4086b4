// Every message of every descriptor, at every version it has, survives encode → decode →
// encode unchanged: random values for the fields the version carries, defaults for the rest.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { type SchemaField, type SchemaMessage, type SchemaRange, schema } from './generated/schema.ts';
import { Reader } from './reader.ts';
import { Writer } from './writer.ts';

const RUNS_PER_VERSION = 25;

function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

function has(range: SchemaRange | undefined, v: number): boolean {
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

function structArb(
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

interface Codec {
  encode(w: Writer, v: number, m: unknown): void;
  decode(r: Reader, v: number): unknown;
}

async function codecOf(message: SchemaMessage): Promise<Codec> {
  const mod = (await import(`./generated/${kebab(message.name)}.ts`)) as Record<string, unknown>;
  const encode = mod[`encode${message.name}`];
  const decode = mod[`decode${message.name}`];
  if (typeof encode !== 'function' || typeof decode !== 'function')
    throw new Error(`no codec for ${message.name}`);
  return { encode: encode as Codec['encode'], decode: decode as Codec['decode'] };
}

for (const message of schema) {
  const valid = message.valid;
  if (valid === null) continue;
  test(`${message.name} round-trips every version ${valid[0]}-${valid[1]}`, async () => {
    const codec = await codecOf(message);
    for (let v = valid[0]; v <= valid[1]; v++) {
      const flexible = has(message.flexible, v);
      fc.assert(
        fc.property(structArb(message.fields, v, flexible), (m) => {
          const w = new Writer(16);
          codec.encode(w, v, m);
          const bytes = w.toBuffer();
          const r = new Reader(bytes);
          const decoded = codec.decode(r, v);
          assert.equal(r.remaining, 0, `v${v}: decoder left ${r.remaining} bytes`);
          assert.deepStrictEqual(decoded, m, `v${v}: decoded value differs`);
          const again = new Writer(16);
          codec.encode(again, v, decoded);
          assert.deepStrictEqual(again.toBuffer(), bytes, `v${v}: re-encoding differs`);
        }),
        { numRuns: RUNS_PER_VERSION },
      );
    }
  });
}
