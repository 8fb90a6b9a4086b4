// Turns one message descriptor into TypeScript: an interface per struct, a default factory, an
// encoder and a decoder per struct, with every version difference resolved by comparisons on
// the version number. The output reads like hand-written code so that a stack trace into it is
// easy to follow.
import {
  EMPTY_RANGE,
  type FieldSpec,
  inRange,
  isEmptyRange,
  type MessageSpec,
  type VersionRange,
} from './descriptor.ts';

const PRIMITIVES = new Set([
  'bool',
  'int8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'float64',
  'string',
  'uuid',
  'bytes',
  'records',
]);

interface Struct {
  typeName: string;
  fields: FieldSpec[];
}

interface Context {
  msg: MessageSpec;
  valid: VersionRange;
  structs: Map<string, Struct>;
}

export function camel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

export function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** Element type of an array field ("[]int32" → "int32"), or null when not an array. */
function elementType(type: string): string | null {
  return type.startsWith('[]') ? type.slice(2) : null;
}

function intersect(a: VersionRange, b: VersionRange): VersionRange {
  return { min: Math.max(a.min, b.min), max: Math.min(a.max, b.max) };
}

/** A boolean expression over `v` that is true exactly for the versions in `range` (within valid). */
function cond(range: VersionRange, ctx: Context): string {
  const r = intersect(range, ctx.valid);
  if (isEmptyRange(r)) return 'false';
  const lowOk = r.min <= ctx.valid.min;
  const highOk = r.max >= ctx.valid.max;
  if (lowOk && highOk) return 'true';
  if (r.min === r.max) return `v === ${r.min}`;
  if (lowOk) return `v <= ${r.max}`;
  if (highOk) return `v >= ${r.min}`;
  return `v >= ${r.min} && v <= ${r.max}`;
}

function isStructType(type: string, ctx: Context): boolean {
  const base = elementType(type) ?? type;
  return !PRIMITIVES.has(base) && ctx.structs.has(base);
}

function structOf(type: string, ctx: Context): Struct {
  const base = elementType(type) ?? type;
  const s = ctx.structs.get(base);
  if (s === undefined) throw new Error(`${ctx.msg.file}: unknown struct type '${base}'`);
  return s;
}

/** Collects every struct of the message (inline and common) under a unique TypeScript name. */
function collectStructs(msg: MessageSpec): Map<string, Struct> {
  const structs = new Map<string, Struct>();
  const prefix = msg.name;
  for (const common of msg.commonStructs) {
    structs.set(common.name, { typeName: prefix + common.name, fields: common.fields });
  }
  const stack: FieldSpec[][] = [msg.fields];
  for (const common of msg.commonStructs) stack.push(common.fields);
  while (stack.length > 0) {
    const fields = stack.pop()!;
    for (const f of fields) {
      if (f.fields === null) continue;
      const base = elementType(f.type) ?? f.type;
      structs.set(base, { typeName: prefix + base, fields: f.fields });
      stack.push(f.fields);
    }
  }
  return structs;
}

function nullableAnywhere(f: FieldSpec, ctx: Context): boolean {
  return !isEmptyRange(intersect(intersect(f.nullableVersions, f.versions), ctx.valid));
}

function tsType(f: FieldSpec, ctx: Context): string {
  const el = elementType(f.type);
  const nullable = nullableAnywhere(f, ctx) || f.default === 'null';
  const base = el ?? f.type;
  let t: string;
  if (isStructType(base, ctx)) t = structOf(base, ctx).typeName;
  else t = primitiveTs(base);
  if (el !== null) t = `${t}[]`;
  if (f.type === 'records') t = 'RecordsData';
  return nullable ? `${t} | null` : t;
}

function primitiveTs(type: string): string {
  switch (type) {
    case 'bool':
      return 'boolean';
    case 'int64':
      return 'bigint';
    case 'string':
    case 'uuid':
      return 'string';
    case 'bytes':
      return 'Buffer';
    case 'records':
      return 'RecordsData';
    default:
      return 'number';
  }
}

function parseIntDefault(text: string, f: FieldSpec, ctx: Context): string {
  const n = text.startsWith('0x') || text.startsWith('-0x') ? Number.parseInt(text, 16) : Number(text);
  if (!Number.isFinite(n)) throw new Error(`${ctx.msg.file}: bad default '${text}' for ${f.name}`);
  return String(n);
}

/** The default value expression of a field, used for absent versions and for decoding. */
function defaultExpr(f: FieldSpec, ctx: Context): string {
  const d = f.default;
  if (d === 'null') return 'null';
  const el = elementType(f.type);
  if (el !== null) return '[]';
  if (isStructType(f.type, ctx)) return `default${structOf(f.type, ctx).typeName}()`;
  switch (f.type) {
    case 'bool':
      return d === 'true' ? 'true' : 'false';
    case 'int64':
      return d === null || d === '' ? '0n' : `${BigInt(parseIntDefault(d, f, ctx))}n`;
    case 'int8':
    case 'int16':
    case 'uint16':
    case 'int32':
    case 'uint32':
    case 'float64':
      return d === null || d === '' ? '0' : parseIntDefault(d, f, ctx);
    case 'string':
      return JSON.stringify(d ?? '');
    case 'uuid':
      return 'ZERO_UUID';
    case 'bytes':
      return 'EMPTY_BYTES';
    case 'records':
      return nullableAnywhere(f, ctx) ? 'null' : 'EMPTY_BYTES';
    default:
      throw new Error(`${ctx.msg.file}: no default for type '${f.type}' of ${f.name}`);
  }
}

/** An expression that is true when `x` equals the field's default. */
function isDefaultExpr(f: FieldSpec, x: string, ctx: Context): string {
  const d = defaultExpr(f, ctx);
  if (d === 'null') return `${x} === null`;
  if (elementType(f.type) !== null) return `${x} !== null && ${x}.length === 0`;
  if (isStructType(f.type, ctx)) return `isDefault${structOf(f.type, ctx).typeName}(${x})`;
  if (f.type === 'bytes') return `${x} !== null && ${x}.length === 0`;
  if (f.type === 'records') return `${x} === null || recordsLength(${x}) === 0`;
  return `${x} === ${d}`;
}

function fieldFlex(f: FieldSpec): string {
  // A field-level flexibleVersions override (RequestHeader.ClientId: "none") pins the encoding.
  if (f.flexibleVersions !== null) return isEmptyRange(f.flexibleVersions) ? 'false' : 'flex';
  return 'flex';
}

/** When the field is nullable, judged only within the versions where it is present. */
function nullCond(f: FieldSpec, ctx: Context): string {
  const present = f.tag === null ? f.versions : intersect(f.versions, f.taggedVersions);
  const within: Context = { ...ctx, valid: intersect(ctx.valid, present) };
  return cond(intersect(f.nullableVersions, f.versions), within);
}

function readScalar(type: string, flex: string, nullable: string, what: string): string {
  switch (type) {
    case 'bool':
    case 'int8':
    case 'int16':
    case 'uint16':
    case 'int32':
    case 'uint32':
    case 'int64':
    case 'float64':
    case 'uuid':
      return `r.${type}()`;
    case 'string':
      return pick(
        flex,
        nullable,
        'r.compactNullableString()',
        'r.compactString()',
        'r.nullableString()',
        'r.string()',
      );
    case 'bytes':
    case 'records':
      return pick(
        flex,
        nullable,
        'r.compactNullableBytes()',
        'r.compactBytes()',
        'r.nullableBytes()',
        'r.bytes()',
      );
    default:
      throw new Error(`no reader for ${type} (${what})`);
  }
}

function pick(flex: string, nullable: string, cn: string, c: string, n: string, plain: string): string {
  const compact = nullable === 'false' ? c : nullable === 'true' ? cn : `(${nullable} ? ${cn} : ${c})`;
  const classic = nullable === 'false' ? plain : nullable === 'true' ? n : `(${nullable} ? ${n} : ${plain})`;
  if (flex === 'false') return classic;
  return `(${flex} ? ${compact} : ${classic})`;
}

function writeScalar(type: string, flex: string, nullable: string, x: string): string {
  switch (type) {
    case 'bool':
    case 'int8':
    case 'int16':
    case 'uint16':
    case 'int32':
    case 'uint32':
    case 'int64':
    case 'float64':
    case 'uuid':
      return `w.${type}(${x});`;
    case 'string':
      return stmtPick(
        flex,
        nullable,
        x,
        'compactNullableString',
        'compactString',
        'nullableString',
        'string',
      );
    case 'bytes':
      return stmtPick(flex, nullable, x, 'compactNullableBytes', 'compactBytes', 'nullableBytes', 'bytes');
    case 'records':
      return `writeRecords(w, ${x}, ${flex});`;
    default:
      throw new Error(`no writer for ${type}`);
  }
}

function stmtPick(
  flex: string,
  nullable: string,
  x: string,
  cn: string,
  c: string,
  n: string,
  p: string,
): string {
  // Non-nullable writers take the value typed as non-null: the caller has already rejected null.
  const nn = `${x}!`;
  const compact = nullable === 'true' ? `w.${cn}(${x})` : `w.${c}(${nn})`;
  const classic = nullable === 'true' ? `w.${n}(${x})` : `w.${p}(${nn})`;
  if (nullable !== 'true' && nullable !== 'false') {
    const cc = `(${nullable} ? w.${cn}(${x}) : w.${c}(${nn}))`;
    const cl = `(${nullable} ? w.${n}(${x}) : w.${p}(${nn}))`;
    return flex === 'false' ? `${cl};` : `${flex} ? ${cc} : ${cl};`;
  }
  return flex === 'false' ? `${classic};` : `${flex} ? ${compact} : ${classic};`;
}

function readExpr(f: FieldSpec, ctx: Context, lines: string[], local: string): void {
  const flex = fieldFlex(f);
  const nullable = nullCond(f, ctx);
  const el = elementType(f.type);
  if (el !== null) {
    const elemRead = isStructType(el, ctx)
      ? `read${structOf(el, ctx).typeName}(r, v, flex)`
      : readScalar(el, flex, 'false', f.name);
    const arrayType = tsType({ ...f, nullableVersions: EMPTY_RANGE, default: null }, ctx);
    lines.push(`const ${local}N = r.arrayLength(${flex}, ${nullable}, '${f.name}');`);
    if (nullable === 'false') {
      lines.push(`const ${local}A: ${arrayType} = [];`);
      lines.push(`for (let i = 0; i < ${local}N; i++) ${local}A.push(${elemRead});`);
      lines.push(`${local} = ${local}A;`);
      return;
    }
    lines.push(`if (${local}N >= 0) {`);
    lines.push(`  const a: ${arrayType} = [];`);
    lines.push(`  for (let i = 0; i < ${local}N; i++) a.push(${elemRead});`);
    lines.push(`  ${local} = a;`);
    lines.push(`} else ${local} = null;`);
    return;
  }
  if (isStructType(f.type, ctx)) {
    const call = `read${structOf(f.type, ctx).typeName}(r, v, flex)`;
    if (nullable === 'false') lines.push(`${local} = ${call};`);
    else
      lines.push(
        `${local} = ${nullable === 'true' ? '' : `!(${nullable}) || `}r.int8() >= 0 ? ${call} : null;`,
      );
    return;
  }
  lines.push(`${local} = ${readScalar(f.type, flex, nullable, f.name)};`);
}

function writeStmt(f: FieldSpec, ctx: Context, lines: string[], x: string, typeName: string): void {
  const flex = fieldFlex(f);
  const nullable = nullCond(f, ctx);
  if (nullable !== 'true' && (nullableAnywhere(f, ctx) || f.default === 'null')) {
    lines.push(
      `if (${nullable === 'false' ? '' : `!(${nullable}) && `}${x} === null) throw nullField('${typeName}', '${f.name}', v);`,
    );
  }
  const el = elementType(f.type);
  if (el !== null) {
    const elemWrite = isStructType(el, ctx)
      ? `write${structOf(el, ctx).typeName}(w, v, flex, e);`
      : writeScalar(el, flex, 'false', 'e');
    if (!nullableAnywhere(f, ctx) && f.default !== 'null') {
      lines.push(`w.arrayLength(${x}.length, ${flex});`);
      lines.push(`for (const e of ${x}) ${elemWrite}`);
      return;
    }
    lines.push(`if (${x} === null) w.arrayLength(-1, ${flex});`);
    lines.push('else {');
    lines.push(`  w.arrayLength(${x}.length, ${flex});`);
    lines.push(`  for (const e of ${x}) ${elemWrite}`);
    lines.push('}');
    return;
  }
  if (isStructType(f.type, ctx)) {
    const call = `write${structOf(f.type, ctx).typeName}(w, v, flex, ${x}!);`;
    if (nullable === 'false') lines.push(call);
    else if (nullable === 'true') lines.push(`if (${x} === null) w.int8(-1);`, `else { w.int8(1); ${call} }`);
    else
      lines.push(
        `if (!(${nullable})) ${call}`,
        `else if (${x} === null) w.int8(-1);`,
        `else { w.int8(1); ${call} }`,
      );
    return;
  }
  lines.push(writeScalar(f.type, flex, nullable, x));
}

function emitStruct(s: Struct, ctx: Context, out: string[]): void {
  const T = s.typeName;
  const plain = s.fields.filter((f) => f.tag === null);
  const tagged = s.fields.filter((f) => f.tag !== null).sort((a, b) => a.tag! - b.tag!);

  out.push(`export interface ${T} {`);
  for (const f of s.fields) out.push(`  ${camel(f.name)}: ${tsType(f, ctx)};`);
  out.push('  unknownTaggedFields?: UnknownTaggedField[];');
  out.push('}', '');

  out.push(`export function default${T}(): ${T} {`);
  out.push('  return {');
  for (const f of s.fields) out.push(`    ${camel(f.name)}: ${defaultExpr(f, ctx)},`);
  out.push('  };', '}', '');

  out.push(`export function isDefault${T}(${s.fields.length === 0 ? '_m' : 'm'}: ${T}): boolean {`);
  const checks = s.fields.map((f) => `(${isDefaultExpr(f, `m.${camel(f.name)}`, ctx)})`);
  out.push(`  return ${checks.length === 0 ? 'true' : checks.join(' &&\n    ')};`);
  out.push('}', '');

  emitRead(s, plain, tagged, ctx, out);
  emitWrite(s, plain, tagged, ctx, out);
}

function emitRead(s: Struct, plain: FieldSpec[], tagged: FieldSpec[], ctx: Context, out: string[]): void {
  const T = s.typeName;
  const start = out.length;
  out.push(`function read${T}(r: Reader, v: number, flex: boolean): ${T} {`);
  for (const f of s.fields) {
    out.push(`  let ${camel(f.name)}: ${tsType(f, ctx)} = ${defaultExpr(f, ctx)};`);
  }
  for (const f of plain) {
    const c = cond(f.versions, ctx);
    if (c === 'false') continue;
    const lines: string[] = [];
    readExpr(f, ctx, lines, camel(f.name));
    if (c === 'true') out.push(...lines.map((l) => `  ${l}`));
    else out.push(`  if (${c}) {`, ...lines.map((l) => `    ${l}`), '  }');
  }
  out.push('  let unknown: UnknownTaggedField[] | undefined;');
  out.push('  if (flex) {');
  out.push('    const count = readTagCount(r);');
  out.push('    for (let i = 0; i < count; i++) {');
  out.push('      const tag = r.uvarint();');
  out.push('      const size = r.uvarint();');
  out.push("      r.need(size, 'tagged field');");
  out.push('      const end = r.offset + size;');
  let first = true;
  for (const f of tagged) {
    const c = cond(intersect(f.taggedVersions, f.versions), ctx);
    if (c === 'false') continue;
    out.push(`      ${first ? '' : 'else '}if (tag === ${f.tag}${c === 'true' ? '' : ` && ${c}`}) {`);
    out.push('        const outer = r;');
    out.push('        {');
    out.push('          const r = new Reader(outer.buf, outer.offset, end);');
    const lines: string[] = [];
    readExpr(f, ctx, lines, camel(f.name));
    out.push(...lines.map((l) => `          ${l}`));
    out.push('          if (r.offset !== end) throw taggedSizeMismatch(tag, size, r.offset - outer.offset);');
    out.push('        }');
    out.push('      }');
    first = false;
  }
  out.push(
    `      ${first ? '' : 'else '}(unknown ??= []).push({ tag, data: r.buf.subarray(r.offset, end) });`,
  );
  out.push('      r.offset = end;');
  out.push('    }');
  out.push('  }');
  out.push(`  const m: ${T} = { ${s.fields.map((f) => camel(f.name)).join(', ')} };`);
  out.push('  if (unknown !== undefined) m.unknownTaggedFields = unknown;');
  out.push('  return m;');
  out.push('}', '');
  markUnusedVersion(out, start);
}

/** Renames the version parameter to `_v` in a function that never reads it (strict unused checks). */
function markUnusedVersion(out: string[], start: number): void {
  const body = out.slice(start + 1).join('\n');
  if (!/\bv\b/.test(body)) out[start] = out[start]!.replace('v: number', '_v: number');
  if (!/\bm\b/.test(body)) out[start] = out[start]!.replace('m: ', '_m: ');
}

function emitWrite(s: Struct, plain: FieldSpec[], tagged: FieldSpec[], ctx: Context, out: string[]): void {
  const T = s.typeName;
  const start = out.length;
  out.push(`function write${T}(w: Writer, v: number, flex: boolean, m: ${T}): void {`);
  for (const f of plain) {
    const c = cond(f.versions, ctx);
    const x = `m.${camel(f.name)}`;
    const lines: string[] = [];
    writeStmt(f, ctx, lines, x, T);
    const unsupported = f.ignorable
      ? null
      : `if (!(${isDefaultExpr(f, x, ctx)})) throw unsupportedField('${T}', '${f.name}', v);`;
    if (c === 'true') out.push(...lines.map((l) => `  ${l}`));
    else if (c === 'false') {
      if (unsupported !== null) out.push(`  ${unsupported}`);
    } else {
      out.push(`  if (${c}) {`, ...lines.map((l) => `    ${l}`));
      out.push(unsupported === null ? '  }' : `  } else ${unsupported}`);
    }
  }
  out.push('  if (flex) {');
  out.push('    let entries: UnknownTaggedField[] | undefined =');
  out.push('      m.unknownTaggedFields === undefined ? undefined : [...m.unknownTaggedFields];');
  for (const f of tagged) {
    const c = cond(intersect(f.taggedVersions, f.versions), ctx);
    const x = `m.${camel(f.name)}`;
    if (c === 'false') continue;
    out.push(`    if (${c === 'true' ? '' : `${c} && `}!(${isDefaultExpr(f, x, ctx)})) {`);
    out.push('      {');
    out.push('        const w = new Writer(64);');
    const lines: string[] = [];
    writeStmt(f, ctx, lines, x, T);
    out.push(...lines.map((l) => `        ${l}`));
    out.push(`        (entries ??= []).push({ tag: ${f.tag}, data: w.toBuffer() });`);
    out.push('      }');
    out.push('    }');
  }
  out.push('    if (entries === undefined) w.uvarint(0);');
  out.push('    else writeTaggedFields(w, entries);');
  out.push('  }');
  out.push('}', '');
  markUnusedVersion(out, start);
}

/** The whole generated file for one descriptor. */
export function emitMessage(msg: MessageSpec): string {
  const ctx: Context = { msg, valid: msg.validVersions, structs: collectStructs(msg) };
  const out: string[] = [];
  out.push(`// Generated by \`npm run gen:protocol\` from ${msg.file}. Do not edit.`);
  const top: Struct = { typeName: msg.name, fields: msg.fields };
  const structs = [top, ...ctx.structs.values()];
  for (const s of structs) emitStruct(s, ctx, out);
  const flexMin = isEmptyRange(msg.flexibleVersions)
    ? 'Number.POSITIVE_INFINITY'
    : String(msg.flexibleVersions.min);
  out.push(
    `export const ${msg.name}Versions = { min: ${msg.validVersions.min}, max: ${msg.validVersions.max}, flexibleMin: ${flexMin} } as const;`,
    '',
  );
  out.push(`export function encode${msg.name}(w: Writer, v: number, m: ${msg.name}): void {`);
  out.push(`  checkVersion('${msg.name}', v, ${msg.validVersions.min}, ${msg.validVersions.max});`);
  out.push(`  write${msg.name}(w, v, v >= ${msg.name}Versions.flexibleMin, m);`);
  out.push('}', '');
  out.push(`export function decode${msg.name}(r: Reader, v: number): ${msg.name} {`);
  out.push(`  checkVersion('${msg.name}', v, ${msg.validVersions.min}, ${msg.validVersions.max});`);
  out.push(`  return read${msg.name}(r, v, v >= ${msg.name}Versions.flexibleMin);`);
  out.push('}', '');
  const body = out.slice(1).join('\n');
  return `${out[0]}\n${importsFor(body)}\n${body}\n`;
}

export function isInVersion(range: VersionRange, v: number): boolean {
  return inRange(range, v);
}

const SUPPORT_VALUES = [
  'checkVersion',
  'EMPTY_BYTES',
  'nullField',
  'readTagCount',
  'recordsLength',
  'taggedSizeMismatch',
  'unsupportedField',
  'writeRecords',
  'writeTaggedFields',
  'ZERO_UUID',
];
const SUPPORT_TYPES = ['RecordsData', 'UnknownTaggedField'];

/** The import block, naming only the helpers the body uses so the type checker sees no unused import. */
function importsFor(body: string): string {
  const used = (name: string): boolean => new RegExp(`\\b${name}\\b`).test(body);
  const names = [...SUPPORT_VALUES.filter(used), ...SUPPORT_TYPES.filter(used).map((t) => `type ${t}`)].sort(
    (a, b) => a.replace('type ', '').localeCompare(b.replace('type ', '')),
  );
  const lines = ["import { Reader } from '../reader.ts';"];
  lines.push(
    used('new Writer')
      ? "import { Writer } from '../writer.ts';"
      : "import type { Writer } from '../writer.ts';",
  );
  lines.push(`import { ${names.join(', ')} } from '../codec-support.ts';`);
  return `${lines.join('\n')}\n`;
}
