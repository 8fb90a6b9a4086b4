import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SourcePartition } from '../../engine/connector/source.ts';
import type { EngineRecord } from '../../engine/record.ts';
import { GeneratedMessageSource, type MessageSourceOptions } from './generator-source.ts';
import { generateMessages } from './message-generator.ts';
import type { SocialMessage } from './records.ts';

const generator = { seed: 5, keywords: ['azure', 'aws'], startMs: 0, intervalMs: 10 };

async function drain(
  partition: SourcePartition<string, SocialMessage>,
  pollsMax = 1_000,
): Promise<EngineRecord<string, SocialMessage>[]> {
  const out: EngineRecord<string, SocialMessage>[] = [];
  for (let i = 0; i < pollsMax; i++) {
    const status = await partition.poll(out, 64);
    if (status === 'end') return out;
    if (status === 'empty') await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`partition did not end within ${pollsMax} polls`);
}

test('each partition generates its share with seed + partition, and resumes where a snapshot left it', async () => {
  const options: MessageSourceOptions = { partitions: 2, messages: 301, generator };
  const source = new GeneratedMessageSource(options);
  assert.equal(await source.partitionCount(), 2);
  const p1 = await drain(await source.openPartition(1, null));
  assert.equal(p1.length, 150);
  assert.deepEqual(
    p1.map((r) => r.value),
    generateMessages({ ...generator, seed: 6 }, 150).map((g) => g.message),
  );
  assert.deepEqual(p1[0]?.key, `generator:${p1[0]?.value.channel}`);
  const p0 = await drain(await source.openPartition(0, null));
  assert.equal(p0.length, 151);
  const resumed = await drain(await source.openPartition(0, 100));
  assert.deepEqual(resumed, p0.slice(100));
});

test('in real time the source paces itself, stamps the wall clock and ends after durationMs', async () => {
  const before = Date.now();
  const source = new GeneratedMessageSource({
    partitions: 1,
    messages: 0,
    generator,
    realTime: { messagesPerSecond: 100, durationMs: 300 },
  });
  const records = await drain(await source.openPartition(0, null));
  const after = Date.now();
  assert.ok(records.length >= 10 && records.length <= 35, `got ${records.length}`);
  for (const r of records)
    assert.ok(r.timestamp >= before && r.timestamp <= after && r.value.timestampMs === r.timestamp);
});

test('GeneratedMessageSource refuses impossible options', () => {
  assert.throws(
    () => new GeneratedMessageSource({ partitions: 0, messages: 1, generator }),
    /partitions must be 1..1024, got 0/,
  );
  assert.throws(
    () =>
      new GeneratedMessageSource({
        partitions: 1,
        messages: 1,
        generator,
        realTime: { messagesPerSecond: 0, durationMs: 1 },
      }),
    /messagesPerSecond must be within/,
  );
});
