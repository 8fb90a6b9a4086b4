import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode } from '../protocol/error-codes.ts';
import { type LogFixture, memoryFixture } from '../storage/log-fixture.ts';
import { TransactionCoordinator, type TxnGroupOffsets } from './transaction-coordinator.ts';
import { TransactionLog } from './transaction-log.ts';
import {
  decodeTxnLogValue,
  encodeTxnLogValue,
  transactionStatePartitionFor,
} from './transaction-log-records.ts';
import { tpKey } from './transaction-state.ts';

async function open(f: LogFixture, groups?: TxnGroupOffsets) {
  const logs = await f.open();
  if (logs.describeTopic('t') === undefined) await logs.createTopic('t', 2);
  const txns = await TransactionCoordinator.open({
    log: await TransactionLog.open(logs, 2),
    logs,
    notify: () => {},
    groups: () => groups,
    clock: f.clock,
    timers: false,
  });
  return { logs, txns };
}

describe('transaction log records', () => {
  it('round-trips a TransactionLogValue in Kafka’s version 0 layout', () => {
    const value = {
      producerId: 12n,
      producerEpoch: 3,
      timeoutMs: 60_000,
      state: 'Ongoing' as const,
      partitions: [tpKey('a', 0), tpKey('a', 2), tpKey('b', 1)],
      lastUpdateTimestampMs: 1_700_000_000_000,
      startTimestampMs: 1_699_999_999_000,
    };
    assert.deepEqual(decodeTxnLogValue(encodeTxnLogValue(value)), value);
  });

  it('places a transactional id on the partition Kafka would (abs(hashCode) mod count)', () => {
    assert.equal(transactionStatePartitionFor('abc', 50), 96354 % 50);
    assert.equal(transactionStatePartitionFor('', 50), 0);
  });
});

describe('TransactionCoordinator', () => {
  it('never hands out a producer id twice, even across a restart', async () => {
    const f = await memoryFixture();
    const first = await open(f);
    const a = await first.txns.initProducerId(null, 0, -1n, -1);
    const b = await first.txns.initProducerId('x', 10_000, -1n, -1);
    await first.txns.close();
    await first.logs.close();
    const second = await open(f);
    const c = await second.txns.initProducerId(null, 0, -1n, -1);
    const ids = [a.producerId, b.producerId, c.producerId];
    assert.equal(new Set(ids).size, 3, `ids ${ids.join(',')}`);
  });

  it('bumps the epoch on every InitProducerId and fences the older epoch', async () => {
    const { txns } = await open(await memoryFixture());
    const old = await txns.initProducerId('w', 10_000, -1n, -1);
    const current = await txns.initProducerId('w', 10_000, -1n, -1);
    assert.equal(current.producerId, old.producerId);
    assert.equal(current.producerEpoch, old.producerEpoch + 1);
    const added = await txns.addPartitions(
      'w',
      old.producerId,
      old.producerEpoch,
      [{ topic: 't', partition: 0 }],
      false,
    );
    assert.equal(added.get(tpKey('t', 0)), ErrorCode.producerFenced);
    assert.equal(await txns.endTxn('w', old.producerId, old.producerEpoch, true), ErrorCode.producerFenced);
  });

  it('answers UNKNOWN_TOPIC_OR_PARTITION for a missing partition and OPERATION_NOT_ATTEMPTED for the rest', async () => {
    const { txns } = await open(await memoryFixture());
    const p = await txns.initProducerId('w', 10_000, -1n, -1);
    const added = await txns.addPartitions(
      'w',
      p.producerId,
      p.producerEpoch,
      [
        { topic: 't', partition: 0 },
        { topic: 't', partition: 9 },
      ],
      false,
    );
    assert.equal(added.get(tpKey('t', 0)), ErrorCode.operationNotAttempted);
    assert.equal(added.get(tpKey('t', 9)), ErrorCode.unknownTopicOrPartition);
    assert.equal(txns.describe('w').state, 'Empty');
  });

  it('reloads an ongoing transaction from __transaction_state and aborts it once its timeout passes', async () => {
    const f = await memoryFixture();
    const first = await open(f);
    const p = await first.txns.initProducerId('w', 5_000, -1n, -1);
    await first.txns.addPartitions('w', p.producerId, p.producerEpoch, [{ topic: 't', partition: 1 }], false);
    await first.txns.close();
    await first.logs.close();
    const second = await open(f);
    const described = second.txns.describe('w');
    assert.equal(described.state, 'Ongoing');
    assert.deepEqual(described.partitions, [{ topic: 't', partition: 1 }]);
    f.clock.now += 5_001;
    second.txns.tick();
    await second.txns.settle();
    const after = second.txns.describe('w');
    assert.equal(after.state, 'CompleteAbort');
    assert.equal(after.producerEpoch, p.producerEpoch + 1, 'the timed-out producer is fenced');
  });
});

describe('TransactionCoordinator pending group offsets (RequireStable, KIP-447)', () => {
  /** Group offsets that accept every member and remember what transactions committed. */
  function recordingGroups() {
    const committed: string[] = [];
    const groups: TxnGroupOffsets = {
      validate: () => ErrorCode.none,
      commit: async (groupId, offsets) => {
        for (const o of offsets) committed.push(`${groupId}/${o.topic}-${o.partition}@${o.value.offset}`);
      },
    };
    return { groups, committed };
  }

  async function commitOffsetsInTxn(
    txns: TransactionCoordinator,
    transactionalId: string,
    groupId: string,
    offsets: { partition: number; offset: bigint }[],
  ) {
    const p = await txns.initProducerId(transactionalId, 10_000, -1n, -1);
    assert.equal(
      await txns.addOffsets(transactionalId, p.producerId, p.producerEpoch, groupId),
      ErrorCode.none,
    );
    const code = await txns.txnOffsetCommit({
      transactionalId,
      groupId,
      producerId: p.producerId,
      producerEpoch: p.producerEpoch,
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      offsets: offsets.map((o) => ({
        topic: 't',
        partition: o.partition,
        value: { offset: o.offset, leaderEpoch: -1, metadata: '' },
      })),
    });
    assert.equal(code, ErrorCode.none);
    return p;
  }

  it('holds a TxnOffsetCommit offset pending until the transaction commits or aborts', async () => {
    const { groups, committed } = recordingGroups();
    const { txns } = await open(await memoryFixture(), groups);
    const c = await txns.initProducerId('c', 10_000, -1n, -1);
    assert.equal(await txns.addOffsets('c', c.producerId, c.producerEpoch, 'g'), ErrorCode.none);
    assert.equal(txns.hasPendingOffsets('g', 't', 0), false, 'AddOffsetsToTxn alone leaves nothing pending');

    await commitOffsetsInTxn(txns, 'a', 'g', [{ partition: 0, offset: 5n }]);
    await commitOffsetsInTxn(txns, 'b', 'g', [
      { partition: 0, offset: 6n },
      { partition: 1, offset: 7n },
    ]);
    assert.equal(txns.hasPendingOffsets('g', 't', 0), true);
    assert.equal(txns.hasPendingOffsets('g', 't', 1), true);
    assert.equal(txns.hasPendingOffsets('other', 't', 0), false);
    assert.equal(txns.hasPendingOffsets('g', 'u', 0), false);

    const b = txns.describe('b');
    assert.equal(await txns.endTxn('b', b.producerId, b.producerEpoch, false), ErrorCode.none);
    assert.equal(txns.hasPendingOffsets('g', 't', 1), false, 'aborted: dropped');
    assert.equal(txns.hasPendingOffsets('g', 't', 0), true, "still pending in 'a'");

    const p = txns.describe('a');
    assert.equal(await txns.endTxn('a', p.producerId, p.producerEpoch, true), ErrorCode.none);
    assert.equal(txns.hasPendingOffsets('g', 't', 0), false, 'committed: applied');
    assert.deepEqual(committed, ['g/t-0@5']);
  });

  it('rebuilds pending offsets from __transaction_state and clears them when a timed-out transaction aborts', async () => {
    const f = await memoryFixture();
    const first = await open(f, recordingGroups().groups);
    await commitOffsetsInTxn(first.txns, 'w', 'g', [{ partition: 1, offset: 3n }]);
    await first.txns.close();
    await first.logs.close();

    const second = await open(f, recordingGroups().groups);
    assert.equal(second.txns.hasPendingOffsets('g', 't', 1), true);
    f.clock.now += 10_001;
    second.txns.tick();
    await second.txns.settle();
    assert.equal(second.txns.describe('w').state, 'CompleteAbort');
    assert.equal(second.txns.hasPendingOffsets('g', 't', 1), false);
    await second.txns.close();
    await second.logs.close();

    const third = await open(f, recordingGroups().groups);
    assert.equal(third.txns.hasPendingOffsets('g', 't', 1), false);
  });
});
