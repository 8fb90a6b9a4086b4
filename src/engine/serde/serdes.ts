// Short names for the serdes, as jobs write them: topicSource('bids', { serde: json() }).
import { avroSerde } from './avro-serde.ts';
import { bytesSerde } from './bytes-serde.ts';
import { jsonSerde } from './json-serde.ts';
import type { Serde } from './serde.ts';
import { stringSerde } from './string-serde.ts';

export const serdes = {
  json: <T>(): Serde<T> => jsonSerde<T>(),
  string: (): Serde<string> => stringSerde(),
  bytes: (): Serde<Uint8Array> => bytesSerde(),
  avro: <T>(schema: unknown): Serde<T> => avroSerde<T>(schema),
} as const;

export const json = serdes.json;
export const string = serdes.string;
export const bytes = serdes.bytes;
export const avro = serdes.avro;
