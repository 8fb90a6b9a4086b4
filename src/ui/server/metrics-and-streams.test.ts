// /metrics as Prometheus reads it, and the event streams (samples, live tail), against a real
// broker fed by Sluice's own producer.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  BILLING_GROUP,
  type DashboardFixture,
  ORDERS,
  startDashboardFixture,
} from '../testing/dashboard-fixture.ts';

let fixture: DashboardFixture;

before(async () => {
  fixture = await startDashboardFixture();
});

after(async () => {
  await fixture.close();
});

/** Prometheus text format: `name{labels} value` lines into a map keyed by `name{labels}`. */
async function scrape(): Promise<Map<string, number>> {
  const res = await fetch(new URL('/metrics', fixture.url));
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
  const out = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

test('/metrics names request, byte, connection, partition and group lag metrics', async () => {
  const metrics = await scrape();
  const names = new Set([...metrics.keys()].map((k) => k.replace(/\{.*$/, '')));
  for (const name of [
    'sluice_requests_total',
    'sluice_request_duration_seconds_bucket',
    'sluice_network_bytes_in_total',
    'sluice_network_bytes_out_total',
    'sluice_connections',
    'sluice_partition_size_bytes',
    'sluice_partition_log_end_offset',
    'sluice_group_lag',
    'sluice_group_partition_lag',
    'sluice_job_running',
  ]) {
    assert.ok(names.has(name), `no ${name} in /metrics`);
  }
  assert.equal(metrics.get(`sluice_partition_log_end_offset{topic="${ORDERS}",partition="0"}`), 10);
  assert.equal(metrics.get(`sluice_group_lag{group="${BILLING_GROUP}"}`), 12);
});

test('produce requests move the Produce counters, bytes in and the partition end offset', async () => {
  const before = await scrape();
  const produced = 'x'.repeat(1000);
  await fixture.producer.send({ topic: ORDERS, partition: 0, value: produced });
  const after = await scrape();
  const key = (name: string) => `${name}{api="Produce"}`;
  assert.equal(after.get(key('sluice_requests_total')), (before.get(key('sluice_requests_total')) ?? 0) + 1);
  const bytesIn =
    (after.get(key('sluice_network_bytes_in_total')) ?? 0) -
    (before.get(key('sluice_network_bytes_in_total')) ?? 0);
  assert.ok(bytesIn > produced.length, `Produce bytes in grew by ${bytesIn}, less than the record`);
  const end = `sluice_partition_log_end_offset{topic="${ORDERS}",partition="0"}`;
  assert.equal(after.get(end), (before.get(end) ?? 0) + 1);
  assert.equal(
    after.get(`sluice_group_lag{group="${BILLING_GROUP}"}`),
    (before.get(`sluice_group_lag{group="${BILLING_GROUP}"}`) ?? 0) + 1,
  );
});

/** Reads server-sent events from a stream until `until` says stop; bounded by `eventsMax`. */
async function readEvents(
  path: string,
  until: (event: string, data: unknown) => boolean,
  onOpen: () => Promise<void> = async () => {},
  eventsMax = 50,
): Promise<{ event: string; data: unknown }[]> {
  const abort = new AbortController();
  const res = await fetch(new URL(path, fixture.url), { signal: abort.signal });
  assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const events: { event: string; data: unknown }[] = [];
  let buffer = '';
  let opened = false;
  try {
    while (events.length < eventsMax) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let cut = buffer.indexOf('\n\n');
      while (cut >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        cut = buffer.indexOf('\n\n');
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event === undefined || data === undefined) continue;
        const parsed = JSON.parse(data) as unknown;
        events.push({ event, data: parsed });
        if (!opened) {
          opened = true;
          await onOpen();
        }
        if (until(event, parsed)) return events;
      }
    }
    return events;
  } finally {
    abort.abort();
  }
}

test('the live tail streams the records produced after it opened, and only those', async () => {
  const events = await readEvents(
    `/events/tail?topic=${ORDERS}&partition=1`,
    (event) => event === 'records',
    async () => {
      await fixture.producer.send({ topic: ORDERS, partition: 1, key: 'tail-key', value: '{"tail":true}' });
    },
  );
  const records = events.find((e) => e.event === 'records')?.data as {
    records: { key: { text: string }; value: { encoding: string } }[];
  };
  assert.deepEqual(
    records.records.map((r) => [r.key.text, r.value.encoding]),
    [['tail-key', 'json']],
  );
});

test('the samples stream starts with the history and then sends each new sample', async () => {
  const events = await readEvents(
    '/events/samples',
    (event) => event === 'sample',
    async () => {
      // The sampler ticks once a second; take one now rather than wait for it.
      fixture.broker.http?.sampler.sample();
    },
  );
  assert.equal(events[0]?.event, 'history');
  const sample = events.find((e) => e.event === 'sample')?.data as { groupLag: Record<string, number> };
  assert.ok(BILLING_GROUP in sample.groupLag, `no lag of ${BILLING_GROUP} in ${JSON.stringify(sample)}`);
});

test('a tail of an unknown topic is refused with 404 naming it', async () => {
  const res = await fetch(new URL('/events/tail?topic=nope&partition=0', fixture.url));
  assert.equal(res.status, 404);
  assert.match(((await res.json()) as { error: string }).error, /'nope'/);
});
