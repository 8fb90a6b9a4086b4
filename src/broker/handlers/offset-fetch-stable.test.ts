// OffsetFetch RequireStable (KIP-447) against the in-process broker, with raw requests: a partition
// whose group offset waits in an open transaction answers UNSTABLE_OFFSET_COMMIT, in the one-group
// (v7) and the multi-group (v8+) forms, until EndTxn commits or aborts it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Admin } from '../../client/admin.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import { ApiKey } from '../../protocol/generated/apis.ts';
import {
  defaultOffsetCommitRequest,
  defaultOffsetCommitRequestOffsetCommitRequestPartition,
} from '../../protocol/generated/offset-commit-request.ts';
import type { OffsetCommitResponse } from '../../protocol/generated/offset-commit-response.ts';
import { defaultOffsetFetchRequest } from '../../protocol/generated/offset-fetch-request.ts';
import type { OffsetFetchResponse } from '../../protocol/generated/offset-fetch-response.ts';
import type { TxnOffsetCommitResponse } from '../../protocol/generated/txn-offset-commit-response.ts';
import { type RunningBroker, startBroker } from '../broker.ts';
import { WireClient } from '../testing/wire-client.ts';

const TOPIC = 'stable';

interface Producer {
  transactionalId: string;
  producerId: bigint;
  producerEpoch: number;
}

/** Partition → [offset, error code] as answered for `topic`. */
type Answer = Record<number, [bigint, number]>;

function answerOf(
  partitions: readonly { partitionIndex: number; committedOffset: bigint; errorCode: number }[],
) {
  const out: Answer = {};
  for (const p of partitions) out[p.partitionIndex] = [p.committedOffset, p.errorCode];
  return out;
}

describe('OffsetFetch RequireStable (KIP-447)', () => {
  let broker: RunningBroker;
  let client: WireClient;

  before(async () => {
    broker = await startBroker();
    client = await WireClient.connect(broker.port);
    const created = await client.request<{ topics: { errorCode: number }[] }>(ApiKey.CreateTopics, 7, {
      timeoutMs: 1000,
      validateOnly: false,
      topics: [{ name: TOPIC, numPartitions: 3, replicationFactor: 1, assignments: [], configs: [] }],
    });
    assert.equal(created.topics[0]?.errorCode, ErrorCode.none);
  });
  after(async () => {
    await client?.close();
    await broker?.close();
  });

  async function commitPlain(groupId: string, partition: number, offset: bigint): Promise<void> {
    const r = await client.request<OffsetCommitResponse>(ApiKey.OffsetCommit, 8, {
      ...defaultOffsetCommitRequest(),
      groupId,
      topics: [
        {
          name: TOPIC,
          partitions: [
            {
              ...defaultOffsetCommitRequestOffsetCommitRequestPartition(),
              partitionIndex: partition,
              committedOffset: offset,
            },
          ],
        },
      ],
    });
    assert.equal(r.topics[0]?.partitions[0]?.errorCode, ErrorCode.none);
  }

  /** Begins a transaction of `transactionalId` that commits `offset` for the group's partition. */
  async function txnCommitOffset(
    transactionalId: string,
    groupId: string,
    partition: number,
    offset: bigint,
  ): Promise<Producer> {
    const init = await client.request<{ errorCode: number; producerId: bigint; producerEpoch: number }>(
      ApiKey.InitProducerId,
      4,
      { transactionalId, transactionTimeoutMs: 60_000, producerId: -1n, producerEpoch: -1 },
    );
    assert.equal(init.errorCode, ErrorCode.none);
    const producer = { transactionalId, producerId: init.producerId, producerEpoch: init.producerEpoch };
    const added = await client.request<{ errorCode: number }>(ApiKey.AddOffsetsToTxn, 3, {
      ...producer,
      groupId,
    });
    assert.equal(added.errorCode, ErrorCode.none);
    const committed = await client.request<TxnOffsetCommitResponse>(ApiKey.TxnOffsetCommit, 3, {
      ...producer,
      groupId,
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      topics: [
        {
          name: TOPIC,
          partitions: [
            {
              partitionIndex: partition,
              committedOffset: offset,
              committedLeaderEpoch: -1,
              committedMetadata: '',
            },
          ],
        },
      ],
    });
    assert.equal(committed.topics[0]?.partitions[0]?.errorCode, ErrorCode.none);
    return producer;
  }

  async function endTxn(producer: Producer, commit: boolean): Promise<void> {
    const r = await client.request<{ errorCode: number }>(ApiKey.EndTxn, 3, {
      ...producer,
      committed: commit,
    });
    assert.equal(r.errorCode, ErrorCode.none);
  }

  async function fetchV7(groupId: string, requireStable: boolean, partitions: number[] | null = [0, 1, 2]) {
    const r = await client.request<OffsetFetchResponse>(ApiKey.OffsetFetch, 7, {
      ...defaultOffsetFetchRequest(),
      groupId,
      topics: partitions === null ? null : [{ name: TOPIC, partitionIndexes: partitions }],
      requireStable,
    });
    assert.equal(r.errorCode, ErrorCode.none);
    return answerOf(r.topics.find((t) => t.name === TOPIC)?.partitions ?? []);
  }

  async function fetchV8(groupIds: string[], requireStable: boolean, version = 8) {
    const r = await client.request<OffsetFetchResponse>(ApiKey.OffsetFetch, version, {
      ...defaultOffsetFetchRequest(),
      groups: groupIds.map((groupId) => ({
        groupId,
        memberId: null,
        memberEpoch: -1,
        topics: [{ name: TOPIC, partitionIndexes: [0, 1, 2] }],
      })),
      requireStable,
    });
    return Object.fromEntries(
      r.groups.map((g) => {
        assert.equal(g.errorCode, ErrorCode.none);
        return [g.groupId, answerOf(g.topics.find((t) => t.name === TOPIC)?.partitions ?? [])];
      }),
    );
  }

  const UNSTABLE = ErrorCode.unstableOffsetCommit;

  it('answers UNSTABLE_OFFSET_COMMIT for the pending partition only, until the transaction commits', async () => {
    await commitPlain('readers', 0, 10n);
    await commitPlain('readers', 1, 20n);
    const producer = await txnCommitOffset('stable-writer', 'readers', 0, 15n);

    assert.equal(UNSTABLE, 88);
    assert.deepEqual(await fetchV7('readers', true), { 0: [-1n, UNSTABLE], 1: [20n, 0], 2: [-1n, 0] });
    // Without RequireStable: the last committed offset, as before.
    assert.deepEqual(await fetchV7('readers', false), { 0: [10n, 0], 1: [20n, 0], 2: [-1n, 0] });
    // Every committed partition (null topics) with the pending one unstable.
    assert.deepEqual(await fetchV7('readers', true, null), { 0: [-1n, UNSTABLE], 1: [20n, 0] });
    // v8 and v9: each group answered on its own.
    for (const version of [8, 9]) {
      assert.deepEqual(await fetchV8(['readers', 'bystanders'], true, version), {
        readers: { 0: [-1n, UNSTABLE], 1: [20n, 0], 2: [-1n, 0] },
        bystanders: { 0: [-1n, 0], 1: [-1n, 0], 2: [-1n, 0] },
      });
    }
    assert.deepEqual((await fetchV8(['readers'], false)).readers, { 0: [10n, 0], 1: [20n, 0], 2: [-1n, 0] });

    await endTxn(producer, true);
    assert.deepEqual(await fetchV7('readers', true), { 0: [15n, 0], 1: [20n, 0], 2: [-1n, 0] });
    assert.deepEqual((await fetchV8(['readers'], true)).readers, { 0: [15n, 0], 1: [20n, 0], 2: [-1n, 0] });
  });

  it('keeps the old offset after an abort, and marks a group known only from its transaction', async () => {
    await commitPlain('aborters', 2, 30n);
    const kept = await txnCommitOffset('abort-writer', 'aborters', 2, 99n);
    const fresh = await txnCommitOffset('fresh-writer', 'fresh-group', 1, 7n);
    assert.deepEqual(await fetchV7('aborters', true), { 0: [-1n, 0], 1: [-1n, 0], 2: [-1n, UNSTABLE] });
    assert.deepEqual(await fetchV7('fresh-group', true), { 0: [-1n, 0], 1: [-1n, UNSTABLE], 2: [-1n, 0] });

    await endTxn(kept, false);
    await endTxn(fresh, false);
    assert.deepEqual(await fetchV7('aborters', true), { 0: [-1n, 0], 1: [-1n, 0], 2: [30n, 0] });
    assert.deepEqual(await fetchV7('fresh-group', true), { 0: [-1n, 0], 1: [-1n, 0], 2: [-1n, 0] });
  });

  it("lets Sluice's client retry UNSTABLE_OFFSET_COMMIT until the transaction completes", async () => {
    const producer = await txnCommitOffset('retry-writer', 'retriers', 1, 42n);
    const admin = new Admin({
      bootstrap: broker.bootstrap,
      retry: { initialMs: 20, maxMs: 50, attemptsMax: 100 },
    });
    try {
      let settled = false;
      const listing = admin
        .listConsumerGroupOffsets('retriers', [{ topic: TOPIC, partition: 1 }])
        .finally(() => {
          settled = true;
        });
      await new Promise((resolve) => setTimeout(resolve, 150));
      assert.equal(settled, false, 'still retrying while the offset is pending');
      await endTxn(producer, true);
      const offsets = await listing;
      assert.deepEqual(
        offsets.map((o) => [o.partition, o.offset]),
        [[1, 42n]],
      );
    } finally {
      admin.close();
    }
  });
});
