// TopicFollower over the embedded log binding of a real broker: it waits for its topic, catches
// up at most catchUpRecordsPerPartition records back on each partition, never returns records of
// an aborted transaction, follows new records live and skips values that are not JSON.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type RunningBroker, startBroker } from '../../../broker/broker.ts';
import { Admin, Producer } from '../../../client/index.ts';
import { embeddedLog } from '../../../connectors/embedded/embedded-log.ts';
import { transactionCoordinatorNoun } from '../../../txn/transaction-noun.ts';
import { type FollowedRecord, TopicFollower } from './topic-follower.ts';

let broker: RunningBroker;
let admin: Admin;
let producer: Producer;

before(async () => {
  broker = await startBroker({ nouns: [transactionCoordinatorNoun] });
  admin = new Admin({ bootstrap: broker.bootstrap });
  producer = new Producer({ bootstrap: broker.bootstrap, lingerMs: 0, transactionalId: 'follower-test' });
  await producer.initTransactions();
});

after(async () => {
  await producer.close();
  admin.close();
  await broker.close();
});

async function write(
  topic: string,
  partition: number,
  values: readonly string[],
  abort = false,
): Promise<void> {
  producer.beginTransaction();
  const sends = values.map((value) => producer.send({ topic, partition, value }));
  if (abort) {
    for (const s of sends) s.catch(() => {});
    await producer.abortTransaction();
    return;
  }
  await Promise.all(sends);
  await producer.commitTransaction();
}

async function until(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const options = {
  catchUpRecordsPerPartition: 5,
  readRecordsMax: 3,
  readWaitMs: 200,
  topicPollIntervalMs: 50,
  recordValueBytesMax: 1000,
};

test('a follower waits for its topic, then catches up at most K records back per partition', async () => {
  const seen: FollowedRecord[] = [];
  const follower = new TopicFollower(
    embeddedLog({ services: broker.services, nodeId: 1 }),
    'late',
    (r) => seen.push(...r),
    options,
  );
  follower.start();
  await follower.caughtUp();
  assert.equal(follower.stats.present, false);
  await admin.createTopics([{ topic: 'late', partitions: 2 }]);
  await until('the topic to be found', () => follower.stats.present);
  await write('late', 0, ['{"n":1}']);
  await until('the first record', () => seen.length === 1);
  assert.deepEqual(seen[0]?.value, { n: 1 });
  await follower.close();

  // A new follower of a topic with history starts five offsets before each partition's end; the
  // last of those is the transaction's commit marker, so partition 0 gives its last four records.
  await write(
    'late',
    0,
    Array.from({ length: 9 }, (_, i) => JSON.stringify({ p: 0, i })),
  );
  await write(
    'late',
    1,
    Array.from({ length: 3 }, (_, i) => JSON.stringify({ p: 1, i })),
  );
  const caught: FollowedRecord[] = [];
  const second = new TopicFollower(
    embeddedLog({ services: broker.services, nodeId: 1 }),
    'late',
    (r) => caught.push(...r),
    options,
  );
  second.start();
  await second.caughtUp();
  const byPartition = (p: number) => caught.filter((r) => r.partition === p).map((r) => r.value);
  assert.deepEqual(
    byPartition(0),
    [5, 6, 7, 8].map((i) => ({ p: 0, i })),
  );
  assert.deepEqual(
    byPartition(1),
    [0, 1, 2].map((i) => ({ p: 1, i })),
  );
  await second.close();
});

test('a follower never hands over aborted records and skips values that are not JSON', async () => {
  await admin.createTopics([{ topic: 'mixed', partitions: 1 }]);
  const seen: FollowedRecord[] = [];
  const follower = new TopicFollower(
    embeddedLog({ services: broker.services, nodeId: 1 }),
    'mixed',
    (r) => seen.push(...r),
    options,
  );
  follower.start();
  await until('the topic to be found', () => follower.stats.present);
  await write('mixed', 0, ['{"kept":1}']);
  await write('mixed', 0, ['{"aborted":1}', '{"aborted":2}'], true);
  await write('mixed', 0, ['not json', '{"kept":2}']);
  await until('the second kept record', () => seen.length === 2);
  assert.deepEqual(
    seen.map((r) => r.value),
    [{ kept: 1 }, { kept: 2 }],
  );
  assert.ok(
    seen.every((r, i) => i === 0 || r.offset > (seen[i - 1]?.offset ?? -1)),
    'in offset order',
  );
  assert.equal(follower.stats.skipped, 1);
  await follower.close();
});
