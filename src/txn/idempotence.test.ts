import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeEndTransactionBatch } from '../protocol/records/control-record.ts';
import { encodeRecordBatch } from '../protocol/records/record-batch.ts';
import { isStorageError } from '../storage/errors.ts';
import { memoryFixture } from '../storage/log-fixture.ts';

const isCode = (code: string) => (e: unknown) => isStorageError(e) && e.code === code;

interface BatchSpec {
  pid?: bigint;
  epoch?: number;
  seq: number;
  count?: number;
  transactional?: boolean;
}

function batch(spec: BatchSpec): Promise<Buffer> {
  const count = spec.count ?? 2;
  return encodeRecordBatch({
    producerId: spec.pid ?? 7n,
    producerEpoch: spec.epoch ?? 0,
    baseSequence: spec.seq,
    transactional: spec.transactional ?? false,
    baseTimestamp: 1_000n,
    records: Array.from({ length: count }, (_, i) => ({
      offsetDelta: i,
      timestampDelta: 0n,
      key: null,
      value: Buffer.from(`v${spec.seq + i}`),
      headers: [],
    })),
  });
}

function marker(type: 'commit' | 'abort', epoch = 0, pid = 7n): Promise<Buffer> {
  return encodeEndTransactionBatch({
    type,
    producerId: pid,
    producerEpoch: epoch,
    coordinatorEpoch: 0,
    timestamp: 2_000n,
  });
}

async function openLog() {
  const f = await memoryFixture();
  const manager = await f.open();
  await manager.createTopic('t', 1);
  return { f, manager, log: manager.partition('t', 0)! };
}

describe('idempotent appends', () => {
  it('answers a retried batch with its original offsets and writes nothing', async () => {
    const { log } = await openLog();
    await log.append(await batch({ seq: 0 }));
    const first = await log.append(await batch({ seq: 2 }));
    await log.append(await batch({ seq: 4 }));
    const retried = await log.append(await batch({ seq: 2 }));
    assert.equal(retried.duplicate, true);
    assert.equal(retried.baseOffset, first.baseOffset);
    assert.equal(retried.lastOffset, first.lastOffset);
    assert.equal(log.logEndOffset, 6);
  });

  it('remembers only the last five batches of a producer', async () => {
    const { log } = await openLog();
    for (let seq = 0; seq < 12; seq += 2) await log.append(await batch({ seq }));
    await assert.rejects(log.append(await batch({ seq: 0 })), isCode('out_of_order_sequence'));
    assert.equal((await log.append(await batch({ seq: 2 }))).duplicate, true);
  });

  it('refuses a sequence gap with out_of_order_sequence', async () => {
    const { log } = await openLog();
    await log.append(await batch({ seq: 0 }));
    await assert.rejects(log.append(await batch({ seq: 5 })), (e) => {
      return (
        isCode('out_of_order_sequence')(e) && /5 \(incoming\), 1 \(current end\)/.test((e as Error).message)
      );
    });
    assert.equal(log.logEndOffset, 2);
  });

  it('refuses an older epoch with invalid_producer_epoch once a newer one has written', async () => {
    const { log } = await openLog();
    await log.append(await batch({ seq: 0, epoch: 0 }));
    await log.append(await batch({ seq: 0, epoch: 1 }));
    await assert.rejects(log.append(await batch({ seq: 2, epoch: 0 })), isCode('invalid_producer_epoch'));
  });

  it('requires a new epoch to start at sequence 0', async () => {
    const { log } = await openLog();
    await log.append(await batch({ seq: 0, epoch: 0 }));
    await assert.rejects(log.append(await batch({ seq: 2, epoch: 1 })), isCode('out_of_order_sequence'));
  });

  it('answers unknown_producer_id for a producer it has no state for whose sequence is not 0', async () => {
    const { log } = await openLog();
    await assert.rejects(log.append(await batch({ seq: 9, pid: 42n })), isCode('unknown_producer_id'));
  });

  it('keeps producer state across a clean restart and after a crash', async () => {
    const { f, manager, log } = await openLog();
    await log.append(await batch({ seq: 0 }));
    await log.roll();
    await log.append(await batch({ seq: 2 }));
    await manager.close();
    const reopened = await f.open();
    const again = reopened.partition('t', 0)!;
    assert.equal((await again.append(await batch({ seq: 2 }))).duplicate, true);
    await again.append(await batch({ seq: 4 }));
    await again.flush();
    f.disk!.powerLoss(() => 0);
    f.remount();
    const recovered = (await f.open()).partition('t', 0)!;
    assert.equal((await recovered.append(await batch({ seq: 4 }))).duplicate, true);
    await assert.rejects(recovered.append(await batch({ seq: 9 })), isCode('out_of_order_sequence'));
  });
});

describe('transactional appends', () => {
  it('holds the last stable offset at an open transaction and lists it as aborted after an abort marker', async () => {
    const { log } = await openLog();
    await log.append(await batch({ seq: 0, pid: 1n }));
    await log.append(await batch({ seq: 0, transactional: true }));
    await log.append(await batch({ seq: 2, pid: 1n }));
    assert.equal(log.lastStableOffset, 2);
    await log.append(await marker('abort'));
    assert.equal(log.lastStableOffset, log.logEndOffset);
    assert.deepEqual(log.abortedTransactions(0, 100), [
      { producerId: 7n, firstOffset: 2, lastOffset: 6, lastStableOffset: 7 },
    ]);
    assert.deepEqual(log.abortedTransactions(7, 100), []);
  });

  it('refuses a non-transactional write while the producer has a transaction open', async () => {
    const { log } = await openLog();
    await log.append(await batch({ seq: 0, transactional: true }));
    await assert.rejects(log.append(await batch({ seq: 2 })), isCode('invalid_txn_state'));
    await log.append(await marker('commit'));
    await log.append(await batch({ seq: 2 }));
  });

  it('asks the verifier before a transactional batch is written', async () => {
    const { log } = await openLog();
    const verifyTransaction = () => ({
      code: 'invalid_txn_state' as const,
      message: 'partition not in the transaction',
    });
    await assert.rejects(
      log.append(await batch({ seq: 0, transactional: true }), { verifyTransaction }),
      isCode('invalid_txn_state'),
    );
    assert.equal(log.logEndOffset, 0);
  });

  it('rebuilds open transactions and the aborted index after a crash', async () => {
    const { f, log } = await openLog();
    await log.append(await batch({ seq: 0, transactional: true }));
    await log.append(await marker('abort'));
    await log.roll();
    await log.append(await batch({ seq: 0, pid: 9n, transactional: true }));
    await log.append(await batch({ seq: 2, transactional: true }));
    await log.append(await marker('abort'));
    await log.flush();
    f.disk!.powerLoss(() => 0);
    f.remount();
    const recovered = (await f.open()).partition('t', 0)!;
    assert.equal(recovered.lastStableOffset, 3);
    assert.deepEqual(
      recovered.abortedTransactions(0, 100).map((a) => [a.firstOffset, a.lastOffset]),
      [
        [0, 2],
        [5, 7],
      ],
    );
  });
});
