// Frames captured from real clients talking to Apache Kafka (see golden/README.md) decode with
// Sluice's codec and re-encode to the very same bytes, requests and responses alike. Record
// batches inside Produce requests and Fetch responses must also validate and decode, whatever
// their compression.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeRequest, decodeResponse, encodeRequest, encodeResponse } from './frame.ts';
import type { FetchResponse } from './generated/fetch-response.ts';
import type { ProduceRequest } from './generated/produce-request.ts';
import { decodeRecordBatch } from './records/record-batch.ts';
import { splitBatches } from './records/split-batches.ts';

interface GoldenFile {
  file: string;
  client: string;
  apiKey: number;
  apiName: string;
  apiVersion: number;
  direction: 'request' | 'response';
  correlationId: number;
  /** False for versions newer than the descriptors Sluice is generated from (Kafka 4.4 peers). */
  inDescriptors: boolean;
}

const dir = join(new URL('.', import.meta.url).pathname, 'golden');
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { files: GoldenFile[] };

function asBuffer(records: unknown): Buffer | null {
  if (records === null) return null;
  assert.ok(Buffer.isBuffer(records), 'decoded records must be one buffer');
  return records;
}

async function recordsOf(buf: Buffer | null): Promise<number> {
  if (buf === null || buf.length === 0) return 0;
  const { batches } = splitBatches(buf);
  let count = 0;
  for (const view of batches) {
    const batch = decodeRecordBatch(view);
    count += (await batch.decodeRecords()).length;
  }
  return count;
}

test('the golden manifest covers both clients and the APIs the issue names', () => {
  const seen = new Set(manifest.files.filter((f) => f.inDescriptors).map((f) => `${f.client}:${f.apiName}`));
  for (const client of ['kafkajs', 'kcat']) {
    for (const api of ['ApiVersions', 'Metadata', 'Produce', 'Fetch']) {
      assert.ok(seen.has(`${client}:${api}`), `no ${api} capture from ${client}`);
    }
  }
  for (const api of ['JoinGroup', 'SyncGroup', 'OffsetCommit', 'InitProducerId']) {
    assert.ok(
      [...seen].some((s) => s.endsWith(`:${api}`)),
      `no ${api} capture`,
    );
  }
});

// Captures at versions beyond our descriptors stay in the set as evidence of what peers send;
// Sluice's ApiVersions answer steers those peers down to versions it has, so they are not decoded.
const decodable = manifest.files.filter((f) => f.inDescriptors);

test('every client has at least ten captures at versions the descriptors describe', () => {
  for (const client of new Set(manifest.files.map((f) => f.client))) {
    const n = decodable.filter((f) => f.client === client).length;
    assert.ok(n >= 10, `${client}: only ${n} decodable captures`);
  }
});

for (const golden of decodable) {
  const label = `${golden.client} ${golden.apiName} v${golden.apiVersion} ${golden.direction} (${golden.file})`;
  test(`${label} decodes and re-encodes to the same bytes`, async () => {
    const bytes = readFileSync(join(dir, golden.file));
    if (golden.direction === 'request') {
      const { envelope, body } = decodeRequest(bytes);
      assert.equal(envelope.api.apiKey, golden.apiKey);
      assert.equal(envelope.apiVersion, golden.apiVersion);
      assert.equal(envelope.header.correlationId, golden.correlationId);
      const again = encodeRequest(
        golden.apiKey,
        golden.apiVersion,
        golden.correlationId,
        envelope.header.clientId,
        body,
      );
      assert.deepEqual(again.toBuffer(), bytes);
      if (golden.apiName === 'Produce') {
        let records = 0;
        for (const topic of (body as ProduceRequest).topicData) {
          for (const p of topic.partitionData) records += await recordsOf(asBuffer(p.records));
        }
        assert.ok(records > 0, 'a captured Produce request carries records');
      }
    } else {
      const { correlationId, body } = decodeResponse(golden.apiKey, golden.apiVersion, bytes);
      assert.equal(correlationId, golden.correlationId);
      const again = encodeResponse(golden.apiKey, golden.apiVersion, correlationId, body);
      assert.deepEqual(again.toBuffer(), bytes);
      if (golden.apiName === 'Fetch') {
        for (const topic of (body as FetchResponse).responses) {
          for (const p of topic.partitions) await recordsOf(asBuffer(p.records));
        }
      }
    }
  });
}
