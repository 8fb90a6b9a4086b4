// Operator snapshots as bytes: V8's structured serialization (Maps, typed arrays, Infinity
// survive), behind a version byte so the format can change without misreading old snapshots.
import { deserialize, serialize } from 'node:v8';
import { EngineError } from '../engine-error.ts';

const formatVersion = 1;

export function encodeSnapshot(state: unknown): Uint8Array {
  const body = serialize(state);
  const bytes = new Uint8Array(body.length + 1);
  bytes[0] = formatVersion;
  bytes.set(body, 1);
  return bytes;
}

export function decodeSnapshot<T>(bytes: Uint8Array, owner: string): T {
  if (bytes[0] !== formatVersion) {
    throw new EngineError(
      'restore_failed',
      `Cannot restore '${owner}': snapshot format ${bytes[0]} is not ${formatVersion}`,
    );
  }
  return deserialize(bytes.subarray(1)) as T;
}
