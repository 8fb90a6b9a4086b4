import { EngineError } from '../engine-error.ts';
import type { Serde } from './serde.ts';

const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/** JSON text in UTF-8. The type parameter is a promise about the data, checked by nobody. */
export function jsonSerde<T>(): Serde<T> {
  return {
    name: 'json',
    serialize(value: T, topic: string): Uint8Array {
      const text = JSON.stringify(value);
      if (text === undefined) {
        throw new EngineError(
          'serde_failed',
          `Cannot serialize a value for topic '${topic}' as JSON: got ${typeof value}`,
        );
      }
      return encoder.encode(text);
    },
    deserialize(bytes: Uint8Array, topic: string): T {
      let text: string;
      try {
        text = decoder.decode(bytes);
        return JSON.parse(text) as T;
      } catch (error) {
        const preview = Buffer.from(bytes.subarray(0, 60)).toString('utf8');
        throw new EngineError(
          'serde_failed',
          `Cannot deserialize a record of topic '${topic}' as JSON (${(error as Error).message}): '${preview}'`,
        );
      }
    },
  };
}
