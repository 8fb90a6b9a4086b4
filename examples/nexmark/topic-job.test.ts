// Nexmark from topic to topic through the CLI: `sluice nexmark generate` fills a topic of a
// Sluice broker, `sluice run examples/nexmark/topic-job.ts` runs q5 bounded (a batch job) into an
// output topic, and the committed output equals the same query over the same events fed to the
// engine directly, partition by partition.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startBroker } from '../../src/broker/broker.ts';
import { runCli } from '../../src/cli/testing/run-cli.ts';
import { kafkaLog } from '../../src/connectors/kafka/kafka-log.ts';
import { CollectSink } from '../../src/engine/connector/collect-sink.ts';
import { PushSource } from '../../src/engine/connector/push-source.ts';
import type { Log } from '../../src/engine/log/log.ts';
import { LocalRuntime } from '../../src/engine/runtime/local-runtime.ts';
import { generateEvents } from './generator.ts';
import type { NexmarkEvent } from './model.ts';
import { nexmarkJob } from './queries.ts';

const events = 3000;
const partitions = 2;

async function committedValues(log: Log, topic: string): Promise<string[]> {
  const values: string[] = [];
  for (let p = 0; p < (await log.partitionCount(topic)); p++) {
    const end = await log.endOffset(topic, p, true);
    const reader = await log.openReader(topic, p, 0, { readCommitted: true, endOffset: end });
    for (let round = 0; round < 10_000; round++) {
      const batch = await reader.read(1000, 100);
      for (const r of batch.records)
        values.push(JSON.stringify(JSON.parse(Buffer.from(r.value!).toString())));
      if (batch.endOfLog) break;
    }
    await reader.close();
  }
  return values.sort();
}

/** The query over the generator's events, event i on partition i mod partitions, as the topic holds them. */
async function directly(query: string): Promise<string[]> {
  const source = new PushSource<null, NexmarkEvent>('nexmark', partitions, events);
  const sink = new CollectSink<unknown, unknown>('results', events);
  const generated = [
    ...generateEvents({ events, eventsPerSecond: 10_000, startMs: 0, seed: 42, outOfOrderMs: 0 }),
  ];
  generated.forEach((e, i) => {
    source.push(i % partitions, [{ key: null, value: e, timestamp: e.dateTime }]);
  });
  source.end();
  await new LocalRuntime(nexmarkJob(query, source, sink)).run();
  return sink
    .values()
    .map((v) => JSON.stringify(v))
    .sort();
}

test('sluice nexmark generate fills a topic and q5 run from topic to topic matches the query run directly', async () => {
  const broker = await startBroker();
  const log = kafkaLog({ bootstrap: broker.bootstrap });
  try {
    const generated = await runCli([
      'nexmark',
      'generate',
      '--bootstrap',
      broker.bootstrap,
      '--topic',
      'nexmark',
      '--partitions',
      String(partitions),
      '--events',
      String(events),
    ]);
    assert.equal(generated.code, 0, generated.stderr);
    assert.match(generated.stdout, /wrote 3000 events to topic 'nexmark'/);
    const ran = await runCli([
      'run',
      'examples/nexmark/topic-job.ts',
      '--bootstrap',
      broker.bootstrap,
      '--executors',
      '1',
      '--params',
      JSON.stringify({ query: 'q5', input: 'nexmark', output: 'nexmark-q5', bounded: true }),
    ]);
    assert.equal(ran.code, 0, ran.stderr);
    assert.match(ran.stderr, /finished in/);
    const expected = await directly('q5');
    assert.ok(expected.length > 0, 'q5 produced results');
    assert.deepEqual(await committedValues(log, 'nexmark-q5'), expected);
  } finally {
    await log.close();
    await broker.close();
  }
});
