import type { Serde } from './serde.ts';

/** Bytes as they are; deserialize returns a view, not a copy. */
export function bytesSerde(): Serde<Uint8Array> {
  return { name: 'bytes', serialize: (value) => value, deserialize: (bytes) => bytes };
}
