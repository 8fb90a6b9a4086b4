// Reads Kafka's message descriptors (../shared/kafka-protocol/messages/*.json) into a typed
// model of their structure. Only structure is kept: names, types, version ranges, nullability,
// tags, defaults and map keys. The descriptors' prose (`about`) is dropped on purpose.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** An inclusive version range; `max` is Infinity for open ranges ("3+"). Empty when min > max. */
export interface VersionRange {
  min: number;
  max: number;
}

export interface FieldSpec {
  name: string;
  /** The descriptor's type string, e.g. "int32", "[]string", "[]TopicData", "LeaderIdAndEpoch". */
  type: string;
  versions: VersionRange;
  nullableVersions: VersionRange;
  taggedVersions: VersionRange;
  tag: number | null;
  /** The field's own flexibleVersions override (only RequestHeader.ClientId has one). */
  flexibleVersions: VersionRange | null;
  ignorable: boolean;
  default: string | null;
  mapKey: boolean;
  /** Inline struct definition when the type names a struct defined here. */
  fields: FieldSpec[] | null;
}

export interface StructSpec {
  name: string;
  versions: VersionRange;
  fields: FieldSpec[];
}

export interface MessageSpec {
  name: string;
  /** "request", "response", "header" or "data". */
  kind: string;
  apiKey: number | null;
  validVersions: VersionRange;
  flexibleVersions: VersionRange;
  deprecatedVersions: VersionRange;
  latestVersionUnstable: boolean;
  listeners: string[];
  fields: FieldSpec[];
  commonStructs: StructSpec[];
  /** The descriptor file this came from, for error messages and generated headers. */
  file: string;
}

export const EMPTY_RANGE: VersionRange = { min: 1, max: 0 };

export function parseRange(text: string | undefined, what: string): VersionRange {
  if (text === undefined || text === 'none') return EMPTY_RANGE;
  const plus = /^(\d+)\+$/.exec(text);
  if (plus) return { min: Number(plus[1]), max: Number.POSITIVE_INFINITY };
  const span = /^(\d+)-(\d+)$/.exec(text);
  if (span) return { min: Number(span[1]), max: Number(span[2]) };
  const one = /^(\d+)$/.exec(text);
  if (one) return { min: Number(one[1]), max: Number(one[1]) };
  throw new Error(`Cannot parse version range '${text}' of ${what}`);
}

export function inRange(range: VersionRange, version: number): boolean {
  return version >= range.min && version <= range.max;
}

export function isEmptyRange(range: VersionRange): boolean {
  return range.min > range.max;
}

type Json = Record<string, unknown>;

function str(obj: Json, key: string, what: string): string {
  const value = obj[key];
  if (typeof value !== 'string')
    throw new Error(`Descriptor ${what}: '${key}' must be a string, got ${String(value)}`);
  return value;
}

function optStr(obj: Json, key: string): string | undefined {
  const value = obj[key];
  return typeof value === 'string' ? value : undefined;
}

function parseField(raw: Json, where: string): FieldSpec {
  const name = str(raw, 'name', where);
  const what = `${where}.${name}`;
  const fieldsRaw = raw.fields;
  const tag = raw.tag;
  const defaultValue = raw.default;
  return {
    name,
    type: str(raw, 'type', what),
    versions: parseRange(str(raw, 'versions', what), what),
    nullableVersions: parseRange(optStr(raw, 'nullableVersions'), what),
    taggedVersions: parseRange(optStr(raw, 'taggedVersions'), what),
    tag: typeof tag === 'number' ? tag : null,
    flexibleVersions:
      raw.flexibleVersions === undefined ? null : parseRange(optStr(raw, 'flexibleVersions'), what),
    ignorable: raw.ignorable === true,
    default:
      typeof defaultValue === 'string' ||
      typeof defaultValue === 'number' ||
      typeof defaultValue === 'boolean'
        ? String(defaultValue)
        : null,
    mapKey: raw.mapKey === true,
    fields: Array.isArray(fieldsRaw) ? fieldsRaw.map((f) => parseField(f as Json, what)) : null,
  };
}

/** Strips the descriptors' full-line `//` comments (their licence headers and notes). */
export function stripComments(text: string): string {
  return text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('//'))
    .join('\n');
}

export function parseDescriptor(text: string, file: string): MessageSpec {
  const raw = JSON.parse(stripComments(text)) as Json;
  const name = str(raw, 'name', file);
  const fields = (raw.fields as Json[] | undefined) ?? [];
  const common = (raw.commonStructs as Json[] | undefined) ?? [];
  const apiKey = raw.apiKey;
  return {
    name,
    kind: str(raw, 'type', file),
    apiKey: typeof apiKey === 'number' ? apiKey : null,
    validVersions: parseRange(str(raw, 'validVersions', file), `${file} validVersions`),
    flexibleVersions: parseRange(optStr(raw, 'flexibleVersions'), `${file} flexibleVersions`),
    deprecatedVersions: parseRange(optStr(raw, 'deprecatedVersions'), `${file} deprecatedVersions`),
    latestVersionUnstable: raw.latestVersionUnstable === true,
    listeners: Array.isArray(raw.listeners) ? (raw.listeners as string[]) : [],
    fields: fields.map((f) => parseField(f, name)),
    commonStructs: common.map((s) => ({
      name: str(s, 'name', file),
      versions: parseRange(str(s, 'versions', file), `${file} ${String(s.name)}`),
      fields: ((s.fields as Json[] | undefined) ?? []).map((f) => parseField(f, `${name}.${String(s.name)}`)),
    })),
    file,
  };
}

export function readDescriptors(dir: string): MessageSpec[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => parseDescriptor(readFileSync(join(dir, f), 'utf8'), f));
}
