import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EngineError } from '../engine-error.ts';
import { avroSerde } from './avro-serde.ts';
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

const bidSchema = {
  type: 'record',
  name: 'Bid',
  fields: [
    { name: 'auction', type: 'long' },
    { name: 'bidder', type: 'string' },
    { name: 'price', type: 'double' },
  ],
};

test('avroSerde() round-trips a record through Avro binary, smaller than its JSON', () => {
  const serde = avroSerde<{ auction: number; bidder: string; price: number }>(bidSchema);
  const bid = { auction: 1001, bidder: 'ann', price: 12.5 };
  const bytes = serde.serialize(bid, 'bids');
  assert.ok(bytes.length < JSON.stringify(bid).length, `${bytes.length} bytes`);
  assert.deepEqual({ ...serde.deserialize(bytes, 'bids') }, bid);
  assert.equal(serde.name, 'avro:Bid');
});

test('avroSerde() names the topic and the field when a value does not match the schema', () => {
  const serde = avroSerde<unknown>(bidSchema);
  assert.throws(
    () => serde.serialize({ auction: 1, bidder: 7, price: 1 }, 'bids'),
    (error: unknown) => error instanceof EngineError && /topic 'bids'.*avro:Bid.*bidder/.test(error.message),
  );
  assert.throws(
    () => serde.deserialize(new Uint8Array([0x02]), 'bids'),
    (error: unknown) =>
      error instanceof EngineError && error.code === 'serde_failed' && /topic 'bids'/.test(error.message),
  );
});

test('avroSerde() refuses an invalid schema when the job is built', () => {
  assert.throws(
    () => avroSerde({ type: 'record', name: 'X', fields: [{ name: 'a', type: 'no-such-type' }] }),
    (error: unknown) => error instanceof EngineError && error.code === 'invalid_job',
  );
});
