import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CompressionName } from '../protocol/compression/codec.ts';
import { Admin } from './admin.ts';
import { Consumer } from './consumer.ts';
import { partitionForKey } from './murmur2.ts';
import { Producer } from './producer.ts';
import { startTarget, type Target, targetName, targetSkipReason } from './testing/target.ts';

const recordCount = 10_000;
const partitions = 4;

describe(`Producer against ${targetName()}`, { skip: targetSkipReason() }, () => {
  let target: Target;
  let admin: Admin;
  before(async () => {
    target = await startTarget();
    admin = new Admin({ bootstrap: target.bootstrap });
  });
  after(async () => {
    admin?.close();
    await target?.stop();
  });

  for (const compression of ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as CompressionName[]) {
    it(`writes ${recordCount} keyed records with headers under ${compression} and reads them back exactly, on Java's partitions`, async () => {
      const topic = `keyed-${compression}`;
      await admin.createTopics([{ topic, partitions }]);
      const producer = new Producer({ bootstrap: target.bootstrap, compression, lingerMs: 2 });
      const sent = await producer.sendBatch(
        Array.from({ length: recordCount }, (_, i) => ({
          topic,
          key: `key-${i % 500}`,
          value: `value-${i}`,
          headers: { seq: String(i), kind: Buffer.from([i % 256]) },
          timestamp: 1_700_000_000_000 + i,
        })),
      );
      await producer.close();
      for (const [i, m] of sent.entries()) {
        assert.equal(m.partition, partitionForKey(Buffer.from(`key-${i % 500}`), partitions));
      }

      const consumer = new Consumer({ bootstrap: target.bootstrap, autoOffsetReset: 'earliest' });
      consumer.assign(Array.from({ length: partitions }, (_, partition) => ({ topic, partition })));
      const seen = new Map<
        number,
        { partition: number; offset: bigint; key: string; timestamp: bigint; seq: string; kind: number }
      >();
      try {
        while (seen.size < recordCount) {
          const batch = await consumer.nextBatch(10_000);
          assert.ok(batch, `no batch after ${seen.size} records`);
          for (const r of batch.records) {
            const i = Number(r.value!.toString().slice('value-'.length));
            assert.ok(!seen.has(i), `record ${i} read twice`);
            seen.set(i, {
              partition: r.partition,
              offset: r.offset,
              key: r.key!.toString(),
              timestamp: r.timestamp,
              seq: r.headers.find((h) => h.key === 'seq')!.value!.toString(),
              kind: r.headers.find((h) => h.key === 'kind')!.value![0]!,
            });
          }
        }
      } finally {
        await consumer.close();
      }
      for (let i = 0; i < recordCount; i++) {
        const got = seen.get(i)!;
        assert.equal(got.key, `key-${i % 500}`);
        assert.equal(got.seq, String(i));
        assert.equal(got.kind, i % 256);
        assert.equal(got.timestamp, BigInt(1_700_000_000_000 + i));
        assert.equal(got.partition, sent[i]!.partition);
        assert.equal(got.offset, sent[i]!.offset);
      }
    });
  }

  it('as an idempotent producer (the default) writes 2000 records in many small batches exactly once, in order', async () => {
    const topic = 'idempotent';
    await admin.createTopics([{ topic, partitions: 1 }]);
    const producer = new Producer({ bootstrap: target.bootstrap, lingerMs: 0, batchBytes: 256 });
    const sent = await producer.sendBatch(
      Array.from({ length: 2_000 }, (_, i) => ({ topic, value: `v${i}` })),
    );
    await producer.close();
    assert.deepEqual(
      sent.map((m) => m.offset),
      Array.from({ length: 2_000 }, (_, i) => BigInt(i)),
    );
    const consumer = new Consumer({ bootstrap: target.bootstrap, autoOffsetReset: 'earliest' });
    consumer.assign([{ topic, partition: 0 }]);
    const values: string[] = [];
    try {
      while (values.length < 2_000) {
        const batch = await consumer.nextBatch(10_000);
        assert.ok(batch);
        for (const r of batch.records) values.push(r.value!.toString());
      }
    } finally {
      await consumer.close();
    }
    assert.deepEqual(
      values,
      Array.from({ length: 2_000 }, (_, i) => `v${i}`),
    );
    const [description] = await admin.describeTopics([topic], { offsets: true });
    assert.equal(description?.partitions[0]?.latestOffset, 2_000n);
  });

  it('refuses an idempotent producer with acks=1, saying acks must be all', () => {
    assert.throws(
      () => new Producer({ bootstrap: target.bootstrap, acks: 1, idempotent: true }),
      /needs acks='all'/,
    );
  });

  it('fails a send to a partition the topic does not have, naming the range', async () => {
    const producer = new Producer({ bootstrap: target.bootstrap });
    try {
      await assert.rejects(
        producer.send({ topic: 'idempotent', partition: 5, value: 'x' }),
        /'idempotent'-5: the topic has partitions 0-0/,
      );
    } finally {
      await producer.close();
    }
  });
});
