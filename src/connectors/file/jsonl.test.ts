import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { EngineError } from '../../engine/engine-error.ts';
import type { EngineRecord } from '../../engine/record.ts';
import { JsonlFileSink } from './jsonl-sink.ts';
import { JsonlFileSource } from './jsonl-source.ts';

const dir = mkdtempSync(join(tmpdir(), 'sluice-jsonl-'));

test('the JSON-lines source returns each non-empty line with its offset and then ends', async () => {
  const path = join(dir, 'in.jsonl');
  writeFileSync(path, '{"n":1,"t":5}\n\n{"n":2,"t":7}\n{"n":3,"t":9}');
  const source = new JsonlFileSource<{ n: number; t: number }>(path, { timestamp: (v) => v.t });
  const partition = await source.openPartition(0, 0);
  const out: EngineRecord<null, { n: number; t: number }>[] = [];
  assert.equal(await partition.poll(out, 2), 'records');
  assert.equal(await partition.poll(out, 2), 'end');
  assert.deepEqual(
    out.map((r) => [r.value.n, r.timestamp, r.offset]),
    [
      [1, 5, 0],
      [2, 7, 1],
      [3, 9, 2],
    ],
  );
  await partition.close();
});

test('the JSON-lines source resumes at an offset', async () => {
  const path = join(dir, 'resume.jsonl');
  writeFileSync(path, '1\n2\n3\n');
  const partition = await new JsonlFileSource<number>(path).openPartition(0, 2);
  const out: EngineRecord<null, number>[] = [];
  assert.equal(await partition.poll(out, 10), 'end');
  assert.deepEqual(
    out.map((r) => r.value),
    [3],
  );
  assert.equal(partition.position(), 3);
  await partition.close();
});

test('the JSON-lines source names the file and line of a line that is not JSON', async () => {
  const path = join(dir, 'bad.jsonl');
  writeFileSync(path, '{"ok":1}\n{oops\n');
  const partition = await new JsonlFileSource(path).openPartition(0, 0);
  await assert.rejects(
    partition.poll([], 10),
    (e: unknown) =>
      e instanceof EngineError && e.message.includes('line 2') && e.message.includes('bad.jsonl'),
  );
  await partition.close();
});

test('the JSON-lines sink writes one formatted value per line', async () => {
  const path = join(dir, 'out.jsonl');
  const sink = new JsonlFileSink<null, { a: number }>(path, {
    format: (r) => ({ ...r.value, t: r.timestamp }),
  });
  const writer = await sink.openWriter();
  const rec = (a: number) => ({
    key: null,
    value: { a },
    timestamp: a * 10,
    headers: [],
    topic: 't',
    partition: 0,
    offset: a,
  });
  writer.write([rec(1), rec(2)]);
  await writer.close();
  assert.equal(readFileSync(path, 'utf8'), '{"a":1,"t":10}\n{"a":2,"t":20}\n');
});
