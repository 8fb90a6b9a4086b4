import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { type RunningBroker, startBroker } from '../broker/broker.ts';
import { Consumer } from '../client/consumer.ts';
import { groupCoordinatorNoun } from '../coordinator/coordinator-noun.ts';

const TOPIC = 'ledger';

async function readValues(
  bootstrap: string,
  isolation: 'read_committed' | 'read_uncommitted',
): Promise<string[]> {
  const consumer = new Consumer({ bootstrap, isolationLevel: isolation, autoOffsetReset: 'earliest' });
  consumer.assign([0, 1].map((partition) => ({ topic: TOPIC, partition })));
  const values: string[] = [];
  try {
    for (
      let batch = await consumer.nextBatch(1_000);
      batch !== null;
      batch = await consumer.nextBatch(1_000)
    ) {
      for (const r of batch.records) values.push(r.value?.toString() ?? '');
    }
  } finally {
    await consumer.close();
  }
  return values.sort();
}

/** Waits for `condition`, failing with `what` if it is still false after `limitMs`. */
async function eventually(what: string, limitMs: number, condition: () => boolean): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`Still waiting after ${limitMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('kafkajs transactions against Sluice', () => {
  let broker: RunningBroker;
  let kafka: Kafka;

  before(async () => {
    broker = await startBroker({
      nouns: [groupCoordinatorNoun],
      config: { 'transaction.abort.timed.out.transaction.cleanup.interval.ms': '100' },
    });
    kafka = new Kafka({ brokers: [broker.bootstrap], clientId: 'txn-test', logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 2 }] });
    await admin.disconnect();
  });
  after(async () => {
    await broker?.close();
  });

  it('commits and aborts transactions, and commits offsets only with a committed transaction', async () => {
    const producer = kafka.producer({
      transactionalId: 'ledger-writer',
      maxInFlightRequests: 1,
      idempotent: true,
    });
    await producer.connect();
    const messages = (prefix: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: `${prefix}-${i}` }));

    let txn = await producer.transaction();
    await txn.send({ topic: TOPIC, messages: messages('committed', 10) });
    await txn.commit();

    txn = await producer.transaction();
    await txn.send({ topic: TOPIC, messages: messages('aborted', 10) });
    await txn.sendOffsets({
      consumerGroupId: 'readers',
      topics: [{ topic: TOPIC, partitions: [{ partition: 1, offset: '7' }] }],
    });
    await txn.abort();

    txn = await producer.transaction();
    await txn.send({ topic: TOPIC, messages: [{ key: 'k0', value: 'committed-last' }] });
    await txn.sendOffsets({
      consumerGroupId: 'readers',
      topics: [{ topic: TOPIC, partitions: [{ partition: 0, offset: '42' }] }],
    });
    await txn.commit();
    await producer.disconnect();

    const committed = await readValues(broker.bootstrap, 'read_committed');
    assert.equal(committed.length, 11);
    assert.ok(
      committed.every((v) => v.startsWith('committed-')),
      `read_committed saw ${committed.join(',')}`,
    );
    const everything = await readValues(broker.bootstrap, 'read_uncommitted');
    assert.equal(everything.length, 21);

    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchOffsets({ groupId: 'readers', topics: [TOPIC] });
    await admin.disconnect();
    const partitions = offsets[0]?.partitions.map((p) => [p.partition, p.offset]).sort();
    assert.deepEqual(partitions, [
      [0, '42'],
      [1, '-1'],
    ]);
  });

  it('fences the first producer when a second one initialises the same transactional id', async () => {
    const first = kafka.producer({
      transactionalId: 'fenced-writer',
      maxInFlightRequests: 1,
      idempotent: true,
    });
    await first.connect();
    const txn = await first.transaction();
    await txn.send({ topic: TOPIC, messages: [{ value: 'zombie' }] });
    const second = kafka.producer({
      transactionalId: 'fenced-writer',
      maxInFlightRequests: 1,
      idempotent: true,
    });
    await second.connect();
    // kafkajs initialises the producer id with the first transaction: this fences `first`.
    const again = await second.transaction();
    await assert.rejects(txn.commit(), (e: Error) => /fenced|epoch/i.test(`${e.name} ${e.message}`));
    await again.send({ topic: TOPIC, messages: [{ value: 'successor' }] });
    await again.commit();
    await first.disconnect();
    await second.disconnect();
    const committed = await readValues(broker.bootstrap, 'read_committed');
    assert.ok(committed.includes('successor'));
    assert.ok(!committed.includes('zombie'), 'the fenced transaction was aborted');
  });

  it('aborts a transaction left open past its timeout, so read_committed readers move on', async () => {
    const producer = kafka.producer({
      transactionalId: 'stuck-writer',
      transactionTimeout: 500,
      maxInFlightRequests: 1,
      idempotent: true,
    });
    await producer.connect();
    const txn = await producer.transaction();
    await txn.send({ topic: TOPIC, messages: [{ key: 'k0', value: 'stuck' }] });
    const logs = [0, 1].map((p) => broker.services.logs.partition(TOPIC, p)!);
    assert.ok(
      logs.some((log) => log.lastStableOffset < log.logEndOffset),
      'the open transaction holds the LSO back',
    );
    await eventually('the coordinator aborts the timed-out transaction', 10_000, () =>
      logs.every((log) => log.lastStableOffset === log.logEndOffset),
    );
    assert.equal(broker.services.nouns.transactions?.describe('stuck-writer').state, 'CompleteAbort');
    await assert.rejects(txn.commit());
    await producer.disconnect();
    assert.ok(!(await readValues(broker.bootstrap, 'read_committed')).includes('stuck'));
  });
});
