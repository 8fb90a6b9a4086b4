// Crash at every point of a commit or an abort: the disk stops taking writes after its k-th
// operation of EndTxn (for every k), loses power (keeping a seeded random prefix of what was not
// fsynced), and the broker's storage and coordinator are opened again. The transaction must end
// up fully committed or fully aborted on every partition, never open, and an acknowledged
// EndTxn's outcome must survive.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode } from '../protocol/error-codes.ts';
import { readBatchHeader } from '../protocol/records/batch-header.ts';
import { encodeRecordBatch } from '../protocol/records/record-batch.ts';
import type { MemoryDisk } from '../storage/fs/memory-disk.ts';
import { type LogFixture, memoryFixture } from '../storage/log-fixture.ts';
import type { LogManager } from '../storage/log-manager.ts';
import { Prng } from '../storage/prng.ts';
import { producerBatchAt } from './producer-batch.ts';
import { TransactionCoordinator } from './transaction-coordinator.ts';
import { TransactionLog } from './transaction-log.ts';

const PARTITIONS = 3;
const TIMEOUT_MS = 60_000;

async function openCoordinator(f: LogFixture): Promise<{ logs: LogManager; txns: TransactionCoordinator }> {
  const logs = await f.open();
  if (logs.describeTopic('data') === undefined)
    await logs.createTopic('data', PARTITIONS, { 'flush.messages': '1' });
  const log = await TransactionLog.open(logs, 2);
  const txns = await TransactionCoordinator.open({
    log,
    logs,
    notify: () => {},
    groups: () => undefined,
    clock: f.clock,
    timers: false,
  });
  return { logs, txns };
}

/** Opens a transaction over every partition of 'data' with two records each, all durable. */
async function prepare(f: LogFixture) {
  const { logs, txns } = await openCoordinator(f);
  const init = await txns.initProducerId('writer', TIMEOUT_MS, -1n, -1);
  assert.equal(init.errorCode, ErrorCode.none);
  const partitions = Array.from({ length: PARTITIONS }, (_, partition) => ({ topic: 'data', partition }));
  const added = await txns.addPartitions('writer', init.producerId, init.producerEpoch, partitions, false);
  assert.ok([...added.values()].every((code) => code === ErrorCode.none));
  for (const { partition } of partitions) {
    const batch = await encodeRecordBatch({
      transactional: true,
      producerId: init.producerId,
      producerEpoch: init.producerEpoch,
      baseSequence: 0,
      baseTimestamp: BigInt(f.clock.now),
      records: [0, 1].map((i) => ({
        offsetDelta: i,
        timestampDelta: 0n,
        key: null,
        value: Buffer.from(`v${i}`),
        headers: [],
      })),
    });
    await logs.partition('data', partition)!.append(batch, {
      verifyTransaction: (id, epoch) => txns.verifyPartition(id, epoch, 'data', partition),
    });
  }
  return { logs, txns, producerId: init.producerId, epoch: init.producerEpoch };
}

/** Counts disk operations while `work` runs, failing every one after the first `crashAfter`. */
function armCrash(disk: MemoryDisk, crashAfter: number): { count: () => number } {
  let seen = 0;
  disk.injectFault = () => {
    seen++;
    return seen > crashAfter ? { fail: 'EIO' } : undefined;
  };
  return { count: () => seen };
}

interface Outcome {
  /** Per partition, the marker types written for the producer (a marker rewritten after a crash repeats). */
  markers: string[];
  open: boolean;
}

async function outcome(logs: LogManager, producerId: bigint): Promise<Outcome> {
  const result: Outcome = { markers: [], open: false };
  for (let p = 0; p < PARTITIONS; p++) {
    const log = logs.partition('data', p)!;
    if (log.lastStableOffset !== log.logEndOffset) result.open = true;
    const { batches } = await log.read(0, 1 << 20);
    const markers = batches
      .filter((b) => readBatchHeader(b).producerId === producerId)
      .map((b) => producerBatchAt(b, 0, b.length).marker?.type)
      .filter((t) => t !== undefined);
    result.markers.push([...new Set(markers)].join('+'));
  }
  return result;
}

async function crashDuringEnd(
  commit: boolean,
  crashAfter: number,
  seed: number,
): Promise<{ crashed: boolean }> {
  const f = await memoryFixture();
  const disk = f.disk!;
  const { txns, producerId, epoch } = await prepare(f);
  const crash = armCrash(disk, crashAfter);
  const code = await txns.endTxn('writer', producerId, epoch, commit);
  await txns.settle();
  const crashed = crash.count() > crashAfter;
  disk.injectFault = undefined;
  const rng = new Prng(seed);
  disk.powerLoss(() => rng.next());
  f.remount();

  const recovered = await openCoordinator(f);
  await recovered.txns.settle();
  // An Ongoing transaction (the Prepare record was lost) aborts once its timeout passes.
  f.clock.now += TIMEOUT_MS + 1;
  recovered.txns.tick();
  await recovered.txns.settle();
  const state = recovered.txns.describe('writer').state;
  const seen = await outcome(recovered.logs, producerId);
  const where = `commit=${commit} crashAfter=${crashAfter} seed=${seed} state=${state} markers=${seen.markers.join(',')}`;
  assert.ok(state === 'CompleteCommit' || state === 'CompleteAbort', `transaction did not finish: ${where}`);
  const expected = state === 'CompleteCommit' ? 'commit' : 'abort';
  assert.equal(seen.open, false, `a partition still has the transaction open: ${where}`);
  assert.deepEqual(
    seen.markers,
    Array(PARTITIONS).fill(expected),
    `markers disagree with the outcome: ${where}`,
  );
  if (code === ErrorCode.none)
    assert.equal(expected, commit ? 'commit' : 'abort', `acknowledged outcome lost: ${where}`);
  return { crashed };
}

describe('transactions under crashes', () => {
  for (const commit of [true, false]) {
    it(`${commit ? 'commit' : 'abort'} ends fully committed or fully aborted wherever the disk stops`, async () => {
      let crashAfter = 0;
      // Bounded: EndTxn does a fixed number of disk operations; the first k without a crash ends it.
      for (; crashAfter < 500; crashAfter++) {
        const { crashed } = await crashDuringEnd(commit, crashAfter, crashAfter + 1);
        if (!crashed) break;
      }
      assert.ok(crashAfter > 5 && crashAfter < 500, `EndTxn took ${crashAfter} disk operations`);
    });
  }
});
