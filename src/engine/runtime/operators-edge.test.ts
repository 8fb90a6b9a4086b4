// Window and join edge cases run end to end through the local runtime. Expected outputs are
// worked out by hand in the comments. Sources poll one record at a time so watermarks move
// between records, as they would on a live stream.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CollectSink } from '../connector/collect-sink.ts';
import { PushSource } from '../connector/push-source.ts';
import { Job } from '../dsl/job.ts';
import type { Stream } from '../dsl/stream.ts';
import { EngineError } from '../engine-error.ts';
import { OutputTag } from '../operators/output-tag.ts';
import { defineProcess, valueState } from '../operators/process-function.ts';
import type { Windowed } from '../operators/windowed.ts';
import { session, tumbling } from '../time/windows.ts';
import { LocalRuntime } from './local-runtime.ts';

interface Ev {
  k: string;
  t: number;
}

async function runEvents<R>(
  events: Ev[],
  outOfOrdernessMs: number,
  build: (s: Stream<null, Ev>, job: Job) => Stream<unknown, R>,
  extra: { stateBytesMax?: number } = {},
) {
  const job = new Job('edge');
  const source = new PushSource<null, Ev>('ev', 1, 1000);
  const sink = new CollectSink<unknown, R>('out', 1000);
  build(
    job.source(source, { timestamp: (e) => e.t, watermark: { outOfOrdernessMs, idleTimeoutMs: 60_000 } }),
    job,
  ).to(sink);
  source.push(
    0,
    events.map((e) => ({ key: null, value: e, timestamp: e.t })),
  );
  source.end();
  const runtime = new LocalRuntime(job, { batchRecordsMax: 1, ...extra });
  await runtime.run();
  return { values: sink.values(), metrics: runtime.metrics() };
}

const ev = (...ts: number[]) => ts.map((t) => ({ k: 'a', t }));
const fmt = (w: Windowed<unknown, number>) =>
  `${String(w.key)}[${w.windowStartMs},${w.windowEndMs})=${w.result}`;

// Bound 5: after t=12 the watermark is 6 (8 is on time); after t=20 it is 14, so [0,10) fires
// with 1 and 8, and t=9 arriving next is late for its only window.
const lateCase = ev(1, 12, 8, 20, 9, 15);

test('records later than the bound go to the late side output and the rest are counted', async () => {
  const late = new OutputTag<Ev>('late');
  let lateStream: Stream<unknown, Ev> | null = null;
  const { values } = await runEvents(lateCase, 5, (s, job) => {
    const counted = s
      .keyBy((e) => e.k)
      .window(tumbling(10))
      .lateDataTo(late)
      .count();
    lateStream = counted.sideOutput(late);
    void job;
    return counted.map((w) => fmt(w));
  });
  assert.deepEqual(values, ['a[0,10)=2', 'a[10,20)=2', 'a[20,30)=1']);
  assert.ok(lateStream !== null);
});

test('late records without a side output are dropped and counted, never silently', async () => {
  const { values, metrics } = await runEvents(lateCase, 5, (s) =>
    s
      .keyBy((e) => e.k)
      .window(tumbling(10))
      .count()
      .map((w) => fmt(w)),
  );
  assert.deepEqual(values, ['a[0,10)=2', 'a[10,20)=2', 'a[20,30)=1']);
  const dropped = Object.entries(metrics).find(([name]) => name.endsWith('.late_records_dropped'));
  assert.deepEqual(dropped?.[1], 1);
});

test('the late side output receives the late record itself', async () => {
  const late = new OutputTag<Ev>('late');
  const { values } = await runEvents(lateCase, 5, (s) =>
    s
      .keyBy((e) => e.k)
      .window(tumbling(10))
      .lateDataTo(late)
      .count()
      .sideOutput(late)
      .map((e) => `late ${e.t}`),
  );
  assert.deepEqual(values, ['late 9']);
});

test('allowed lateness keeps a fired window open and re-emits it when a late record arrives', async () => {
  // t=9 arrives at watermark 14: [0,10) fired at 9 but is kept until 9 + 10 = 19.
  const { values } = await runEvents(lateCase, 5, (s) =>
    s
      .keyBy((e) => e.k)
      .window(tumbling(10))
      .allowedLateness(10)
      .count()
      .map((w) => fmt(w)),
  );
  assert.deepEqual(values, ['a[0,10)=2', 'a[0,10)=3', 'a[10,20)=2', 'a[20,30)=1']);
});

test('windows without records emit nothing', async () => {
  const { values } = await runEvents(ev(1, 35), 0, (s) =>
    s
      .keyBy((e) => e.k)
      .window(tumbling(10))
      .count()
      .map((w) => fmt(w)),
  );
  assert.deepEqual(values, ['a[0,10)=1', 'a[30,40)=1']);
});

test('a record bridging two sessions merges them into one', async () => {
  // 0 → [0,10); 25 → [25,35); 14 → [14,24); 20 → [20,30) overlaps both of the last two.
  const { values } = await runEvents(ev(0, 25, 14, 20), 100, (s) =>
    s
      .keyBy((e) => e.k)
      .window(session(10))
      .count()
      .map((w) => fmt(w)),
  );
  assert.deepEqual(values, ['a[0,10)=1', 'a[14,35)=3']);
});

test('an interval join pairs records of the same key within the interval', async () => {
  const { values } = await runEvents(
    [
      { k: 'L', t: 10 },
      { k: 'R', t: 12 },
      { k: 'R', t: 25 },
      { k: 'L', t: 20 },
    ],
    100,
    (s) => {
      const left = s.filter((e) => e.k === 'L').keyBy(() => 'x');
      const right = s.filter((e) => e.k === 'R').keyBy(() => 'x');
      // right.t - left.t in [0, 5]: (10,12) and (20,25); (20,12) and (10,25) are outside.
      return left.intervalJoin(right, { lowerMs: 0, upperMs: 5 }, (l, r) => `${l.t}-${r.t}`);
    },
  );
  assert.deepEqual(values.sort(), ['10-12', '20-25']);
});

test('a stream-table join looks up the latest row and a tombstone deletes it', async () => {
  const job = new Job('table');
  const rows = new PushSource<string, { city: string } | null>('users', 1, 100);
  const clicks = new PushSource<null, string>('clicks', 1, 100);
  const sink = new CollectSink<string, string>('out', 100);
  const table = job.table(rows);
  job
    .source(clicks)
    .keyBy((user) => user)
    .leftJoinTable(table, (user, row) => `${user}:${row?.city ?? '-'}`)
    .to(sink);
  const runtime = new LocalRuntime(job);
  rows.push(0, [{ key: 'ann', value: { city: 'Oslo' }, timestamp: 0 }]);
  await runtime.pumpUntilQuiet();
  clicks.push(0, [
    { key: null, value: 'ann', timestamp: 1 },
    { key: null, value: 'bob', timestamp: 1 },
  ]);
  await runtime.pumpUntilQuiet();
  rows.push(0, [{ key: 'ann', value: null, timestamp: 2 }]);
  await runtime.pumpUntilQuiet();
  clicks.push(0, [{ key: null, value: 'ann', timestamp: 3 }]);
  rows.end();
  clicks.end();
  await runtime.run();
  assert.deepEqual(sink.values(), ['ann:Oslo', 'bob:-', 'ann:-']);
});

test('branch sends each record to the first matching branch and the rest elsewhere', async () => {
  const job = new Job('branch');
  const source = new PushSource<null, number>('n', 1, 100);
  const small = new CollectSink<null, number>('small', 100);
  const even = new CollectSink<null, number>('even', 100);
  const rest = new CollectSink<null, number>('rest', 100);
  const split = job.source(source).branch(
    (n) => n < 3,
    (n) => n % 2 === 0,
  );
  split.branches[0]!.to(small);
  split.branches[1]!.to(even);
  split.rest.to(rest);
  source.push(
    0,
    [1, 2, 3, 4, 5, 6].map((n) => ({ key: null, value: n, timestamp: n })),
  );
  source.end();
  await new LocalRuntime(job).run();
  assert.deepEqual(
    [small.values(), even.values(), rest.values()],
    [
      [1, 2],
      [4, 6],
      [3, 5],
    ],
  );
});

test('a process function keeps keyed state and fires event-time timers at the watermark', async () => {
  // Per key, count records and report the count 10 ms after the first record.
  const counter = defineProcess<string, Ev, string>()({
    state: { n: valueState<number>() },
    processRecord(_value, record, ctx) {
      const n = ctx.state.n.get() ?? 0;
      if (n === 0) ctx.timers.registerEventTime(record.timestamp + 10);
      ctx.state.n.set(n + 1);
    },
    onTimer(timeMs, _domain, ctx) {
      ctx.emit(`${ctx.key}@${timeMs}:${ctx.state.n.get()}`);
      ctx.state.n.clear();
    },
  });
  const { values } = await runEvents(
    [
      { k: 'a', t: 0 },
      { k: 'b', t: 3 },
      { k: 'a', t: 5 },
      { k: 'a', t: 30 },
    ],
    0,
    (s) => s.keyBy((e) => e.k).process(counter),
  );
  // A watermark follows the batch it was computed from: t=30 is counted for key a (3 records,
  // no new timer since the count was not 0) before watermark 29 fires a@10 and b@13.
  assert.deepEqual(values, ['a@10:3', 'b@13:1']);
});

test('state beyond the byte budget fails the job naming the state', async () => {
  await assert.rejects(
    runEvents(
      Array.from({ length: 200 }, (_, i) => ({ k: `key-${i}`, t: i })),
      0,
      (s) =>
        s
          .keyBy((e) => e.k)
          .window(tumbling(1_000_000))
          .count(),
      { stateBytesMax: 4000 },
    ),
    (e: unknown) =>
      e instanceof EngineError && e.code === 'state_budget_exceeded' && /windows/.test(e.message),
  );
});
