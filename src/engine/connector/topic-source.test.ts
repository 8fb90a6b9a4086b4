// One windowed job over the same events, as a batch job (a bounded topic, a JSON-lines file) and
// as a stream (an unbounded topic, stopped once its output has caught up): the results must be
// the same, record for record. The stream's last windows close because the input ends with one
// event far ahead in event time on each partition (which the job drops after its watermark has
// moved), so nothing depends on idle timeouts or wall-clock time.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startBroker } from '../../broker/broker.ts';
import { partitionForKey } from '../../client/murmur2.ts';
import { embeddedLog } from '../../connectors/embedded/embedded-log.ts';
import { JsonlFileSource } from '../../connectors/file/jsonl-source.ts';
import { produceEvents, readCommitted, type TimedEvent } from '../../connectors/testing/crash-and-restart.ts';
import { Job } from '../dsl/job.ts';
import type { Log } from '../log/log.ts';
import { runJob, startJob } from '../run-job.ts';
import { json } from '../serde/serdes.ts';
import { type CountEvent, countEvents } from '../test-jobs/topic-windowed-counts.ts';
import { tumbling } from '../time/windows.ts';
import type { Source } from './source.ts';
import { topicSink } from './topic-sink.ts';
import { topicSource } from './topic-source.ts';

const partitions = 2;
const eventCount = 3000;
/** The user of the closing events: their event time closes every earlier window. */
const closingUser = '~closing';
const closingAtMs = 1_000_000;

function countsJob<K>(name: string, source: Source<K, CountEvent>, output: string): Job {
  const j = new Job(name);
  j.source(source, { timestamp: (e) => e.at })
    .filter((e) => e.user !== closingUser)
    .keyBy((e) => e.user)
    .window(tumbling(1000))
    .count()
    .map((w) => ({ user: w.key, start: w.windowStartMs, n: w.result }))
    .to(topicSink<string, { user: string; start: number; n: number }>(output, { serde: json() }));
  return j;
}

/** The count events, then one closing event on every partition (keys chosen by their hash). */
function eventsWithClosing(): TimedEvent[] {
  const events: TimedEvent[] = countEvents(eventCount);
  const covered = new Set<number>();
  for (let i = 0; covered.size < partitions && i < 1000; i++) {
    const key = `${closingUser}-${i}`;
    const p = partitionForKey(Buffer.from(key), partitions);
    if (covered.has(p)) continue;
    covered.add(p);
    events.push({ key, value: { user: closingUser, at: closingAtMs }, at: closingAtMs });
  }
  assert.equal(covered.size, partitions, 'a closing event on every partition');
  return events;
}

/** Reads `topic` until it holds `count` committed values (bounded: about 20 s). */
async function waitForOutput(log: Log, topic: string, count: number): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if ((await readCommitted(log, topic, false)).length >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('a windowed job over a bounded topic finishes with the results the same job gives as a stream over it', async () => {
  const broker = await startBroker();
  const log = embeddedLog(broker);
  try {
    await produceEvents(log, 'events', eventsWithClosing(), partitions);
    for (const t of ['batch-out', 'stream-out']) await log.ensureTopic(t, partitions);

    const batch = await runJob(
      countsJob('batch', topicSource<string, CountEvent>('events', { bounded: true }), 'batch-out'),
      { log: broker },
    );
    assert.equal(batch.state, 'finished');
    const expected = await readCommitted(log, 'batch-out');
    assert.equal(expected.length, 13 * (eventCount / 100), 'one count per user and window');

    const stream = await startJob(
      countsJob('stream', topicSource<string, CountEvent>('events', { pollWaitMs: 20 }), 'stream-out'),
      { log: broker, trigger: { continuous: 200 } },
    );
    await waitForOutput(log, 'stream-out', expected.length);
    stream.stop();
    assert.equal((await stream.done).state, 'stopped');
    assert.deepEqual(await readCommitted(log, 'stream-out'), expected);
  } finally {
    await log.close();
    await broker.close();
  }
});

test('the same job over a JSON-lines file of the same events gives the results it gives over the topic', async () => {
  const broker = await startBroker();
  const log = embeddedLog(broker);
  const dir = mkdtempSync(join(tmpdir(), 'sluice-bounded-'));
  try {
    const events = eventsWithClosing();
    await produceEvents(log, 'events', events, partitions);
    const file = join(dir, 'events.jsonl');
    writeFileSync(file, `${events.map((e) => JSON.stringify(e.value)).join('\n')}\n`);
    for (const t of ['topic-out', 'file-out']) await log.ensureTopic(t, partitions);

    const fromTopic = topicSource<string, CountEvent>('events', { bounded: true });
    assert.equal(
      (await runJob(countsJob('from-topic', fromTopic, 'topic-out'), { log: broker })).state,
      'finished',
    );
    const fromFile = new JsonlFileSource<CountEvent>(file);
    assert.equal(
      (await runJob(countsJob('from-file', fromFile, 'file-out'), { log: broker })).state,
      'finished',
    );

    const expected = await readCommitted(log, 'topic-out');
    assert.equal(expected.length, 13 * (eventCount / 100));
    assert.deepEqual(await readCommitted(log, 'file-out'), expected);
  } finally {
    await log.close();
    await broker.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
