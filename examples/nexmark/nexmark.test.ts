// Golden outputs of every query on one small, hand-checkable event file. Expected lines were
// worked out by hand from the events below (see the comments), not by running the queries.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CollectSink } from '../../src/engine/connector/collect-sink.ts';
import { PushSource } from '../../src/engine/connector/push-source.ts';
import { LocalRuntime } from '../../src/engine/runtime/local-runtime.ts';
import { generateEvents } from './generator.ts';
import type { NexmarkEvent } from './model.ts';
import { nexmarkJob, runNexmarkFile } from './queries.ts';

const person = (id: number, name: string, city: string, state: string, dateTime: number) =>
  ({
    type: 'person',
    id,
    name,
    emailAddress: `${name}@x`,
    creditCard: '1',
    city,
    state,
    dateTime,
    extra: '',
  }) as const;
const auction = (
  id: number,
  seller: number,
  category: number,
  dateTime: number,
  expires: number,
  reserve: number,
) =>
  ({
    type: 'auction',
    id,
    itemName: `i${id}`,
    description: 'd',
    initialBid: 1,
    reserve,
    dateTime,
    expires,
    seller,
    category,
    extra: '',
  }) as const;
const bid = (auction: number, bidder: number, price: number, dateTime: number) =>
  ({ type: 'bid', auction, bidder, price, channel: 'c', url: 'u', dateTime, extra: '' }) as const;

// File order; B6 is 4 s behind the newest event (within the 5 s bound), A102 precedes its seller.
const events: NexmarkEvent[] = [
  person(1, 'Ann', 'Portland', 'OR', 1000),
  person(2, 'Bob', 'Seattle', 'WA', 2000),
  auction(100, 1, 10, 3000, 20_000, 50),
  auction(101, 2, 10, 4000, 15_000, 10),
  bid(100, 2, 100, 5000), // B1
  bid(101, 1, 40, 6000), // B2
  bid(100, 3, 120, 9000), // B3
  auction(102, 3, 10, 11_000, 16_000, 10),
  person(3, 'Cy', 'Boise', 'ID', 12_000),
  bid(123, 3, 500, 12_500), // B4: before auction 123 opens
  auction(123, 3, 11, 13_000, 25_000, 10),
  bid(100, 2, 120, 14_000), // B5: ties B3, later
  bid(246, 1, 7, 10_000), // B6: out of order
  bid(102, 3, 30, 15_000), // B7
  bid(101, 1, 500, 16_000), // B9: after auction 101 expired
  bid(123, 2, 60, 24_000), // B8
];

const dir = mkdtempSync(join(tmpdir(), 'sluice-nexmark-'));
const input = join(dir, 'events.jsonl');
writeFileSync(input, `${events.map((e) => JSON.stringify(e)).join('\n')}\n`);

async function run(query: string): Promise<unknown[]> {
  const output = join(dir, `${query}.jsonl`);
  await runNexmarkFile(query, input, output);
  return readFileSync(output, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as unknown);
}

const sorted = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).sort();

test('q0 passes every bid through without its type', async () => {
  const bids = events.filter((e) => e.type === 'bid').map(({ type: _t, ...b }) => b);
  assert.deepEqual(await run('q0'), bids);
});

test('q1 converts every bid price at 0.908', async () => {
  const rows = (await run('q1')) as Array<{ auction: number; price: number }>;
  assert.deepEqual(
    rows.map((r) => [r.auction, Math.round(r.price * 1000) / 1000]),
    [
      [100, 90.8],
      [101, 36.32],
      [100, 108.96],
      [123, 454],
      [100, 108.96],
      [246, 6.356],
      [102, 27.24],
      [101, 454],
      [123, 54.48],
    ],
  );
  assert.deepEqual(Object.keys(rows[0]!), ['auction', 'bidder', 'price', 'dateTime', 'extra']);
});

test('q2 keeps bids on auctions whose id is a multiple of 123', async () => {
  assert.deepEqual(await run('q2'), [
    { auction: 123, price: 500 },
    { auction: 246, price: 7 },
    { auction: 123, price: 60 },
  ]);
});

test('q3 joins category-10 auctions with OR/ID/CA sellers whichever arrives first', async () => {
  // A101's seller Bob is in WA; A123 is category 11; A102 arrives before its seller Cy.
  assert.deepEqual(
    sorted(await run('q3')),
    sorted([
      { name: 'Ann', city: 'Portland', state: 'OR', id: 100 },
      { name: 'Cy', city: 'Boise', state: 'ID', id: 102 },
    ]),
  );
});

// Closing prices: A101 40 (B2) at 15 s, A102 30 (B7) at 16 s, A100 120 (B3 beats B5 on the tie
// by being earlier; B1 lower) at 20 s, A123 60 (B8; B4 precedes the auction) at 25 s.
test('q4 emits the running average closing price per category as auctions close', async () => {
  assert.deepEqual(await run('q4'), [
    { category: 10, avg: 40 },
    { category: 10, avg: 35 },
    { category: 10, avg: 190 / 3 },
    { category: 11, avg: 60 },
  ]);
});

test('q6 emits the average of each seller’s last closed auctions as they close', async () => {
  assert.deepEqual(await run('q6'), [
    { seller: 2, avg: 40 },
    { seller: 3, avg: 30 },
    { seller: 1, avg: 120 },
    { seller: 3, avg: 45 },
  ]);
});

test('q5 reports the auctions with the most bids per hopping window, with all ties', async () => {
  const w = (auction: number, num: number, start: number) => ({
    auction,
    num,
    window_start: start,
    window_end: start + 10_000,
  });
  assert.deepEqual(
    sorted(await run('q5')),
    sorted([
      w(100, 1, -4000),
      w(100, 1, -2000),
      w(101, 1, -2000),
      w(100, 2, 0),
      w(100, 2, 2000),
      w(100, 2, 4000),
      w(100, 2, 6000),
      w(100, 2, 8000),
      ...[100, 123, 246, 102, 101].map((a) => w(a, 1, 10_000)),
      ...[100, 123, 102, 101].map((a) => w(a, 1, 12_000)),
      ...[100, 102, 101].map((a) => w(a, 1, 14_000)),
      w(101, 1, 16_000),
      w(123, 1, 16_000),
      ...[18_000, 20_000, 22_000, 24_000].map((s) => w(123, 1, s)),
    ]),
  );
});

test('q7 reports the highest bids per tumbling window, with all ties', async () => {
  assert.deepEqual(
    sorted(await run('q7')),
    sorted([
      { auction: 100, price: 120, bidder: 3, dateTime: 9000, window_start: 0, window_end: 10_000 },
      { auction: 123, price: 500, bidder: 3, dateTime: 12_500, window_start: 10_000, window_end: 20_000 },
      { auction: 101, price: 500, bidder: 1, dateTime: 16_000, window_start: 10_000, window_end: 20_000 },
      { auction: 123, price: 60, bidder: 2, dateTime: 24_000, window_start: 20_000, window_end: 30_000 },
    ]),
  );
});

test('q8 finds persons who opened an auction in the window they registered in', async () => {
  assert.deepEqual(
    sorted(await run('q8')),
    sorted([
      { id: 1, name: 'Ann', window_start: 0 },
      { id: 2, name: 'Bob', window_start: 0 },
      { id: 3, name: 'Cy', window_start: 10_000 },
    ]),
  );
});

test('q11 counts bids per bidder session, merging bids up to 10 s apart', async () => {
  // Bidder 2's last bid comes exactly 10 s after the previous one: touching sessions merge.
  assert.deepEqual(
    sorted(await run('q11')),
    sorted([
      { bidder: 1, bid_count: 3, window_start: 6000, window_end: 26_000 },
      { bidder: 2, bid_count: 3, window_start: 5000, window_end: 34_000 },
      { bidder: 3, bid_count: 3, window_start: 9000, window_end: 25_000 },
    ]),
  );
});

async function runPushed(
  query: string,
  all: NexmarkEvent[],
  snapshotAfter: number | null,
): Promise<string[]> {
  const collected: string[] = [];
  const toPush = (list: NexmarkEvent[]) => list.map((e) => ({ key: null, value: e, timestamp: e.dateTime }));
  let source = new PushSource<null, NexmarkEvent>('events', 1, 100_000);
  let sink = new CollectSink<unknown, unknown>('out', 100_000);
  let runtime = new LocalRuntime(nexmarkJob(query, source, sink), { batchRecordsMax: 64 });
  if (snapshotAfter !== null) {
    source.push(0, toPush(all.slice(0, snapshotAfter)));
    await runtime.pumpUntilQuiet();
    const snapshot = await runtime.checkpoint();
    await runtime.close();
    collected.push(...sink.values().map((v) => JSON.stringify(v)));
    source = new PushSource<null, NexmarkEvent>('events', 1, 100_000);
    sink = new CollectSink<unknown, unknown>('out', 100_000);
    runtime = new LocalRuntime(nexmarkJob(query, source, sink), {
      batchRecordsMax: 64,
      restoreFrom: snapshot,
    });
  }
  source.push(0, toPush(all));
  source.end();
  await runtime.run();
  collected.push(...sink.values().map((v) => JSON.stringify(v)));
  return collected;
}

for (const query of ['q4', 'q5', 'q7', 'q8', 'q11']) {
  test(`${query} restored from a mid-stream snapshot gives the same output as an uninterrupted run`, async () => {
    const generated = [
      ...generateEvents({ events: 3000, eventsPerSecond: 100, startMs: 0, seed: 7, outOfOrderMs: 3000 }),
    ];
    const uninterrupted = await runPushed(query, generated, null);
    const restored = await runPushed(query, generated, 1234);
    assert.ok(uninterrupted.length > 0, 'the query produced output');
    assert.deepEqual(restored, uninterrupted);
  });
}
