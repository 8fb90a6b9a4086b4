// Nexmark throughput of the local runtime on one core: events per second from an in-memory
// push source (events already parsed: this measures the engine, not JSON) through the query to
// a sink that counts. Run: `node --import tsx -e "import('./bench/nexmark.ts').then(async m => console.log(await m.benchNexmark()))"`.

import { generateEvents } from '../examples/nexmark/generator.ts';
import type { NexmarkEvent } from '../examples/nexmark/model.ts';
import { nexmarkJob } from '../examples/nexmark/queries.ts';
import { PushSource } from '../src/engine/connector/push-source.ts';
import type { Sink, SinkWriter } from '../src/engine/connector/sink.ts';
import { LocalRuntime } from '../src/engine/runtime/local-runtime.ts';
import type { BenchRow } from './bench-row.ts';

const eventCount = 400_000;

class CountingSink implements Sink<unknown, unknown> {
  readonly name = 'count';
  records = 0;

  openWriter(): Promise<SinkWriter<unknown, unknown>> {
    return Promise.resolve({
      write: (records) => {
        this.records += records.length;
      },
      needsFlush: () => false,
      flush: () => Promise.resolve(),
      close: () => Promise.resolve(),
    });
  }
}

async function eventsPerSecond(
  query: string,
  events: ReadonlyArray<{ key: null; value: NexmarkEvent; timestamp: number }>,
) {
  const source = new PushSource<null, NexmarkEvent>('events', 1, events.length + 1);
  const sink = new CountingSink();
  source.push(0, events);
  source.end();
  const runtime = new LocalRuntime(nexmarkJob(query, source, sink));
  const started = performance.now();
  await runtime.run();
  const seconds = (performance.now() - started) / 1000;
  if (sink.records === 0) throw new Error(`Nexmark ${query} produced no output in the benchmark`);
  return events.length / seconds;
}

export async function benchNexmark(): Promise<BenchRow[]> {
  const events = [
    ...generateEvents({ events: eventCount, eventsPerSecond: 10_000, startMs: 0, seed: 1, outOfOrderMs: 0 }),
  ].map((e) => ({ key: null, value: e, timestamp: e.dateTime }));
  const rows: BenchRow[] = [];
  for (const query of ['q0', 'q1', 'q2', 'q5', 'q7', 'q8']) {
    await eventsPerSecond(query, events.slice(0, 50_000)); // warm-up: JIT and inline caches
    rows.push({ name: `nexmark ${query}`, unit: 'events/s', value: await eventsPerSecond(query, events) });
  }
  return rows;
}
