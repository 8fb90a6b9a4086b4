import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EngineError } from '../engine-error.ts';
import { bytesSerde } from './bytes-serde.ts';
import { jsonSerde } from './json-serde.ts';
import { stringSerde } from './string-serde.ts';

test('jsonSerde() round-trips an object through UTF-8 bytes', () => {
  const serde = jsonSerde<{ a: number; b: string }>();
  const bytes = serde.serialize({ a: 1, b: 'é' }, 't');
  assert.equal(Buffer.from(bytes).toString('utf8'), '{"a":1,"b":"é"}');
  assert.deepEqual(serde.deserialize(bytes, 't'), { a: 1, b: 'é' });
});

test('jsonSerde() names the topic and shows the bytes when the input is not JSON', () => {
  assert.throws(
    () => jsonSerde().deserialize(Buffer.from('{oops'), 'bids'),
    (error: unknown) => error instanceof EngineError && /topic 'bids'.*'\{oops'/.test(error.message),
  );
});

test('stringSerde() rejects invalid UTF-8 instead of replacing characters', () => {
  assert.equal(stringSerde().deserialize(stringSerde().serialize('héllo', 't'), 't'), 'héllo');
  assert.throws(() => stringSerde().deserialize(new Uint8Array([0xff, 0xfe]), 't'), /UTF-8: 2 bytes/);
});

test('bytesSerde() passes bytes through unchanged', () => {
  const bytes = new Uint8Array([1, 2, 3]);
  assert.equal(bytesSerde().deserialize(bytes, 't'), bytes);
  assert.equal(bytesSerde().serialize(bytes, 't'), bytes);
});
