// The unit of data inside the engine: a decoded record plus where it came from. Operators read
// every field; derived records keep the origin fields of the record they came from.

export interface RecordHeader {
  readonly key: string;
  readonly value: Uint8Array | null;
}

export interface EngineRecord<K = unknown, V = unknown> {
  readonly key: K;
  readonly value: V;
  /** Event time, epoch milliseconds. */
  readonly timestamp: number;
  readonly headers: readonly RecordHeader[];
  /** The topic (or source name) the record was read from; derived records keep it. */
  readonly topic: string;
  readonly partition: number;
  /** Offset within the source partition; -1 for records made by an operator. */
  readonly offset: number;
}

/** A record with a new value and the same key, time and origin (one allocation, fixed shape). */
export function withValue<K, V>(record: EngineRecord<K, unknown>, value: V): EngineRecord<K, V> {
  return {
    key: record.key,
    value,
    timestamp: record.timestamp,
    headers: record.headers,
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
  };
}

/** A record with a new key and the same value, time and origin. */
export function withKey<K, V>(record: EngineRecord<unknown, V>, key: K): EngineRecord<K, V> {
  return {
    key,
    value: record.value,
    timestamp: record.timestamp,
    headers: record.headers,
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
  };
}

/** A record an operator made (a window result, a join), with no single origin offset. */
export function derivedRecord<K, V>(
  key: K,
  value: V,
  timestamp: number,
  origin: EngineRecord<unknown, unknown> | null,
): EngineRecord<K, V> {
  return {
    key,
    value,
    timestamp,
    headers: origin === null ? noHeaders : origin.headers,
    topic: origin === null ? '' : origin.topic,
    partition: origin === null ? -1 : origin.partition,
    offset: -1,
  };
}

export const noHeaders: readonly RecordHeader[] = Object.freeze([]);
