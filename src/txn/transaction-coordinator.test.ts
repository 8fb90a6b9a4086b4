import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode } from '../protocol/error-codes.ts';
import { type LogFixture, memoryFixture } from '../storage/log-fixture.ts';
import { TransactionCoordinator } from './transaction-coordinator.ts';
import { TransactionLog } from './transaction-log.ts';
import {
  decodeTxnLogValue,
  encodeTxnLogValue,
  transactionStatePartitionFor,
} from './transaction-log-records.ts';
import { tpKey } from './transaction-state.ts';

async function open(f: LogFixture) {
  const logs = await f.open();
  if (logs.describeTopic('t') === undefined) await logs.createTopic('t', 2);
  const txns = await TransactionCoordinator.open({
    log: await TransactionLog.open(logs, 2),
    logs,
    notify: () => {},
    groups: () => undefined,
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
