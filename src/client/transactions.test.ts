import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Admin } from './admin.ts';
import { Consumer } from './consumer.ts';
import { Producer } from './producer.ts';
import { startTarget, type Target, targetName, targetSkipReason } from './testing/target.ts';

async function readAll(consumer: Consumer, idleMs: number): Promise<string[]> {
  const values: string[] = [];
  for (
    let batch = await consumer.nextBatch(idleMs);
    batch !== null;
    batch = await consumer.nextBatch(idleMs)
  ) {
    for (const r of batch.records) values.push(r.value!.toString());
  }
  return values;
}

describe(`Transactional producer against ${targetName()}`, { skip: targetSkipReason() }, () => {
  let target: Target;
  let admin: Admin;
  before(async () => {
    target = await startTarget();
    admin = new Admin({ bootstrap: target.bootstrap });
    await admin.createTopics([{ topic: 'ledger', partitions: 2 }]);
  });
  after(async () => {
    admin?.close();
    await target?.stop();
  });

  it('commits and aborts transactions; a read_committed consumer sees only committed records', async () => {
    const producer = new Producer({ bootstrap: target.bootstrap, transactionalId: 'ledger-writer' });
    await producer.initTransactions();
    await assert.rejects(producer.send({ topic: 'ledger', value: 'outside' }), /no transaction is open/);

    producer.beginTransaction();
    await producer.sendBatch(
      Array.from({ length: 50 }, (_, i) => ({ topic: 'ledger', key: `k${i}`, value: `committed-${i}` })),
    );
    await producer.commitTransaction();

    producer.beginTransaction();
    const aborted = Array.from({ length: 50 }, (_, i) =>
      producer.send({ topic: 'ledger', key: `k${i}`, value: `aborted-${i}` }),
    );
    await Promise.all(aborted);
    await producer.abortTransaction();

    producer.beginTransaction();
    await producer.send({ topic: 'ledger', key: 'k0', value: 'committed-last' });
    await producer.sendOffsetsToTransaction(
      [{ topic: 'ledger', partition: 0, offset: 42n }],
      'ledger-readers',
    );
    await producer.commitTransaction();
    await producer.close();

    const committedReader = new Consumer({
      bootstrap: target.bootstrap,
      isolationLevel: 'read_committed',
      autoOffsetReset: 'earliest',
    });
    committedReader.assign([0, 1].map((partition) => ({ topic: 'ledger', partition })));
    const committed = await readAll(committedReader, 2_000);
    await committedReader.close();
    assert.equal(committed.length, 51);
    assert.ok(committed.every((v) => v.startsWith('committed-')));

    const everything = new Consumer({
      bootstrap: target.bootstrap,
      isolationLevel: 'read_uncommitted',
      autoOffsetReset: 'earliest',
    });
    everything.assign([0, 1].map((partition) => ({ topic: 'ledger', partition })));
    const all = await readAll(everything, 2_000);
    await everything.close();
    assert.equal(all.length, 101);
    assert.equal(all.filter((v) => v.startsWith('aborted-')).length, 50);

    const offsets = await admin.listConsumerGroupOffsets('ledger-readers');
    assert.deepEqual(
      offsets.map((o) => [o.topic, o.partition, o.offset]),
      [['ledger', 0, 42n]],
    );
  });

  it('fences an older producer with the same transactional id', async () => {
    const first = new Producer({ bootstrap: target.bootstrap, transactionalId: 'fenced-writer' });
    await first.initTransactions();
    const second = new Producer({ bootstrap: target.bootstrap, transactionalId: 'fenced-writer' });
    await second.initTransactions();
    first.beginTransaction();
    await assert.rejects(
      first.send({ topic: 'ledger', value: 'zombie' }),
      /producerFenced \(90\)|invalidProducerEpoch \(47\)/,
    );
    await first.close().catch(() => undefined);
    await second.close();
  });
});
