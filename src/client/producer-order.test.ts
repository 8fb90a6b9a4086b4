// send() keeps call order and close() waits for every record sent, including the ones still
// waiting for their topic's metadata when close() is called.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type RunningBroker, startBroker } from '../broker/broker.ts';
import { Consumer } from './consumer.ts';
import { Producer } from './producer.ts';

let broker: RunningBroker;

before(async () => {
  broker = await startBroker({ config: { 'num.partitions': '1' } });
});

after(async () => {
  await broker.close();
});

test('records sent before the topic metadata is known keep their send order', async () => {
  const producer = new Producer({ bootstrap: broker.bootstrap, lingerMs: 0 });
  const acks = Array.from({ length: 200 }, (_, i) =>
    producer.send({ topic: 'ordered', key: 'k', value: `v${i}` }),
  );
  const offsets = (await Promise.all(acks)).map((m) => Number(m.offset));
  await producer.close();
  assert.deepEqual(
    offsets,
    Array.from({ length: 200 }, (_, i) => i),
  );
});

test('close() waits for sends that have not reached a batch yet', async () => {
  const producer = new Producer({ bootstrap: broker.bootstrap });
  for (let i = 0; i < 50; i++) void producer.send({ topic: 'closing', value: `v${i}` });
  await producer.close();
  const consumer = new Consumer({ bootstrap: broker.bootstrap, autoOffsetReset: 'earliest' });
  consumer.assign([{ topic: 'closing', partition: 0 }]);
  await consumer.seekToBeginning();
  const values: string[] = [];
  while (values.length < 50) {
    const batch = await consumer.nextBatch(5_000);
    if (batch === null) break;
    for (const r of batch.records) values.push(r.value?.toString() ?? '');
  }
  await consumer.close();
  assert.deepEqual(
    values,
    Array.from({ length: 50 }, (_, i) => `v${i}`),
  );
});
