// The records every interop scenario produces, generated deterministically, and the exact
// read-back each client must return. Every field is ASCII without tabs or newlines, so the same
// records pass through CLIs (kcat) as through libraries. Partitions are chosen here, not by the
// client's partitioner, so the offset of every record is known before it is produced.

export const codecs = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
export type Codec = (typeof codecs)[number];

/** The count: 30k keyed records with headers, spread evenly over the five codecs. */
export const recordsTotal = 30_000;
export const recordsPerCodec = recordsTotal / codecs.length;
export const partitionsPerTopic = 6;
/** Distinct keys; a key always maps to the same partition. */
const keysDistinct = 997;
export const baseTimestampMs = 1_750_000_000_000n;

export type Header = readonly [key: string, value: string];

export interface SpecRecord {
  partition: number;
  key: string;
  value: string;
  headers: readonly Header[];
  /** CreateTime in ms; null when the client cannot set it (kcat) and stamps wall-clock time. */
  timestamp: bigint | null;
}

/** What a client can put in a record: kcat sets headers per invocation and never a timestamp. */
export interface RecordAbilities {
  perRecordHeaders: boolean;
  timestamps: boolean;
}

export interface ExpectedRecord extends SpecRecord {
  offset: bigint;
  /** For timestamp null: the wall-clock window (ms) in which the client produced the record. */
  timestampWindowMs?: readonly [bigint, bigint];
}

export interface ReadRecord {
  partition: number;
  offset: bigint;
  key: string | null;
  value: string | null;
  headers: readonly Header[];
  timestamp: bigint;
}

/** A filler of 16–207 printable characters, compressible like real payloads. */
function filler(i: number): string {
  const words = ['order', 'item', 'price', 'state', 'region', 'sku', 'note', 'qty'];
  let x = (i * 2_654_435_761) >>> 0;
  const length = 16 + (x % 192);
  let out = '';
  while (out.length < length) {
    x = (x * 1_103_515_245 + 12_345) >>> 0;
    out += `${words[x % words.length]}=${x % 1000};`;
  }
  return out.slice(0, length);
}

export function keyOf(i: number): string {
  return `key-${(i * 7919) % keysDistinct}`;
}

export function partitionOfKey(key: string): number {
  return Number(key.slice('key-'.length)) % partitionsPerTopic;
}

/** Headers a client that cannot vary them per record sets for one (codec, partition) run. */
export function runHeaders(tag: string, partition: number): Header[] {
  return [
    ['codec', tag],
    ['partition', String(partition)],
  ];
}

/**
 * Records [first, first + count) of a run tagged `tag` (a codec, or a scenario's name). Global
 * indices make every value unique across runs, so a record read back names where it came from.
 */
export function specRecords(
  tag: string,
  first: number,
  count: number,
  abilities: RecordAbilities,
): SpecRecord[] {
  const out: SpecRecord[] = [];
  for (let i = first; i < first + count; i++) {
    const key = keyOf(i);
    const partition = partitionOfKey(key);
    const headers: Header[] = abilities.perRecordHeaders
      ? [
          ['seq', String(i)],
          ['codec', tag],
          ['trace', (i * 40_503).toString(16).padStart(8, '0')],
        ]
      : runHeaders(tag, partition);
    out.push({
      partition,
      key,
      value: `${tag}:${i}:${filler(i)}`,
      headers,
      timestamp: abilities.timestamps ? baseTimestampMs + BigInt(i) : null,
    });
  }
  return out;
}

/** Tracks the next offset of every partition as records are produced, in production order. */
export class OffsetLedger {
  #next = new Map<number, bigint>();
  readonly expected: ExpectedRecord[] = [];

  /** Records produced in this order (per partition) land at the next offsets. */
  append(records: readonly SpecRecord[], windowMs?: readonly [bigint, bigint]): void {
    for (const r of records) {
      const offset = this.#next.get(r.partition) ?? 0n;
      this.#next.set(r.partition, offset + 1n);
      const e: ExpectedRecord = { ...r, offset };
      if (r.timestamp === null && windowMs !== undefined) e.timestampWindowMs = windowMs;
      this.expected.push(e);
    }
  }

  /** Log end offset of every partition 0..partitions-1. */
  endOffsets(partitions: number): bigint[] {
    return Array.from({ length: partitions }, (_, p) => this.#next.get(p) ?? 0n);
  }
}

/** Groups records by partition, keeping their order (clients that produce one partition per run). */
export function byPartition<T extends { partition: number }>(records: readonly T[]): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const r of records) {
    const list = out.get(r.partition) ?? [];
    list.push(r);
    out.set(r.partition, list);
  }
  return out;
}
