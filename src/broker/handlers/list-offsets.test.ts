import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { ApiKey } from '../../protocol/generated/apis.ts';
import type { ListOffsetsResponse } from '../../protocol/generated/list-offsets-response.ts';
import { encodeRecordBatch } from '../../protocol/records/record-batch.ts';
import { type RunningBroker, startBroker } from '../broker.ts';
import { WireClient } from '../testing/wire-client.ts';

/** One gzip batch whose records carry the given timestamps, in order of offset. */
function timedBatch(stamps: readonly number[], extra: { producerId?: bigint; transactional?: boolean } = {}) {
  const base = Math.min(...stamps);
  return encodeRecordBatch({
    compression: 1,
    transactional: extra.transactional ?? false,
    producerId: extra.producerId ?? -1n,
    producerEpoch: extra.producerId === undefined ? -1 : 0,
    baseSequence: extra.producerId === undefined ? -1 : 0,
    baseTimestamp: BigInt(base),
    records: stamps.map((t, i) => ({
      offsetDelta: i,
      timestampDelta: BigInt(t - base),
      key: null,
      value: Buffer.from(`v${i}`),
      headers: [],
    })),
  });
}

function ask(topic: string, timestamp: bigint, isolationLevel = 0) {
  return {
    replicaId: -1,
    isolationLevel,
    timeoutMs: 1000,
    topics: [
      {
        name: topic,
        partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp, maxNumOffsets: 1 }],
      },
    ],
  };
}

describe('ListOffsets handler', () => {
  let broker: RunningBroker;
  let client: WireClient;

  before(async () => {
    broker = await startBroker({ config: {} });
    client = await WireClient.connect(broker.port);
  });
  after(async () => {
    await client.close();
    await broker.close();
  });

  const lookUp = async (topic: string, timestamp: bigint, version: number, isolationLevel = 0) =>
    (
      await client.request<ListOffsetsResponse>(
        ApiKey.ListOffsets,
        version,
        ask(topic, timestamp, isolationLevel),
      )
    ).topics[0]?.partitions[0];

  it('answers the offset of the first record at or after a timestamp inside a compressed batch, at v1 and v7', async () => {
    await broker.services.logs.createTopic('times', 1);
    const log = broker.services.logs.partition('times', 0)!;
    await log.append(await timedBatch([1_000, 3_000, 2_000]));
    await log.append(await timedBatch([5_000, 4_000, 5_000]));
    for (const version of [1, 7]) {
      assert.equal((await lookUp('times', 1_500n, version))?.offset, 1n, `v${version}`);
      assert.equal((await lookUp('times', 3_001n, version))?.offset, 3n, `v${version}`);
      assert.equal((await lookUp('times', 4_500n, version))?.timestamp, 5_000n, `v${version}`);
    }
    const max = await lookUp('times', -3n, 7);
    assert.deepEqual([max?.offset, max?.timestamp], [3n, 5_000n]);
  });

  it('answers kafkajs fetchTopicOffsetsByTimestamp with the record-level offset', async () => {
    const kafka = new Kafka({ brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsetsByTimestamp('times', 2_500);
      assert.deepEqual(offsets, [{ partition: 0, offset: '1' }]);
    } finally {
      await admin.disconnect();
    }
  });

  it('answers read_committed with the last stable offset and nothing at or beyond it', async () => {
    await broker.services.logs.createTopic('txn', 1);
    const log = broker.services.logs.partition('txn', 0)!;
    await log.append(await timedBatch([1_000, 1_001]));
    // An open transaction from offset 2: read_committed may not see it or anything after.
    await log.append(await timedBatch([2_000], { producerId: 42n, transactional: true }));
    await log.append(await timedBatch([3_000]));
    assert.equal((await lookUp('txn', -1n, 2, 1))?.offset, 2n);
    assert.equal((await lookUp('txn', -1n, 2, 0))?.offset, 4n);
    assert.equal((await lookUp('txn', 1_500n, 7, 1))?.offset, -1n);
    assert.equal((await lookUp('txn', 1_500n, 7, 0))?.offset, 2n);
    assert.equal((await lookUp('txn', 1_001n, 7, 1))?.offset, 1n);
    assert.equal((await lookUp('txn', -3n, 7, 1))?.offset, -1n);
  });
});
