import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ErrorCode } from '../../protocol/error-codes.ts';
import { ApiKey } from '../../protocol/generated/apis.ts';
import { defaultFetchRequest, type FetchRequest } from '../../protocol/generated/fetch-request.ts';
import type { FetchResponse } from '../../protocol/generated/fetch-response.ts';
import type { ListOffsetsResponse } from '../../protocol/generated/list-offsets-response.ts';
import { defaultMetadataRequest } from '../../protocol/generated/metadata-request.ts';
import type { MetadataResponse } from '../../protocol/generated/metadata-response.ts';
import { defaultProduceRequest } from '../../protocol/generated/produce-request.ts';
import type { ProduceResponse } from '../../protocol/generated/produce-response.ts';
import { decodeRecordBatch } from '../../protocol/records/record-batch.ts';
import { splitBatches } from '../../protocol/records/split-batches.ts';
import { type RunningBroker, startBroker } from '../broker.ts';
import { valuesBatch } from '../testing/batches.ts';
import { WireClient } from '../testing/wire-client.ts';

function produce(topic: string, partition: number, records: Buffer, acks = -1) {
  return {
    ...defaultProduceRequest(),
    acks,
    timeoutMs: 5000,
    topicData: [{ name: topic, partitionData: [{ index: partition, records }] }],
  };
}

function fetch(
  topic: string,
  partition: number,
  fetchOffset: bigint,
  extra: Partial<FetchRequest> = {},
): FetchRequest {
  return {
    ...defaultFetchRequest(),
    maxWaitMs: 0,
    minBytes: 0,
    maxBytes: 1024 * 1024,
    sessionEpoch: -1,
    topics: [
      {
        topic,
        topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
        partitions: [
          {
            partition,
            currentLeaderEpoch: -1,
            fetchOffset,
            lastFetchedEpoch: -1,
            logStartOffset: -1n,
            partitionMaxBytes: 1024 * 1024,
            replicaDirectoryId: 'AAAAAAAAAAAAAAAAAAAAAA',
          },
        ],
      },
    ],
    ...extra,
  };
}

async function values(
  records: FetchResponse['responses'][number]['partitions'][number]['records'],
): Promise<string[]> {
  const buf =
    records === null
      ? Buffer.alloc(0)
      : Buffer.isBuffer(records)
        ? records
        : Buffer.concat(records as Buffer[]);
  const out: string[] = [];
  for (const batch of splitBatches(buf).batches) {
    for (const r of await decodeRecordBatch(batch).decodeRecords()) out.push(r.value?.toString() ?? 'null');
  }
  return out;
}

describe('data path handlers over the wire', () => {
  let broker: RunningBroker;
  let client: WireClient;

  before(async () => {
    broker = await startBroker({ config: { 'num.partitions': '2' } });
    client = await WireClient.connect(broker.port);
  });
  after(async () => {
    await client.close();
    await broker.close();
  });

  it('Metadata auto-creates a requested topic with num.partitions and names this node leader', async () => {
    for (const v of [0, 4, 9, 12]) {
      const response = await client.request<MetadataResponse>(ApiKey.Metadata, v, {
        ...defaultMetadataRequest(),
        allowAutoTopicCreation: true,
        topics: [{ name: `auto-${v}`, topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }],
      });
      assert.equal(response.brokers[0]?.port, broker.port);
      const topic = response.topics[0];
      assert.equal(topic?.errorCode, ErrorCode.none, `v${v}`);
      assert.equal(topic?.partitions.length, 2);
      assert.equal(topic?.partitions[0]?.leaderId, broker.nodeId);
    }
  });

  it('Metadata v4+ does not create a topic when the request forbids it', async () => {
    const response = await client.request<MetadataResponse>(ApiKey.Metadata, 12, {
      ...defaultMetadataRequest(),
      allowAutoTopicCreation: false,
      topics: [{ name: 'not-created', topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }],
    });
    assert.equal(response.topics[0]?.errorCode, ErrorCode.unknownTopicOrPartition);
  });

  it('Produce assigns consecutive offsets and Fetch returns the records from an offset', async () => {
    await broker.services.logs.createTopic('data', 1);
    for (const v of [3, 7, 9, 11]) {
      const response = await client.request<ProduceResponse>(
        ApiKey.Produce,
        v,
        produce('data', 0, await valuesBatch(`v${v}`, 3)),
      );
      assert.equal(response.responses[0]?.partitionResponses[0]?.errorCode, ErrorCode.none, `produce v${v}`);
    }
    for (const v of [4, 11, 12]) {
      const response = await client.request<FetchResponse>(ApiKey.Fetch, v, fetch('data', 0, 3n));
      const p = response.responses[0]?.partitions[0];
      assert.equal(p?.errorCode, ErrorCode.none);
      assert.equal(p?.highWatermark, 12n);
      assert.deepEqual((await values(p?.records ?? null)).slice(0, 3), ['v7-0', 'v7-1', 'v7-2']);
    }
  });

  it('Produce refuses a batch with a bad CRC for that partition only, naming the batch', async () => {
    await broker.services.logs.createTopic('crc', 2);
    const bad = await valuesBatch('bad', 2);
    bad.writeUInt8(bad.readUInt8(bad.length - 1) ^ 0xff, bad.length - 1);
    const request = {
      ...defaultProduceRequest(),
      acks: 1,
      timeoutMs: 1000,
      topicData: [
        {
          name: 'crc',
          partitionData: [
            { index: 0, records: bad },
            { index: 1, records: await valuesBatch('ok', 1) },
          ],
        },
      ],
    };
    const response = await client.request<ProduceResponse>(ApiKey.Produce, 9, request);
    const [p0, p1] = response.responses[0]?.partitionResponses ?? [];
    assert.equal(p0?.errorCode, ErrorCode.corruptMessage);
    assert.deepEqual(
      p0?.recordErrors.map((e) => e.batchIndex),
      [0],
    );
    assert.equal(p1?.errorCode, ErrorCode.none);
    assert.equal(broker.services.logs.partition('crc', 0)?.logEndOffset, 0);
  });

  it('Produce answers UNKNOWN_TOPIC_OR_PARTITION for a partition that does not exist', async () => {
    const response = await client.request<ProduceResponse>(
      ApiKey.Produce,
      9,
      produce('nope', 0, await valuesBatch('x', 1)),
    );
    assert.equal(response.responses[0]?.partitionResponses[0]?.errorCode, ErrorCode.unknownTopicOrPartition);
  });

  it('Produce with acks=0 that succeeds sends no response and keeps the connection open', async () => {
    await broker.services.logs.createTopic('acks0-ok', 1);
    const producer = await WireClient.connect(broker.port);
    const produceId = producer.send(ApiKey.Produce, 9, produce('acks0-ok', 0, await valuesBatch('a', 2), 0));
    await producer.request(ApiKey.ApiVersions, 3, { clientSoftwareName: 'a', clientSoftwareVersion: 'b' });
    assert.equal(producer.arrivals.includes(produceId), false);
    assert.equal(broker.services.logs.partition('acks0-ok', 0)?.logEndOffset, 2);
    await producer.close();
  });

  it('Produce with acks=0 that fails closes the connection after answering the requests before it', async () => {
    const producer = await WireClient.connect(broker.port);
    const versions = { clientSoftwareName: 'a', clientSoftwareVersion: 'b' };
    const before = producer.request(ApiKey.ApiVersions, 3, versions);
    producer.send(ApiKey.Produce, 9, produce('acks0-missing', 0, await valuesBatch('x', 1), 0));
    const after = producer.request(ApiKey.ApiVersions, 3, versions);
    await before;
    // Rejected, not answered: the broker closed the connection before reaching it.
    await assert.rejects(after, /connection closed/);
    await producer.closed;
  });

  it('a long-poll Fetch is woken by a produce on another connection', async () => {
    await broker.services.logs.createTopic('poll', 1);
    const started = Date.now();
    const waiting = client.request<FetchResponse>(
      ApiKey.Fetch,
      12,
      fetch('poll', 0, 0n, { maxWaitMs: 5000, minBytes: 1 }),
    );
    const producer = await WireClient.connect(broker.port);
    await new Promise((r) => setTimeout(r, 50));
    await producer.request(ApiKey.Produce, 9, produce('poll', 0, await valuesBatch('late', 1)));
    const response = await waiting;
    assert.ok(Date.now() - started < 4000);
    assert.deepEqual(await values(response.responses[0]?.partitions[0]?.records ?? null), ['late-0']);
    await producer.close();
  });

  it('a long-poll Fetch holds back later responses on its connection, which still arrive in order', async () => {
    await broker.services.logs.createTopic('order', 1);
    const first = client.request<FetchResponse>(
      ApiKey.Fetch,
      12,
      fetch('order', 0, 0n, { maxWaitMs: 300, minBytes: 1 }),
    );
    const second = client.request(ApiKey.ApiVersions, 3, {
      clientSoftwareName: 'a',
      clientSoftwareVersion: 'b',
    });
    const arrivalsBefore = client.arrivals.length;
    await Promise.all([first, second]);
    const last = client.arrivals.slice(arrivalsBefore);
    assert.equal(last.length, 2);
    assert.ok(last[0]! < last[1]!);
  });

  it('Fetch returns OFFSET_OUT_OF_RANGE past the log end', async () => {
    const response = await client.request<FetchResponse>(ApiKey.Fetch, 12, fetch('data', 0, 999n));
    assert.equal(response.responses[0]?.partitions[0]?.errorCode, ErrorCode.offsetOutOfRange);
  });

  it('Fetch returns a whole first batch even when it exceeds partitionMaxBytes', async () => {
    await broker.services.logs.createTopic('big', 1);
    await client.request(ApiKey.Produce, 9, produce('big', 0, await valuesBatch('big', 100)));
    const request = fetch('big', 0, 0n);
    request.topics[0]!.partitions[0]!.partitionMaxBytes = 10;
    const response = await client.request<FetchResponse>(ApiKey.Fetch, 12, request);
    assert.equal((await values(response.responses[0]?.partitions[0]?.records ?? null)).length, 100);
  });

  it('an incremental fetch session answers only partitions with news', async () => {
    await broker.services.logs.createTopic('session', 2);
    const full = fetch('session', 0, 0n, { sessionId: 0, sessionEpoch: 0 });
    full.topics[0]!.partitions.push({ ...full.topics[0]!.partitions[0]!, partition: 1 });
    const first = await client.request<FetchResponse>(ApiKey.Fetch, 12, full);
    assert.ok(first.sessionId > 0);
    assert.equal(first.responses[0]?.partitions.length, 2);
    await client.request(ApiKey.Produce, 9, produce('session', 1, await valuesBatch('s', 1)));
    const incremental = fetch('session', 0, 0n, { sessionId: first.sessionId, sessionEpoch: 1, topics: [] });
    const second = await client.request<FetchResponse>(ApiKey.Fetch, 12, incremental);
    assert.equal(second.errorCode, ErrorCode.none);
    assert.deepEqual(
      second.responses[0]?.partitions.map((p) => p.partitionIndex),
      [1],
    );
    const stale = await client.request<FetchResponse>(ApiKey.Fetch, 12, incremental);
    assert.equal(stale.errorCode, ErrorCode.invalidFetchSessionEpoch);
  });

  it('ListOffsets answers earliest, latest, by timestamp and max timestamp', async () => {
    await broker.services.logs.createTopic('times', 1);
    await client.request(ApiKey.Produce, 9, produce('times', 0, await valuesBatch('t', 3, 1000n)));
    await client.request(ApiKey.Produce, 9, produce('times', 0, await valuesBatch('t', 3, 2000n)));
    const ask = (timestamp: bigint) => ({
      replicaId: -1,
      isolationLevel: 0,
      timeoutMs: 1000,
      topics: [
        {
          name: 'times',
          partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp, maxNumOffsets: 1 }],
        },
      ],
    });
    const offsetOf = async (timestamp: bigint, v = 7) =>
      (await client.request<ListOffsetsResponse>(ApiKey.ListOffsets, v, ask(timestamp))).topics[0]
        ?.partitions[0];
    assert.equal((await offsetOf(-2n))?.offset, 0n);
    assert.equal((await offsetOf(-1n))?.offset, 6n);
    assert.equal((await offsetOf(1500n))?.offset, 3n);
    assert.equal((await offsetOf(9999n))?.offset, -1n);
    const max = await offsetOf(-3n);
    assert.equal(max?.timestamp, 2002n);
    assert.deepEqual((await offsetOf(-1n, 0))?.oldStyleOffsets, [6n]);
  });
});
