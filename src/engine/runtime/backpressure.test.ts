// A slow sink slows the source: records read but not yet written stay within the channels'
// bounds, whatever the input's size; and across threads, credits bound a remote channel.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MessageChannel } from 'node:worker_threads';
import { engineLimits } from '../../limits.ts';
import type { Sink, SinkWriter } from '../connector/sink.ts';
import type { Source, SourcePartition } from '../connector/source.ts';
import { Job } from '../dsl/job.ts';
import { type EngineRecord, noHeaders } from '../record.ts';
import { elementsPerStepMax } from './channel.ts';
import { LocalRuntime } from './local-runtime.ts';
import { PeerLink } from './peer-link.ts';
import { RemoteInputChannel, RemoteOutputChannel } from './remote-channel.ts';

/** Numbers 0..total-1 as fast as they are polled; counts what it handed out. */
class CountingSource implements Source<null, number> {
  readonly name = 'numbers';
  produced = 0;
  readonly #total: number;

  constructor(total: number) {
    this.#total = total;
  }

  partitionCount(): Promise<number> {
    return Promise.resolve(1);
  }

  openPartition(): Promise<SourcePartition<null, number>> {
    const poll = (out: EngineRecord<null, number>[], recordsMax: number) => {
      const n = Math.min(recordsMax, this.#total - this.produced);
      for (let i = 0; i < n; i++) {
        const value = this.produced++;
        out.push({
          key: null,
          value,
          timestamp: value,
          headers: noHeaders,
          topic: 'numbers',
          partition: 0,
          offset: value,
        });
      }
      return Promise.resolve(this.produced >= this.#total ? ('end' as const) : ('records' as const));
    };
    return Promise.resolve({ poll, position: () => this.produced, close: () => Promise.resolve() });
  }
}

/** Takes a macrotask per flush and asks for one after every 100 records. */
class SlowSink implements Sink<unknown, number> {
  readonly name = 'slow';
  written = 0;
  inFlightMax = 0;
  readonly #source: CountingSource;
  #buffered = 0;

  constructor(source: CountingSource) {
    this.#source = source;
  }

  openWriter(): Promise<SinkWriter<unknown, number>> {
    return Promise.resolve({
      write: (records) => {
        this.#buffered += records.length;
        this.written += records.length;
        this.inFlightMax = Math.max(this.inFlightMax, this.#source.produced - this.written);
      },
      needsFlush: () => this.#buffered >= 100,
      flush: () =>
        new Promise<void>((resolve) =>
          setImmediate(() => {
            this.#buffered = 0;
            resolve();
          }),
        ),
      close: () => Promise.resolve(),
    });
  }
}

test('a slow sink holds the source back: records in flight stay bounded by the channels', async () => {
  const total = 100_000;
  const batch = 100;
  const source = new CountingSource(total);
  const sink = new SlowSink(source);
  const job = new Job('backpressure');
  // The running count makes a second stage behind a shuffle, so records cross a channel.
  job
    .source(source)
    .keyBy((n) => n % 4)
    .count()
    .to(sink);
  const runtime = new LocalRuntime(job, { batchRecordsMax: batch, parallelism: 2 });
  await runtime.run();
  assert.equal(sink.written, total);
  // Each of the two shuffle channels holds at most channelElementsMax batches of at most
  // `batch` records, plus one source poll and one step in progress.
  const bound = 2 * engineLimits.channelElementsMax * batch + 2 * batch;
  assert.ok(sink.inFlightMax <= bound, `in flight at most ${bound}, saw ${sink.inFlightMax}`);
  const blocked = runtime.metricsSnapshot().tasks.find((t) => t.key === '0/0');
  assert.ok(blocked !== undefined, 'the source task reports metrics');
});

test('a remote channel spends a credit per element and refuses a step once they run out', async () => {
  const { port1, port2 } = new MessageChannel();
  let arrived = 0;
  const sending = new PeerLink(1, port1, 'clone', () => {});
  const receiving = new PeerLink(0, port2, 'v8', () => arrived++);
  const out = new RemoteOutputChannel(7, sending);
  const input = new RemoteInputChannel(7, 0, 3, 0, receiving);
  sending.addOutput(out);
  receiving.addInput(input);
  let pushed = 0;
  while (out.hasRoomForStep()) {
    out.push({ kind: 'watermark', watermarkMs: pushed++ });
  }
  assert.equal(pushed, engineLimits.channelElementsMax - elementsPerStepMax + 1);
  sending.flush();
  while (input.length < pushed) await new Promise((resolve) => setImmediate(resolve));
  assert.ok(arrived > 0);
  assert.equal(out.hasRoomForStep(), false, 'no credit comes back before the receiver takes elements');
  for (let i = 0; i < pushed; i++) assert.deepEqual(input.shift(), { kind: 'watermark', watermarkMs: i });
  receiving.flush();
  while (out.credits < engineLimits.channelElementsMax) await new Promise((resolve) => setImmediate(resolve));
  assert.equal(out.hasRoomForStep(), true);
  sending.close();
  receiving.close();
});
