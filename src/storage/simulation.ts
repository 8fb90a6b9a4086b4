// A deterministic simulation of the storage layer on the fault-injecting disk: random appends
// (some concurrent), flushes, rolls, retention, DeleteRecords, compaction, clean restarts,
// process crashes, power losses and injected I/O faults, checking after each restart that
//  - every record acknowledged and flushed before the crash is present at its offset,
//  - offsets only grow, contiguously unless compaction removed records,
//  - no corrupt batch is ever returned by a read,
//  - a compacted log holds the latest value of every key,
//  - nothing below an acknowledged DeleteRecords or a completed retention pass comes back,
//  - on compacted topics with transactions (simulation-txn.ts), read_committed never shows
//    aborted data and shows the latest committed value of every key.
// Used by simulation.test.ts (many small seeds) and soak.ts (long runs).
import { decodeRecordBatch } from '../protocol/records/record-batch.ts';
import { StorageError } from './errors.ts';
import { MemoryDisk } from './fs/memory-disk.ts';
import { MemoryFileSystem } from './fs/memory-file-system.ts';
import { ManualClock } from './log-fixture.ts';
import { LogManager } from './log-manager.ts';
import type { PartitionLog } from './partition-log.ts';
import { Prng } from './prng.ts';
import {
  SimulationFailure,
  SimulationProducer,
  type TxnModel,
  txnOf,
  verifyReadCommitted,
} from './simulation-txn.ts';
import { makeBatch, recordsOf } from './test-batches.ts';

export interface SimulationOptions {
  steps: number;
  partitions?: number;
  /** Run the cleaner step (compaction) on a compact topic. */
  compaction?: boolean;
}

interface Model extends TxnModel {
  /** Value written at each offset still expected (acknowledged appends), by offset. */
  written: Map<number, { key: string | null; value: string | null }>;
  /** Offsets below this were fsynced before the last crash: they must survive it. */
  durableEnd: number;
  /** DeleteRecords acknowledged, or retention completed, up to here: never readable again. */
  deletedBefore: number;
  compacted: boolean;
  /** Values of appends that failed: they may or may not have reached the log. */
  uncertain: Set<string | null>;
}

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new SimulationFailure(message);
}

export async function runSimulation(seed: number, options: SimulationOptions): Promise<void> {
  const rng = new Prng(seed);
  const disk = new MemoryDisk();
  const clock = new ManualClock();
  const partitions = options.partitions ?? 2;
  const compact = options.compaction === true && rng.chance(0.5);
  const configs: Record<string, string> = {
    'segment.bytes': String(rng.int(200, 3000)),
    'index.interval.bytes': String(rng.int(0, 600)),
    'flush.messages': rng.pick(['1', '2', '1000000']),
    'retention.ms': rng.pick(['-1', '50000']),
    'retention.bytes': rng.pick(['-1', '4000']),
    'cleanup.policy': compact ? rng.pick(['compact', 'compact,delete']) : 'delete',
    'delete.retention.ms': '100000',
  };
  let fs = new MemoryFileSystem(disk);
  let manager = await LogManager.open('/data', fs, { clock });
  await manager.createTopic('t', partitions, configs);
  const models: Model[] = Array.from({ length: partitions }, () => ({
    written: new Map(),
    durableEnd: 0,
    deletedBefore: 0,
    compacted: false,
    uncertain: new Set<string | null>(),
    outcomes: new Map(),
  }));
  const producers = models.map((_, p) => new SimulationProducer(BigInt(1000 + p)));
  let producerIds = 2000;
  let transactions = 0;
  let serial = 0;
  let faulted = false;
  for (let step = 0; step < options.steps; step++) {
    const p = rng.int(0, partitions - 1);
    const log = manager.partition('t', p)!;
    const model = models[p]!;
    const roll = rng.next();
    clock.now += rng.int(0, 2000);
    if (roll < 0.45 && compact && rng.chance(0.3)) {
      await producers[p]!.step(log, model, rng, () => transactions++, clock.now);
    } else if (roll < 0.45) {
      const burst = rng.chance(0.2) ? rng.int(2, 6) : 1;
      const appends = [];
      for (let b = 0; b < burst; b++) {
        const records = Array.from({ length: rng.int(1, 4) }, () => ({
          key: compact ? `k${rng.int(0, 7)}` : null,
          value: compact && rng.chance(0.1) ? null : `v${serial++}`,
        }));
        appends.push(append(log, model, records, clock.now));
      }
      await Promise.all(appends);
    } else if (roll < 0.55) {
      await log.flush().catch(expectOffline(log));
    } else if (roll < 0.6) {
      await log.roll().catch(expectOffline(log));
    } else if (roll < 0.65) {
      clock.now += rng.int(0, 60_000);
      const deleted = await log.enforceRetention().catch(expectOffline(log));
      // Segments deleted by retention stay deleted across any crash: the log never starts lower again.
      if (deleted !== undefined) model.deletedBefore = Math.max(model.deletedBefore, log.logStartOffset);
    } else if (roll < 0.68 && log.logEndOffset > log.logStartOffset) {
      const target = rng.int(log.logStartOffset, log.logEndOffset);
      const result = await log.deleteRecordsBefore(target).catch(expectOffline(log));
      if (result !== undefined) model.deletedBefore = Math.max(model.deletedBefore, target);
    } else if (roll < 0.72 && compact) {
      await manager.compact(true);
      for (const m of models) m.compacted = true;
    } else if (roll < 0.75) {
      faulted = true;
      disk.failNext(
        rng.pick(['write', 'sync', 'truncate'] as const),
        rng.chance(0.5) ? { fail: 'EIO' } : { tearFraction: rng.next() },
        `t-${p}/`,
      );
    } else if (roll < 0.8) {
      await manager.close().catch(() => {});
      disk.powerLoss(() => 0.999999);
      ({ fs, manager } = await restart(disk, clock, models, true));
      for (const [i, m] of models.entries())
        await producers[i]!.settle(manager.partition('t', i)!, m, BigInt(producerIds++), clock.now);
      await verifyAll(manager, models, seed, step);
      faulted = false;
    } else if (roll < 0.88) {
      for (const [i, m] of models.entries()) m.durableEnd = manager.partition('t', i)!.flushedOffset;
      disk.powerLoss(() => rng.next());
      ({ fs, manager } = await restart(disk, clock, models, false));
      for (const [i, m] of models.entries())
        await producers[i]!.settle(manager.partition('t', i)!, m, BigInt(producerIds++), clock.now);
      await verifyAll(manager, models, seed, step);
      faulted = false;
    } else {
      await verifyPartition(log, model, seed, step, faulted);
    }
  }
  await manager.close().catch(() => {});
}

async function append(
  log: PartitionLog,
  model: Model,
  records: Array<{ key: string | null; value: string | null }>,
  nowMs: number,
): Promise<void> {
  try {
    const result = await log.append(await makeBatch(records, nowMs));
    for (let i = 0; i < records.length; i++) model.written.set(result.baseOffset + i, records[i]!);
  } catch (error) {
    for (const r of records) model.uncertain.add(r.value);
    expectOffline(log)(error);
  }
}

/** Storage errors are expected only once a fault was injected (the partition then goes offline). */
function expectOffline(log: PartitionLog): (error: unknown) => undefined {
  return (error) => {
    if (error instanceof StorageError && log.isOffline) return undefined;
    if (error instanceof StorageError && error.code === 'append_queue_full') return undefined;
    throw error;
  };
}

async function restart(
  disk: MemoryDisk,
  clock: ManualClock,
  models: Model[],
  clean: boolean,
): Promise<{ fs: MemoryFileSystem; manager: LogManager }> {
  const fs = new MemoryFileSystem(disk);
  const manager = await LogManager.open('/data', fs, { clock });
  for (const [p, model] of models.entries()) {
    const log = manager.partition('t', p)!;
    if (clean) model.durableEnd = Math.max(model.durableEnd, Math.min(log.logEndOffset, model.durableEnd));
    // Appends past the recovered end were lost (not flushed); their offsets will be reused.
    for (const offset of model.written.keys()) if (offset >= log.logEndOffset) model.written.delete(offset);
  }
  return { fs, manager };
}

async function verifyAll(manager: LogManager, models: Model[], seed: number, step: number): Promise<void> {
  for (const [p, model] of models.entries())
    await verifyPartition(manager.partition('t', p)!, model, seed, step, false);
}

async function verifyPartition(
  log: PartitionLog,
  model: Model,
  seed: number,
  step: number,
  faulted: boolean,
): Promise<void> {
  const where = `seed ${seed} step ${step} partition ${log.partition}`;
  if (log.isOffline) {
    check(faulted, `${where}: partition offline without an injected fault: ${log.offlineError?.message}`);
    return;
  }
  check(
    log.logEndOffset >= model.durableEnd,
    `${where}: log ends at ${log.logEndOffset} before flushed offset ${model.durableEnd}`,
  );
  check(
    log.logStartOffset >= model.deletedBefore,
    `${where}: log start ${log.logStartOffset} below DeleteRecords ${model.deletedBefore}`,
  );
  const seen = await readEverything(log, where);
  let previous = log.logStartOffset - 1;
  for (const record of seen) {
    if (record.control) {
      check(
        !model.written.has(record.offset),
        `${where}: a marker at ${record.offset} where a record was acknowledged`,
      );
      previous = record.offset;
      continue;
    }
    check(record.offset > previous, `${where}: offset ${record.offset} after ${previous}`);
    check(
      model.compacted || record.offset === previous + 1 || previous < log.logStartOffset,
      `${where}: gap before offset ${record.offset}`,
    );
    const expected = model.written.get(record.offset);
    if (expected === undefined && model.uncertain.has(record.value)) {
      model.written.set(record.offset, { key: record.key, value: record.value });
      previous = record.offset;
      continue;
    }
    check(
      expected !== undefined && expected.value === record.value && expected.key === record.key,
      `${where}: offset ${record.offset} holds ${record.key}=${record.value}, expected ${expected?.key}=${expected?.value}`,
    );
    previous = record.offset;
  }
  const present = new Set(seen.map((r) => r.offset));
  const latest = new Map<string, number>();
  for (const [offset, r] of model.written)
    if (r.key !== null && offset >= log.logStartOffset)
      latest.set(r.key, Math.max(latest.get(r.key) ?? -1, offset));
  for (const [offset] of model.written) {
    if (offset < log.logStartOffset || offset >= model.durableEnd) continue;
    const r = model.written.get(offset)!;
    const superseded = r.key !== null && latest.get(r.key)! > offset;
    const txn = txnOf(r.value);
    const aborted = txn !== undefined && model.outcomes.get(txn) === 'abort';
    if (model.compacted && (superseded || r.value === null || aborted)) continue;
    check(present.has(offset), `${where}: flushed offset ${offset} (${r.key}=${r.value}) is missing`);
  }
  await verifyReadCommitted(log, model, where);
}

async function readEverything(log: PartitionLog, where: string) {
  const out: Array<{ offset: number; key: string | null; value: string | null; control?: true }> = [];
  let offset = log.logStartOffset;
  // Bounded by the log end: each read returns at least one batch or ends the loop.
  for (let reads = 0; offset < log.logEndOffset && reads < 100_000; reads++) {
    const { batches } = await log.read(offset, 700).catch((error: unknown) => {
      throw new SimulationFailure(`${where}: read at ${offset} failed: ${String(error)}`);
    });
    if (batches.length === 0) break;
    for (const bytes of batches) {
      const batch = decodeRecordBatch(bytes);
      if (batch.control)
        out.push({ offset: Number(batch.header.baseOffset), key: null, value: null, control: true });
      else out.push(...(await recordsOf([bytes])).filter((r) => r.offset >= offset));
    }
    const lastBatch = batches.at(-1)!;
    offset = Number(lastBatch.readBigInt64BE(0)) + lastBatch.readInt32BE(23) + 1;
  }
  return out;
}
