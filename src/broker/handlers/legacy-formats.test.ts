// Produce v0-2 and Fetch v0-3 over the wire: legacy message sets in, legacy message sets out,
// record batches (magic 2) in storage.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type CompressionType, compressionTypes } from '../../protocol/compression/codec.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import { ApiKey } from '../../protocol/generated/apis.ts';
import { defaultFetchRequest, type FetchRequest } from '../../protocol/generated/fetch-request.ts';
import type { FetchResponse } from '../../protocol/generated/fetch-response.ts';
import { defaultProduceRequest } from '../../protocol/generated/produce-request.ts';
import type { ProduceResponse } from '../../protocol/generated/produce-response.ts';
import { encodeControlRecordKey, encodeEndTransactionMarker } from '../../protocol/records/control-record.ts';
import {
  type DecodedLegacyMessageSet,
  decodeLegacyMessageSet,
  encodeLegacyMessageSet,
  type LegacyMagic,
} from '../../protocol/records/legacy-message-set.ts';
import { decodeRecordBatch, encodeRecordBatch } from '../../protocol/records/record-batch.ts';
import { splitBatches } from '../../protocol/records/split-batches.ts';
import { type RunningBroker, startBroker } from '../broker.ts';
import { valuesBatch } from '../testing/batches.ts';
import { WireClient } from '../testing/wire-client.ts';

const T0 = 1_700_000_000_000n;

async function legacySet(
  magic: LegacyMagic,
  compression: CompressionType,
  values: (string | null)[],
): Promise<Buffer> {
  const records = values.map((v, i) => ({
    offset: BigInt(i),
    timestamp: T0 + BigInt(i),
    key: i % 2 === 0 ? Buffer.from(`key-${i}`) : null,
    value: v === null ? null : Buffer.from(v),
  }));
  return Buffer.concat(await encodeLegacyMessageSet({ magic, compression, records }));
}

function produce(topic: string, records: Buffer, acks = -1) {
  return {
    ...defaultProduceRequest(),
    acks,
    timeoutMs: 5000,
    topicData: [{ name: topic, partitionData: [{ index: 0, records }] }],
  };
}

function fetch(topic: string, fetchOffset: bigint, partitionMaxBytes = 1024 * 1024): FetchRequest {
  return {
    ...defaultFetchRequest(),
    replicaId: -1,
    maxWaitMs: 0,
    minBytes: 0,
    maxBytes: 1024 * 1024,
    topics: [
      {
        topic,
        topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
        partitions: [
          {
            partition: 0,
            currentLeaderEpoch: -1,
            fetchOffset,
            lastFetchedEpoch: -1,
            logStartOffset: -1n,
            partitionMaxBytes,
            replicaDirectoryId: 'AAAAAAAAAAAAAAAAAAAAAA',
          },
        ],
      },
    ],
  };
}

function recordsOf(response: FetchResponse): Buffer {
  const records = response.responses[0]?.partitions[0]?.records ?? null;
  if (records === null) return Buffer.alloc(0);
  return Buffer.isBuffer(records) ? records : Buffer.concat(records as Buffer[]);
}

function shown(set: DecodedLegacyMessageSet) {
  return set.messages.map((m) => [m.offset, m.magic, m.timestamp, m.value?.toString() ?? null]);
}

describe('legacy message formats over the wire (Produce v0-2, Fetch v0-3)', () => {
  let broker: RunningBroker;
  let client: WireClient;

  before(async () => {
    broker = await startBroker();
    client = await WireClient.connect(broker.port);
  });
  after(async () => {
    await client.close();
    await broker.close();
  });

  async function produceOk(version: number, topic: string, records: Buffer) {
    const response = await client.request<ProduceResponse>(ApiKey.Produce, version, produce(topic, records));
    const p = response.responses[0]?.partitionResponses[0];
    assert.equal(p?.errorCode, ErrorCode.none, `produce v${version}: ${p?.errorMessage}`);
    return p!;
  }

  async function fetchLegacy(version: number, topic: string, offset: bigint, maxBytes?: number) {
    const response = await client.request<FetchResponse>(
      ApiKey.Fetch,
      version,
      fetch(topic, offset, maxBytes),
    );
    const p = response.responses[0]?.partitions[0];
    assert.equal(p?.errorCode, ErrorCode.none, `fetch v${version}`);
    return { partition: p!, set: await decodeLegacyMessageSet(recordsOf(response)) };
  }

  it('Produce v0/v1/v2 append legacy sets as record batches and answer with their base offsets', async () => {
    await broker.services.logs.createTopic('legacy', 1);
    const sent: [number, LegacyMagic, CompressionType][] = [
      [0, 0, compressionTypes.none],
      [0, 0, compressionTypes.gzip],
      [1, 0, compressionTypes.lz4],
      [1, 1, compressionTypes.snappy],
      [2, 1, compressionTypes.none],
      [2, 1, compressionTypes.lz4],
    ];
    let next = 0n;
    for (const [version, magic, compression] of sent) {
      const p = await produceOk(version, 'legacy', await legacySet(magic, compression, ['a', null, 'c']));
      assert.equal(p.baseOffset, next);
      if (version === 2) assert.equal(p.logAppendTimeMs, -1n);
      next += 3n;
    }
    const read = await broker.services.logs
      .partition('legacy', 0)!
      .read(0, 1024 * 1024, { minOneBatch: true });
    assert.equal(read.batches.length, sent.length);
    for (const [i, stored] of read.batches.entries()) {
      const batch = decodeRecordBatch(stored);
      assert.equal(batch.header.magic, 2);
      assert.equal(batch.compression, sent[i]![2]);
      const ts = batch.header.baseTimestamp;
      assert.equal(ts, sent[i]![1] === 0 ? -1n : T0, 'magic 0 has no timestamp; magic 1 keeps its own');
    }
  });

  it('Fetch v0-1 serve magic 0 and v2-3 magic 1, from any offset, with offsets kept', async () => {
    for (const version of [0, 1, 2, 3]) {
      const { partition, set } = await fetchLegacy(version, 'legacy', 4n);
      assert.equal(partition.highWatermark, 18n);
      const magic = version <= 1 ? 0 : 1;
      // The gzip set (offsets 3-5) comes back whole as one wrapper: offsets 3..5, then the rest.
      assert.deepEqual(
        set.messages.map((m) => m.offset),
        Array.from({ length: 15 }, (_, i) => BigInt(i + 3)),
      );
      assert.ok(set.messages.every((m) => m.magic === magic));
      assert.deepEqual(set.messages.map((m) => m.value?.toString() ?? null).slice(0, 3), ['a', null, 'c']);
      const magic1 = set.messages.slice(6);
      if (magic === 1) assert.deepEqual(magic1.map((m) => m.timestamp).slice(0, 3), [T0, T0 + 1n, T0 + 2n]);
      else assert.ok(set.messages.every((m) => m.timestamp === -1n));
    }
  });

  it('Fetch v4+ still serves the stored record batches to a topic written through Produce v0-2', async () => {
    const response = await client.request<FetchResponse>(ApiKey.Fetch, 4, fetch('legacy', 0n));
    const split = splitBatches(recordsOf(response));
    assert.equal(split.batches.length, 6);
  });

  it('down-converted record batches carry keys, null values and headers-free messages from Produce v3+', async () => {
    await broker.services.logs.createTopic('modern', 1);
    await produceOk(9, 'modern', await valuesBatch('m', 3, T0));
    const { set } = await fetchLegacy(2, 'modern', 0n);
    assert.deepEqual(shown(set), [
      [0n, 1, T0, 'm-0'],
      [1n, 1, T0 + 1n, 'm-1'],
      [2n, 1, T0 + 2n, 'm-2'],
    ]);
    assert.deepEqual(
      set.messages.map((m) => m.key?.toString()),
      ['k0', 'k1', 'k2'],
    );
  });

  it('Produce v2 on a LogAppendTime topic answers the append time, which Fetch v2 reports per message', async () => {
    await broker.services.logs.createTopic('lat', 1, { 'message.timestamp.type': 'LogAppendTime' });
    const p = await produceOk(2, 'lat', await legacySet(1, compressionTypes.gzip, ['x', 'y']));
    assert.ok(p.logAppendTimeMs > 0n);
    const { set } = await fetchLegacy(2, 'lat', 0n);
    for (const m of set.messages) {
      assert.equal(m.timestampType, 'logAppendTime');
      assert.equal(m.timestamp, p.logAppendTimeMs);
    }
    const v0 = await produceOk(0, 'lat', await legacySet(0, compressionTypes.none, ['z']));
    assert.equal(v0.baseOffset, 2n);
  });

  it('Produce v0-2 refuse a bad CRC and a record batch with CORRUPT_MESSAGE, that partition only', async () => {
    await broker.services.logs.createTopic('bad', 1);
    const set = await legacySet(1, compressionTypes.none, ['a']);
    set[set.length - 1]! ^= 0xff;
    for (const records of [set, await valuesBatch('b', 1)]) {
      const response = await client.request<ProduceResponse>(ApiKey.Produce, 2, produce('bad', records));
      assert.equal(response.responses[0]?.partitionResponses[0]?.errorCode, ErrorCode.corruptMessage);
    }
    assert.equal(broker.services.logs.partition('bad', 0)?.logEndOffset, 0);
  });

  it('Fetch v0-3 leave control batches out and keep transactional data (read_uncommitted)', async () => {
    await broker.services.logs.createTopic('txn', 1);
    const log = broker.services.logs.partition('txn', 0)!;
    const producer = { producerId: 77n, producerEpoch: 0, transactional: true } as const;
    const data = await encodeRecordBatch({
      ...producer,
      baseSequence: 0,
      baseTimestamp: T0,
      records: [{ offsetDelta: 0, timestampDelta: 0n, key: null, value: Buffer.from('in-txn'), headers: [] }],
    });
    await log.append(data);
    const marker = await encodeRecordBatch({
      ...producer,
      control: true,
      baseTimestamp: T0,
      records: [
        {
          offsetDelta: 0,
          timestampDelta: 0n,
          key: encodeControlRecordKey(0),
          value: encodeEndTransactionMarker(0),
          headers: [],
        },
      ],
    });
    await log.append(marker);
    await produceOk(1, 'txn', await legacySet(0, compressionTypes.none, ['after']));
    for (const version of [0, 3]) {
      const { set } = await fetchLegacy(version, 'txn', 0n);
      assert.deepEqual(
        set.messages.map((m) => [m.offset, m.value?.toString()]),
        [
          [0n, 'in-txn'],
          [2n, 'after'],
        ],
      );
    }
  });

  it('Fetch v0-3 send whole messages within partitionMaxBytes; an oversized first is whole from v3, cut before', async () => {
    await broker.services.logs.createTopic('sizes', 1);
    const big = 'x'.repeat(300);
    await produceOk(2, 'sizes', await legacySet(1, compressionTypes.none, [big, big, big]));
    // Magic 1, 300-byte value, even offsets keyed: 12 + 22 + 5 + 300 = 339 bytes for message 0.
    const two = await fetchLegacy(2, 'sizes', 0n, 339 + 334 + 10);
    assert.deepEqual(
      two.set.messages.map((m) => m.offset),
      [0n, 1n],
    );
    assert.equal(two.set.partialBytes, 0);
    const whole = await fetchLegacy(3, 'sizes', 0n, 100);
    assert.deepEqual(
      whole.set.messages.map((m) => m.offset),
      [0n],
    );
    const cut = await fetchLegacy(2, 'sizes', 0n, 100);
    assert.equal(cut.set.messages.length, 0);
    assert.equal(cut.set.partialBytes, 100);
  });

  it('Fetch v0-3 answer UNSUPPORTED_COMPRESSION_TYPE for zstd data, which the old formats lack', async () => {
    await broker.services.logs.createTopic('zstd', 1);
    const batch = await encodeRecordBatch({
      compression: compressionTypes.zstd,
      baseTimestamp: T0,
      records: [{ offsetDelta: 0, timestampDelta: 0n, key: null, value: Buffer.from('z'), headers: [] }],
    });
    await produceOk(9, 'zstd', batch);
    const response = await client.request<FetchResponse>(ApiKey.Fetch, 3, fetch('zstd', 0n));
    assert.equal(response.responses[0]?.partitions[0]?.errorCode, ErrorCode.unsupportedCompressionType);
  });
});
