// Checks that src/protocol/golden/ is what its manifest says: every file listed and present,
// headers matching the listed api key, version and correlation id, Produce codecs as labelled.
// It does not decode bodies: that is the generated codec's test, against these same files.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { type GoldenManifest, headerVersion } from './golden-set.ts';
import { produceCompression } from './produce-compression.ts';

const goldenDir = new URL('../../src/protocol/golden/', import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(join(goldenDir, 'manifest.json'), 'utf8')) as GoldenManifest;

function binFiles(): string[] {
  const out: string[] = [];
  for (const client of readdirSync(goldenDir)) {
    if (!statSync(join(goldenDir, client)).isDirectory()) continue;
    for (const name of readdirSync(join(goldenDir, client)))
      if (name.endsWith('.bin')) out.push(`${client}/${name}`);
  }
  return out.sort();
}

test('the golden manifest lists exactly the .bin files in the folder, with their sizes', () => {
  const listed = manifest.files.map((e) => e.file).sort();
  assert.deepEqual(listed, binFiles());
  for (const e of manifest.files) {
    assert.equal(statSync(join(goldenDir, e.file)).size, e.bytes, `size of ${e.file}`);
    assert.ok(manifest.clients[e.client] !== undefined, `client ${e.client} of ${e.file} is described`);
  }
});

test('each golden frame header carries the api key, version and correlation id of its manifest entry', () => {
  for (const e of manifest.files) {
    const payload = readFileSync(join(goldenDir, e.file));
    if (e.direction === 'request') {
      assert.equal(payload.readInt16BE(0), e.apiKey, `api key of ${e.file}`);
      assert.equal(payload.readInt16BE(2), e.apiVersion, `api version of ${e.file}`);
      assert.equal(payload.readInt32BE(4), e.correlationId, `correlation id of ${e.file}`);
    } else {
      assert.equal(payload.readInt32BE(0), e.correlationId, `correlation id of ${e.file}`);
    }
    assert.equal(e.headerVersion, headerVersion(e.apiKey, e.apiVersion, e.direction), `header of ${e.file}`);
    const name = e.file.split('/')[1] ?? '';
    assert.match(name, new RegExp(`^\\d{3}-${e.apiName}-v${e.apiVersion}-${e.direction}\\.bin$`));
  }
});

test('golden Produce requests use the compression codec their manifest entry names', () => {
  const produce = manifest.files.filter((e) => e.apiKey === 0 && e.direction === 'request');
  assert.ok(produce.length > 0);
  for (const e of produce) {
    assert.equal(produceCompression(readFileSync(join(goldenDir, e.file))), e.compression, e.file);
  }
  const kcatCodecs = new Set(produce.filter((e) => e.client === 'kcat').map((e) => e.compression));
  assert.deepEqual([...kcatCodecs].sort(), ['gzip', 'lz4', 'none', 'snappy', 'zstd']);
});

test('kafkajs golden frames cover the group, producer and admin apis the broker must serve', () => {
  const apis = new Set(manifest.files.filter((e) => e.client === 'kafkajs').map((e) => e.apiName));
  for (const name of [
    'ApiVersions',
    'Metadata',
    'CreateTopics',
    'Produce',
    'Fetch',
    'ListOffsets',
    'FindCoordinator',
    'JoinGroup',
    'SyncGroup',
    'Heartbeat',
    'OffsetCommit',
    'OffsetFetch',
    'LeaveGroup',
    'InitProducerId',
    'AddPartitionsToTxn',
    'EndTxn',
  ]) {
    assert.ok(apis.has(name), `kafkajs captures lack ${name}`);
  }
});

test('the golden files stay under 2 MB in all', () => {
  const total = manifest.files.reduce((sum, e) => sum + e.bytes, 0);
  assert.ok(total < 2 * 1024 * 1024, `golden files total ${total} bytes`);
});
