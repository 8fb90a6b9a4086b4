// Mutated frames must only ever fail with a ProtocolError: no RangeError, TypeError, hang or
// runaway allocation escapes a decoder. Valid encodings of every message and version are
// mutated (bit flips, extreme bytes, truncation, insertion, inflated lengths) with a seeded
// generator, so a failure prints a seed and case that reproduce it.
// SLUICE_FUZZ_CASES raises the case count for long runs (default 100,000).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isProtocolError } from './errors.ts';
import { decodeRequest, encodeRequest } from './frame.ts';
import { apiByKey } from './generated/apis.ts';
import { schema } from './generated/schema.ts';
import { Reader } from './reader.ts';
import { type Codec, codecOf, has, structArb } from './testing/message-arbitrary.ts';
import { Writer } from './writer.ts';

const CASES = Number(process.env.SLUICE_FUZZ_CASES ?? 100_000);
const SEED = Number(process.env.SLUICE_FUZZ_SEED ?? 20261126);
const BASES_PER_VERSION = 2;

/** xorshift32: small, seeded, reproducible. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

const EXTREMES = [0x00, 0xff, 0x7f, 0x80, 0x01, 0xfe];
const INFLATED = [0x7fffffff, -1, -2, 0x10000, 0x7ffffffe];

function mutate(base: Buffer, next: () => number): Buffer {
  const b = Buffer.from(base);
  const at = () => Math.floor(next() * Math.max(1, b.length));
  switch (Math.floor(next() * 6)) {
    case 0: {
      const flips = 1 + Math.floor(next() * 4);
      for (let i = 0; i < flips && b.length > 0; i++) {
        const p = at();
        b[p] = b[p]! ^ (1 << Math.floor(next() * 8));
      }
      return b;
    }
    case 1:
      if (b.length > 0) b[at()] = EXTREMES[Math.floor(next() * EXTREMES.length)]!;
      return b;
    case 2:
      return b.subarray(0, at());
    case 3: {
      const p = at();
      const extra = Buffer.alloc(1 + Math.floor(next() * 8), Math.floor(next() * 256));
      return Buffer.concat([b.subarray(0, p), extra, b.subarray(p)]);
    }
    case 4: {
      if (b.length < 4) return b;
      const p = Math.floor(next() * (b.length - 3));
      b.writeInt32BE(INFLATED[Math.floor(next() * INFLATED.length)]!, p);
      return b;
    }
    default: {
      if (b.length === 0) return b;
      const p = at();
      for (let i = p; i < Math.min(b.length, p + 5); i++) b[i] = 0xff;
      return b;
    }
  }
}

interface Base {
  name: string;
  version: number;
  codec: Codec;
  bytes: Buffer;
}

async function buildBases(): Promise<Base[]> {
  const bases: Base[] = [];
  let seed = SEED;
  for (const message of schema) {
    const valid = message.valid;
    if (valid === null) continue;
    const codec = await codecOf(message);
    for (let v = valid[0]; v <= valid[1]; v++) {
      const samples = fc.sample(structArb(message.fields, v, has(message.flexible, v)), {
        numRuns: BASES_PER_VERSION,
        seed: seed++,
      });
      for (const m of samples) {
        const w = new Writer();
        codec.encode(w, v, m);
        bases.push({ name: message.name, version: v, codec, bytes: w.toBuffer() });
      }
    }
  }
  return bases;
}

function expectProtocolErrorOnly(run: () => void, describe: () => string): 'ok' | 'error' {
  try {
    run();
    return 'ok';
  } catch (error) {
    if (isProtocolError(error)) return 'error';
    assert.fail(
      `${describe()}: threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
    );
  }
}

test(`decoders reject ${CASES} mutated message bodies with ProtocolError only`, async () => {
  const bases = await buildBases();
  const next = rng(SEED);
  const counts = { ok: 0, error: 0 };
  for (let i = 0; i < CASES; i++) {
    const base = bases[i % bases.length]!;
    const mutated = mutate(base.bytes, next);
    const outcome = expectProtocolErrorOnly(
      () => base.codec.decode(new Reader(mutated), base.version),
      () =>
        `case ${i} (seed ${SEED}) ${base.name} v${base.version} bytes ${mutated.toString('hex').slice(0, 400)}`,
    );
    counts[outcome]++;
  }
  // Both outcomes must occur, or the mutations are not reaching the decoders' error paths.
  assert.ok(counts.error > CASES / 10, `only ${counts.error} of ${CASES} mutations were rejected`);
  assert.ok(counts.ok > 0, 'no mutation decoded: the corpus may be broken');
});

test('decodeRequest rejects mutated request frames (header and body) with ProtocolError only', async () => {
  const next = rng(SEED ^ 0x5a5a5a5a);
  const frames: Buffer[] = [];
  for (const message of schema) {
    if (message.kind !== 'request' || message.apiKey === null || message.valid === null) continue;
    const api = apiByKey(message.apiKey);
    if (api === undefined) continue;
    for (let v = message.valid[0]; v <= message.valid[1]; v++) {
      const [m] = fc.sample(structArb(message.fields, v, has(message.flexible, v)), { numRuns: 1, seed: v });
      frames.push(encodeRequest(message.apiKey, v, 7, 'fuzz', m).toBuffer());
    }
  }
  for (const frame of frames) decodeRequest(frame); // every unmutated frame is valid
  const cases = Math.max(10_000, Math.floor(CASES / 5));
  for (let i = 0; i < cases; i++) {
    const mutated = mutate(frames[i % frames.length]!, next);
    expectProtocolErrorOnly(
      () => decodeRequest(mutated),
      () => `frame case ${i} (seed ${SEED}) bytes ${mutated.toString('hex').slice(0, 400)}`,
    );
  }
});
