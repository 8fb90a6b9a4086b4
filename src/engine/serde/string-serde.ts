import { EngineError } from '../engine-error.ts';
import type { Serde } from './serde.ts';

const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/** UTF-8 text; invalid UTF-8 is an error rather than replacement characters. */
export function stringSerde(): Serde<string> {
  return {
    name: 'string',
    serialize: (value) => encoder.encode(value),
    deserialize(bytes, topic) {
      try {
        return decoder.decode(bytes);
      } catch {
        throw new EngineError(
          'serde_failed',
          `Cannot deserialize a record of topic '${topic}' as UTF-8: ${bytes.length} bytes`,
        );
      }
    },
  };
}
