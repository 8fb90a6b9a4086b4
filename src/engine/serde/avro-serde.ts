// Avro binary values (no container file, no schema-registry framing) through avsc, behind the
// same Serde interface as JSON. Values are checked against the schema when written, so a record
// that does not match fails naming the topic instead of producing bytes no reader can decode.
import avsc from 'avsc';
import { EngineError } from '../engine-error.ts';
import type { Serde } from './serde.ts';

/** An Avro serde for one schema (a JSON schema object or its parsed form). */
export function avroSerde<T>(schema: unknown): Serde<T> {
  let type: avsc.Type;
  try {
    type = avsc.Type.forSchema(schema as avsc.Schema);
  } catch (error) {
    throw new EngineError(
      'invalid_job',
      `Cannot build an Avro serde: the schema is invalid (${(error as Error).message})`,
    );
  }
  const name = `avro:${type.name ?? type.typeName}`;
  return {
    name,
    serialize(value: T, topic: string): Uint8Array {
      const problems: string[] = [];
      if (!type.isValid(value, { errorHook: (path) => problems.push(path.join('.') || '(root)') })) {
        throw new EngineError(
          'serde_failed',
          `Cannot serialize a value for topic '${topic}' as ${name}: invalid at ${problems.join(', ')}`,
        );
      }
      return type.toBuffer(value);
    },
    deserialize(bytes: Uint8Array, topic: string): T {
      const buffer = Buffer.isBuffer(bytes)
        ? bytes
        : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      try {
        return type.fromBuffer(buffer) as T;
      } catch (error) {
        throw new EngineError(
          'serde_failed',
          `Cannot deserialize a record of topic '${topic}' as ${name} (${(error as Error).message}): ${bytes.length} bytes`,
        );
      }
    },
  };
}
