// Nexmark on the engine. Three figures per query:
//   - events/s in the in-thread runtime on one core (in-memory push source, events already
//     parsed: this measures the engine, not JSON);
//   - events/s per core on 2 worker-thread executors (2 generator partitions, continuous
//     trigger with 1 s checkpoints), records crossing threads by structured clone; q5 also with
//     v8-serialized transferred buffers, to compare the two channel encodings;
//   - the same events/s per core with a micro-batch trigger (processingTime '1 second');
//   - continuous-mode and micro-batch p50/p99 event-to-result latency in-thread, events
//     generated in real time (event time = wall clock), 1 s checkpoints or batches, for 20 s. A windowed result's event time is
//     its window's end, so its latency includes the 5 s watermark bound; results that the end
//     of input forces out early are not samples.
// Run: `npm run bench -- nexmark`.
import { generateEvents } from '../examples/nexmark/generator.ts';
import { NexmarkGeneratorSource } from '../examples/nexmark/generator-source.ts';
import type { NexmarkEvent } from '../examples/nexmark/model.ts';
import { nexmarkJob } from '../examples/nexmark/queries.ts';
import { PushSource } from '../src/engine/connector/push-source.ts';
import type { Sink, SinkWriter } from '../src/engine/connector/sink.ts';
import type { TriggerSpec } from '../src/engine/controller/trigger.ts';
import { runJob } from '../src/engine/run-job.ts';
import { LocalRuntime } from '../src/engine/runtime/local-runtime.ts';
import type { ChannelEncoding } from '../src/engine/runtime/peer-link.ts';
import type { BenchRow } from './bench-row.ts';

const eventCount = 400_000;
const workerEventCount = 1_000_000;
const queries = ['q0', 'q1', 'q2', 'q5', 'q7', 'q8'];
const jobModule = new URL('../examples/nexmark/nexmark-job.ts', import.meta.url).href;

class CountingSink implements Sink<unknown, unknown> {
  readonly name = 'count';
  records = 0;
  readonly latenciesMs: number[] = [];
  /** Results after this wall time were forced out by the end of input, not by the watermark. */
  readonly #measureUntilMs: number | null;

  constructor(measureUntilMs: number | null) {
    this.#measureUntilMs = measureUntilMs;
  }

  openWriter(): Promise<SinkWriter<unknown, unknown>> {
    return Promise.resolve({
      write: (records) => {
        this.records += records.length;
        const untilMs = this.#measureUntilMs;
        const nowMs = Date.now();
        if (untilMs === null || nowMs >= untilMs) return;
        for (const r of records) this.latenciesMs.push(nowMs - r.timestamp);
      },
      needsFlush: () => false,
      flush: () => Promise.resolve(),
      close: () => Promise.resolve(),
    });
  }
}

async function inThreadEventsPerSecond(
  query: string,
  events: ReadonlyArray<{ key: null; value: NexmarkEvent; timestamp: number }>,
) {
  const source = new PushSource<null, NexmarkEvent>('events', 1, events.length + 1);
  const sink = new CountingSink(null);
  source.push(0, events);
  source.end();
  const runtime = new LocalRuntime(nexmarkJob(query, source, sink));
  const started = performance.now();
  await runtime.run();
  const seconds = (performance.now() - started) / 1000;
  if (sink.records === 0) throw new Error(`Nexmark ${query} produced no output in the benchmark`);
  return events.length / seconds;
}

const continuous: TriggerSpec = { continuous: '1 second' };
const microBatch: TriggerSpec = { processingTime: '1 second' };

async function workerEventsPerSecondPerCore(query: string, encoding: ChannelEncoding, trigger = continuous) {
  const executors = 2;
  const started = performance.now();
  const result = await runJob(
    { module: jobModule, params: { query, partitions: executors, events: workerEventCount } },
    { executors, trigger, channelEncoding: encoding },
  );
  const seconds = (performance.now() - started) / 1000;
  const out = result.metrics.operators
    .filter((o) => o.name.startsWith('sink'))
    .reduce((n, o) => n + o.recordsIn, 0);
  if (out === 0) throw new Error(`Nexmark ${query} produced no output on worker threads`);
  return workerEventCount / seconds / executors;
}

async function latency(query: string, trigger: TriggerSpec): Promise<{ p50: number; p99: number }> {
  const durationMs = 20_000;
  const sink = new CountingSink(Date.now() + durationMs - 50);
  const source = new NexmarkGeneratorSource({
    partitions: 1,
    events: 0,
    seed: 1,
    realTime: { eventsPerSecond: 20_000, durationMs },
  });
  await runJob(nexmarkJob(query, source, sink), { trigger });
  const sorted = sink.latenciesMs.sort((a, b) => a - b);
  if (sorted.length === 0) throw new Error(`Nexmark ${query} produced no output in the latency run`);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
}

export async function benchNexmark(): Promise<BenchRow[]> {
  const events = [
    ...generateEvents({ events: eventCount, eventsPerSecond: 10_000, startMs: 0, seed: 1, outOfOrderMs: 0 }),
  ].map((e) => ({ key: null, value: e, timestamp: e.dateTime }));
  const rows: BenchRow[] = [];
  for (const query of queries) {
    await inThreadEventsPerSecond(query, events.slice(0, 50_000)); // warm-up: JIT and inline caches
    rows.push({
      name: `nexmark ${query} in-thread`,
      unit: 'events/s',
      value: await inThreadEventsPerSecond(query, events),
    });
    rows.push({
      name: `nexmark ${query} 2 workers`,
      unit: 'events/s/core',
      value: await workerEventsPerSecondPerCore(query, 'clone'),
    });
    if (query === 'q5')
      rows.push({
        name: 'nexmark q5 2 workers, v8 transfer',
        unit: 'events/s/core',
        value: await workerEventsPerSecondPerCore(query, 'v8'),
      });
    rows.push({
      name: `nexmark ${query} 2 workers micro-batch`,
      unit: 'events/s/core',
      value: await workerEventsPerSecondPerCore(query, 'clone', microBatch),
    });
    for (const [mode, trigger] of [
      ['continuous', continuous],
      ['micro-batch', microBatch],
    ] as const) {
      const { p50, p99 } = await latency(query, trigger);
      rows.push({ name: `nexmark ${query} ${mode} p50`, unit: 'ms', value: p50 });
      rows.push({ name: `nexmark ${query} ${mode} p99`, unit: 'ms', value: p99 });
    }
  }
  return rows;
}
