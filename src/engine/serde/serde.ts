// How the engine turns log bytes into values and back. A serde is pluggable: Avro or Protobuf
// serdes implement this same interface (and may use the topic to find a schema).

export interface Serde<T> {
  readonly name: string;
  serialize(value: T, topic: string): Uint8Array;
  deserialize(bytes: Uint8Array, topic: string): T;
}
