// Every message of every descriptor, at every version it has, survives encode → decode →
// encode unchanged: random values for the fields the version carries, defaults for the rest.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { schema } from './generated/schema.ts';
import { Reader } from './reader.ts';
import { codecOf, has, structArb } from './testing/message-arbitrary.ts';
import { Writer } from './writer.ts';

const RUNS_PER_VERSION = 25;

for (const message of schema) {
  const valid = message.valid;
  if (valid === null) continue;
  test(`${message.name} round-trips every version ${valid[0]}-${valid[1]}`, async () => {
    const codec = await codecOf(message);
    for (let v = valid[0]; v <= valid[1]; v++) {
      const flexible = has(message.flexible, v);
      fc.assert(
        fc.property(structArb(message.fields, v, flexible), (m) => {
          const w = new Writer(16);
          codec.encode(w, v, m);
          const bytes = w.toBuffer();
          const r = new Reader(bytes);
          const decoded = codec.decode(r, v);
          assert.equal(r.remaining, 0, `v${v}: decoder left ${r.remaining} bytes`);
          assert.deepStrictEqual(decoded, m, `v${v}: decoded value differs`);
          const again = new Writer(16);
          codec.encode(again, v, decoded);
          assert.deepStrictEqual(again.toBuffer(), bytes, `v${v}: re-encoding differs`);
        }),
        { numRuns: RUNS_PER_VERSION },
      );
    }
  });
}
