// One contract for every binding of the engine's Log (Hono's runTest({ newRouter }) shape): each
// binding's test file calls runLogContract with a factory, so the embedded broker, Sluice over
// TCP and Apache Kafka are held to the same behaviour: read_committed visibility, the last stable
// offset, fencing, transactional offsets, resuming a transaction after a crash, bounded reads.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import type { ConsumedOffsets, Log, LogAppend, LogRecord, PartitionReader } from '../engine/log/log.ts';

export interface LogUnderTest {
  readonly log: Log;
  close(): Promise<void>;
}

export interface LogContractOptions {
  readonly name: string;
  readonly newLog: () => Promise<LogUnderTest>;
  /** A reason to skip the whole suite (e.g. Apache Kafka is not installed), or false. */
  readonly skip?: string | false;
}

const text = (s: string) => Buffer.from(s, 'utf8');

function appends(values: readonly string[], key: string | null = null, timestampMs = 1_000): LogAppend[] {
  return values.map((v, i) => ({
    key: key === null ? null : text(key),
    value: text(v),
    headers: [{ key: 'h', value: text(`h-${v}`) }],
    timestampMs: timestampMs + i,
  }));
}

/** Reads until `count` records arrived or a read comes back empty after some did. Bounded by rounds. */
async function readValues(reader: PartitionReader, count: number, rounds = 40): Promise<string[]> {
  const values: string[] = [];
  for (let i = 0; i < rounds && values.length < count; i++) {
    const batch = await reader.read(1000, 250);
    for (const r of batch.records) values.push(Buffer.from(r.value!).toString('utf8'));
    if (batch.endOfLog) break;
  }
  return values;
}

async function readAll(log: Log, topic: string, readCommitted: boolean, expected: number): Promise<string[]> {
  const reader = await log.openReader(topic, 0, 0, { readCommitted, endOffset: null });
  try {
    return await readValues(reader, expected);
  } finally {
    await reader.close();
  }
}

/**
 * Asks until `done` holds for the answer (bounded rounds). Apache Kafka acknowledges EndTxn once
 * the decision is durable and writes markers and transactional offsets afterwards, so the last
 * stable offset and committed offsets may trail a commit for a moment.
 */
async function eventually<T>(ask: () => Promise<T>, done: (value: T) => boolean, rounds = 50): Promise<T> {
  let value = await ask();
  for (let i = 1; i < rounds && !done(value); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await ask();
  }
  return value;
}

function topicName(what: string): string {
  return `contract-${what}-${randomBytes(4).toString('hex')}`;
}

export function runLogContract(options: LogContractOptions): void {
  const skip = options.skip ?? false;
  describe(`Log contract: ${options.name}`, { skip }, () => {
    let subject: LogUnderTest | null = null;
    const log = async (): Promise<Log> => {
      subject ??= await options.newLog();
      return subject.log;
    };
    test.after(async () => {
      await subject?.close();
    });

    test('partitionCount() answers for a topic ensureTopic() made and rejects naming an unknown one', async () => {
      const l = await log();
      const topic = topicName('count');
      await l.ensureTopic(topic, 3);
      await l.ensureTopic(topic, 5);
      assert.equal(await l.partitionCount(topic), 3);
      await assert.rejects(l.partitionCount(`${topic}-missing`), new RegExp(`${topic}-missing`));
    });

    test('committed appends reach read_committed readers in order, with key, headers and timestamp', async () => {
      const l = await log();
      const topic = topicName('commit');
      await l.ensureTopic(topic, 1);
      const writer = l.transactionalWriter(`${topic}-w`, 60_000);
      await writer.init();
      await writer.append(topic, 0, appends(['a', 'b', 'c'], 'k', 5_000));
      await writer.commit();
      await writer.close();
      const reader = await l.openReader(topic, 0, 0, { readCommitted: true, endOffset: null });
      const records: LogRecord[] = [];
      for (let i = 0; i < 40 && records.length < 3; i++)
        records.push(...(await reader.read(10, 250)).records);
      await reader.close();
      assert.deepEqual(
        records.map((r) => Buffer.from(r.value!).toString()),
        ['a', 'b', 'c'],
      );
      assert.deepEqual(
        records.map((r) => r.offset),
        [0, 1, 2],
      );
      assert.equal(Buffer.from(records[1]!.key!).toString(), 'k');
      assert.equal(records[2]!.timestampMs, 5_002);
      assert.equal(records[0]!.headers[0]!.key, 'h');
      assert.equal(Buffer.from(records[0]!.headers[0]!.value!).toString(), 'h-a');
    });

    test('an aborted transaction is hidden from read_committed readers and seen by read_uncommitted ones', async () => {
      const l = await log();
      const topic = topicName('abort');
      await l.ensureTopic(topic, 1);
      const writer = l.transactionalWriter(`${topic}-w`, 60_000);
      await writer.init();
      await writer.append(topic, 0, appends(['gone-1', 'gone-2']));
      await writer.abort();
      await writer.append(topic, 0, appends(['kept']));
      await writer.commit();
      await writer.close();
      assert.deepEqual(await readAll(l, topic, true, 1), ['kept']);
      assert.deepEqual(await readAll(l, topic, false, 3), ['gone-1', 'gone-2', 'kept']);
    });

    test('read_committed readers stop at an open transaction until it commits', async () => {
      const l = await log();
      const topic = topicName('lso');
      await l.ensureTopic(topic, 1);
      const first = l.transactionalWriter(`${topic}-a`, 60_000);
      const second = l.transactionalWriter(`${topic}-b`, 60_000);
      await first.init();
      await second.init();
      await first.append(topic, 0, appends(['open']));
      await second.append(topic, 0, appends(['after']));
      await second.commit();
      const reader = await l.openReader(topic, 0, 0, { readCommitted: true, endOffset: null });
      const before = await reader.read(10, 300);
      assert.deepEqual(before.records, [], 'nothing past the open transaction is visible');
      assert.equal(await l.endOffset(topic, 0, true), 0, 'the last stable offset is the open transaction');
      await first.commit();
      assert.deepEqual(await readValues(reader, 2), ['open', 'after']);
      await reader.close();
      await first.close();
      await second.close();
    });

    test('a bounded reader ends at the end offset it was given, whatever is appended later', async () => {
      const l = await log();
      const topic = topicName('bounded');
      await l.ensureTopic(topic, 1);
      const writer = l.transactionalWriter(`${topic}-w`, 60_000);
      await writer.init();
      await writer.append(topic, 0, appends(['1', '2']));
      await writer.commit();
      const end = await eventually(
        () => l.endOffset(topic, 0, true),
        (e) => e >= 2,
      );
      assert.ok(end >= 2, `the end offset ${end} covers both records (and the commit marker)`);
      await writer.append(topic, 0, appends(['later']));
      await writer.commit();
      await writer.close();
      const reader = await l.openReader(topic, 0, 0, { readCommitted: true, endOffset: end });
      const values: string[] = [];
      let ended = false;
      for (let i = 0; i < 40 && !ended; i++) {
        const batch = await reader.read(1, 200);
        for (const r of batch.records) values.push(Buffer.from(r.value!).toString());
        ended = batch.endOfLog;
        if (ended) assert.equal(batch.nextOffset, end);
      }
      await reader.close();
      assert.ok(ended, 'the reader reported the end');
      assert.deepEqual(values, ['1', '2']);
    });

    test('offsets added to a transaction become the group committed offsets only when it commits', async () => {
      const l = await log();
      const topic = topicName('offsets');
      const group = `${topic}-group`;
      await l.ensureTopic(topic, 2);
      const consumed = (next: number): ConsumedOffsets[] => [
        {
          groupId: group,
          topic,
          offsets: [
            { partition: 0, nextOffset: next },
            { partition: 1, nextOffset: next + 1 },
          ],
          metadata: 'contract',
        },
      ];
      const writer = l.transactionalWriter(`${topic}-w`, 60_000);
      await writer.init();
      await writer.addOffsets(consumed(5));
      await writer.abort();
      await writer.append(topic, 0, appends(['x']));
      await writer.commit();
      // The commit's marker is readable once the abort's is: then no offset of the abort exists.
      await readAll(l, topic, true, 1);
      assert.deepEqual([...(await l.committedOffsets(group, topic))], []);
      await writer.addOffsets(consumed(7));
      await writer.commit();
      await writer.close();
      const committed = await eventually(
        () => l.committedOffsets(group, topic),
        (c) => c.size === 2,
      );
      assert.equal(committed.get(0), 7);
      assert.equal(committed.get(1), 8);
    });

    test('init() of a new writer with the same transactional id fences the old one and aborts its transaction', async () => {
      const l = await log();
      const topic = topicName('fence');
      await l.ensureTopic(topic, 1);
      const zombie = l.transactionalWriter(`${topic}-w`, 60_000);
      await zombie.init();
      await zombie.append(topic, 0, appends(['zombie']));
      const fresh = l.transactionalWriter(`${topic}-w`, 60_000);
      await fresh.init();
      await fresh.append(topic, 0, appends(['fresh']));
      await fresh.commit();
      await assert.rejects(
        (async () => {
          await zombie.append(topic, 0, appends(['late']));
          await zombie.commit();
        })(),
        /fenced|epoch|FENCED|EPOCH|INVALID_TXN_STATE/i,
      );
      await zombie.close().catch(() => undefined);
      await fresh.close();
      assert.deepEqual(await readAll(l, topic, true, 1), ['fresh']);
    });

    test('commitTransaction() commits a transaction another writer left open, and repeating it changes nothing', async () => {
      const l = await log();
      const topic = topicName('resume');
      const group = `${topic}-group`;
      await l.ensureTopic(topic, 1);
      const crashed = l.transactionalWriter(`${topic}-w`, 60_000);
      const handle = await crashed.init();
      await crashed.append(topic, 0, appends(['sealed-1', 'sealed-2']));
      // The writer "crashes": it never commits and is never used again.
      const consumed: ConsumedOffsets[] = [
        { groupId: group, topic, offsets: [{ partition: 0, nextOffset: 42 }], metadata: 'resumed' },
      ];
      await l.commitTransaction(handle, consumed);
      await l.commitTransaction(handle, consumed);
      assert.deepEqual(await readAll(l, topic, true, 2), ['sealed-1', 'sealed-2']);
      const committed = await eventually(
        () => l.committedOffsets(group, topic),
        (c) => c.has(0),
      );
      assert.equal(committed.get(0), 42);
      const next = l.transactionalWriter(`${topic}-w`, 60_000);
      await next.init();
      await next.append(topic, 0, appends(['next']));
      await next.commit();
      await next.close();
      await crashed.close().catch(() => undefined);
      assert.deepEqual(await readAll(l, topic, true, 3), ['sealed-1', 'sealed-2', 'next']);
    });
  });
}
