// The exactly-once drill shared by the log bindings' tests: a windowed count from an input topic
// to an output topic is killed between storing a checkpoint and committing its transactions (the
// hardest moment: the restart must commit what the checkpoint sealed, by producer id and epoch,
// and abort everything after it), restarted, and its output topic read with read_committed must
// equal an uninterrupted run's, record for record.
import assert from 'node:assert/strict';
import { partitionForKey } from '../../client/murmur2.ts';
import { MemoryCheckpointStorage } from '../../engine/checkpoint/memory-checkpoint-storage.ts';
import { EngineError } from '../../engine/engine-error.ts';
import type { Log } from '../../engine/log/log.ts';
import { runJob, startJob } from '../../engine/run-job.ts';
import { countEvents, type TopicWindowedCountsParams } from '../../engine/test-jobs/topic-windowed-counts.ts';
import type { LogOption } from '../resolve-log.ts';

const module = new URL('../../engine/test-jobs/topic-windowed-counts.ts', import.meta.url).href;
const ref = (params: TopicWindowedCountsParams) => ({ module, params });
const eventCount = 4000;
const partitions = 2;

/** A count event or any other keyed value at an event time, as the drill's producer writes it. */
export interface TimedEvent {
  readonly key: string;
  readonly value: unknown;
  readonly at: number;
}

/**
 * Creates `topic` with `partitionCount` partitions if it does not exist and appends the events in
 * one committed transaction, each to its key's partition (Kafka's murmur2), timestamped `at`.
 */
export async function produceEvents(
  log: Log,
  topic: string,
  events: readonly TimedEvent[] = countEvents(eventCount),
  partitionCount = partitions,
): Promise<void> {
  await log.ensureTopic(topic, partitionCount);
  const writer = log.transactionalWriter(`${topic}-producer`, 60_000);
  await writer.init();
  const byPartition = new Map<
    number,
    Array<{ key: Buffer; value: Buffer; headers: []; timestampMs: number }>
  >();
  for (const e of events) {
    const key = Buffer.from(e.key);
    const p = partitionForKey(key, partitionCount);
    let list = byPartition.get(p);
    if (list === undefined) {
      list = [];
      byPartition.set(p, list);
    }
    list.push({ key, value: Buffer.from(JSON.stringify(e.value)), headers: [], timestampMs: e.at });
  }
  for (const [p, records] of byPartition) await writer.append(topic, p, records);
  await writer.commit();
  await writer.close();
}

/**
 * The read_committed end of a partition once no transaction is open on it. Apache Kafka writes
 * commit markers after it acknowledges EndTxn, so right after a job finishes the last stable
 * offset may still trail the high watermark; waits (bounded) for the two to meet.
 */
async function settledEnd(log: Log, topic: string, p: number): Promise<number> {
  let stable = await log.endOffset(topic, p, true);
  for (let attempt = 0; attempt < 100 && stable < (await log.endOffset(topic, p, false)); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    stable = await log.endOffset(topic, p, true);
  }
  return stable;
}

/**
 * Every committed value of every partition, sorted (partition order is not part of the
 * contract). `settle` waits for finished jobs' markers; a crashed run's transaction stays open
 * until the restart, so its partial output is read without waiting.
 */
export async function readCommitted(log: Log, topic: string, settle = true): Promise<string[]> {
  const values: string[] = [];
  for (let p = 0; p < (await log.partitionCount(topic)); p++) {
    const end = settle ? await settledEnd(log, topic, p) : await log.endOffset(topic, p, true);
    const reader = await log.openReader(topic, p, 0, { readCommitted: true, endOffset: end });
    for (let round = 0; round < 10_000; round++) {
      const batch = await reader.read(1000, 100);
      for (const r of batch.records) values.push(Buffer.from(r.value!).toString());
      if (batch.endOfLog) break;
    }
    await reader.close();
  }
  return values.sort();
}

export async function crashAndRestart(
  name: string,
  log: Log,
  option: LogOption,
  executors: number,
): Promise<void> {
  const input = `${name}-events`;
  await produceEvents(log, input);
  const options = {
    log: option,
    executors,
    parallelism: partitions,
    trigger: { availableNow: true as const, recordsPerBatch: 500 },
  };
  await log.ensureTopic(`${name}-expected`, partitions);
  await log.ensureTopic(`${name}-actual`, partitions);
  const uninterrupted = await runJob(
    ref({ input, output: `${name}-expected`, groupId: `${name}-expected`, bounded: true }),
    options,
  );
  assert.equal(uninterrupted.state, 'finished');
  const expected = await readCommitted(log, `${name}-expected`);
  assert.equal(expected.length, 13 * (eventCount / 100), 'one count per user and window');

  const params = ref({ input, output: `${name}-actual`, groupId: `${name}-actual`, bounded: true });
  const checkpointStorage = new MemoryCheckpointStorage();
  let killedAt = 0;
  const first = await startJob(params, {
    ...options,
    checkpointStorage,
    // Stored, not yet committed: the kill lands between the two phases of the commit.
    onCheckpoint: async (checkpoint) => {
      if (checkpoint.id !== 3) return;
      killedAt = checkpoint.id;
      await first.terminateExecutor(0);
    },
  });
  await assert.rejects(first.done, (e: unknown) => e instanceof EngineError && e.code === 'executor_failed');
  assert.equal(killedAt, 3);
  const partial = await readCommitted(log, `${name}-actual`, false);
  assert.ok(partial.length < expected.length, `the first run stopped early (${partial.length} results)`);

  const second = await runJob(params, { ...options, checkpointStorage });
  assert.equal(second.state, 'finished');
  assert.deepEqual(await readCommitted(log, `${name}-actual`), expected);
  const committed = await log.committedOffsets(`${name}-actual`, input);
  let total = 0;
  for (let p = 0; p < partitions; p++) total += await log.endOffset(input, p, true);
  assert.equal(
    [...committed.values()].reduce((a, b) => a + b, 0),
    total,
    'the group committed the whole input',
  );
}
