// The dashboard's JSON API, health checks and metrics against a real broker over HTTP, with
// data produced and committed by Sluice's own Kafka client.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  BASE_TIMESTAMP_MS,
  BILLING_COMMITTED,
  BILLING_GROUP,
  type DashboardFixture,
  ORDERS,
  ORDERS_PER_PARTITION,
  startDashboardFixture,
} from '../testing/dashboard-fixture.ts';

let fixture: DashboardFixture;

before(async () => {
  fixture = await startDashboardFixture();
});

after(async () => {
  await fixture.close();
});

async function get(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(new URL(path, fixture.url));
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function send(method: string, path: string, body: unknown) {
  const res = await fetch(new URL(path, fixture.url), {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

interface Field {
  encoding: string;
  text: string | null;
  hex: string;
}
interface Browsed {
  offset: number;
  timestampMs: number;
  key: Field;
  value: Field;
  headers: { key: string; value: Field }[];
}

test('/healthz answers ok and /readyz reports storage and listener ready', async () => {
  assert.deepEqual((await get('/healthz')).body, { status: 'ok' });
  const ready = await get('/readyz');
  assert.equal(ready.status, 200);
  const checks = ready.body.checks as Record<string, { ready: boolean }>;
  assert.equal(checks.storage?.ready, true);
  assert.equal(checks.listener?.ready, true);
});

test('GET /api/topics lists the produced topic with its partitions and record count', async () => {
  const topics = (await get('/api/topics')).body as unknown as {
    name: string;
    partitions: number;
    records: number;
    sizeBytes: number;
  }[];
  const orders = topics.find((t) => t.name === ORDERS);
  assert.ok(orders, `no '${ORDERS}' in ${JSON.stringify(topics)}`);
  assert.equal(orders.partitions, 2);
  assert.equal(orders.records, 2 * ORDERS_PER_PARTITION);
  assert.ok(orders.sizeBytes > 0);
});

test('GET /api/topics/:name gives each partition its start and end offsets and every config with its source', async () => {
  const { body } = await get(`/api/topics/${ORDERS}`);
  const partitions = body.partitions as { partition: number; logStartOffset: number; logEndOffset: number }[];
  assert.deepEqual(
    partitions.map((p) => [p.partition, p.logStartOffset, p.logEndOffset]),
    [
      [0, 0, ORDERS_PER_PARTITION],
      [1, 0, ORDERS_PER_PARTITION],
    ],
  );
  const configs = body.configs as { name: string; value: string; source: string }[];
  assert.equal(configs.find((c) => c.name === 'retention.ms')?.source, 'default');
});

test('browsing from an offset decodes JSON, text and binary values and the headers', async () => {
  const { body } = await get(`/api/topics/${ORDERS}/partitions/1/messages?offset=7&limit=10`);
  const records = body.records as Browsed[];
  assert.deepEqual(
    records.map((r) => [r.offset, r.value.encoding]),
    [
      [7, 'json'],
      [8, 'text'],
      [9, 'binary'],
    ],
  );
  assert.deepEqual(JSON.parse(records[0]?.value.text ?? ''), { order: 107, item: 'widget-7', qty: 8 });
  assert.equal(records[1]?.value.text, 'plain text note 1-8');
  assert.equal(records[2]?.value.hex, 'deadbeef00ff');
  assert.equal(records[0]?.key.text, 'order-1-7');
  assert.deepEqual(
    records[0]?.headers.map((h) => [h.key, h.value.text]),
    [['source', 'fixture']],
  );
  assert.equal(body.nextOffset, ORDERS_PER_PARTITION);
});

test('browsing from a timestamp starts at the first record at or after it', async () => {
  const at = BASE_TIMESTAMP_MS + 5_500;
  const { body } = await get(`/api/topics/${ORDERS}/partitions/0/messages?timestamp=${at}&limit=2`);
  const records = body.records as Browsed[];
  assert.deepEqual(
    records.map((r) => [r.offset, r.timestampMs]),
    [
      [6, BASE_TIMESTAMP_MS + 6_000],
      [7, BASE_TIMESTAMP_MS + 7_000],
    ],
  );
});

test('browsing with neither offset nor timestamp shows the newest records', async () => {
  const { body } = await get(`/api/topics/${ORDERS}/partitions/0/messages?limit=3`);
  assert.deepEqual(
    (body.records as Browsed[]).map((r) => r.offset),
    [7, 8, 9],
  );
});

test('browsing a partition the topic does not have is refused naming the value', async () => {
  const { status, body } = await get(`/api/topics/${ORDERS}/partitions/5/messages`);
  assert.equal(status, 400);
  assert.match(String(body.error), /partition '5'/);
});

test('PUT configs sets a topic override, and refuses an invalid value naming it', async () => {
  const set = await send('PUT', `/api/topics/${ORDERS}/configs`, { set: { 'retention.ms': '3600000' } });
  assert.equal(set.status, 200);
  const configs = set.body.configs as { name: string; value: string; source: string }[];
  const retention = configs.find((c) => c.name === 'retention.ms');
  assert.deepEqual([retention?.value, retention?.source], ['3600000', 'topic']);
  const bad = await send('PUT', `/api/topics/${ORDERS}/configs`, { set: { 'retention.ms': 'soon' } });
  assert.equal(bad.status, 400);
  assert.match(String(bad.body.error), /retention\.ms/);
  assert.match(String(bad.body.error), /soon/);
  const restored = await send('PUT', `/api/topics/${ORDERS}/configs`, { delete: ['retention.ms'] });
  assert.equal(
    (restored.body.configs as { name: string; source: string }[]).find((c) => c.name === 'retention.ms')
      ?.source,
    'default',
  );
});

test('a state-changing request without a JSON content type is refused', async () => {
  const res = await fetch(new URL(`/api/topics/${ORDERS}/configs`, fixture.url), {
    method: 'PUT',
    headers: { 'content-type': 'text/plain' },
    body: '{"set":{"retention.ms":"1"}}',
  });
  assert.equal(res.status, 415);
});

test('groups show lag per partition and in total, and a reset to earliest makes the whole log lag', async () => {
  const list = (await get('/api/groups')).body as { groups: { groupId: string; totalLag: number }[] };
  const billing = list.groups.find((g) => g.groupId === BILLING_GROUP);
  assert.equal(billing?.totalLag, 2 * (ORDERS_PER_PARTITION - BILLING_COMMITTED));
  const described = (await get(`/api/groups/${BILLING_GROUP}`)).body;
  assert.deepEqual(
    (described.partitions as { partition: number; committedOffset: number; lag: number }[]).map((p) => [
      p.partition,
      p.committedOffset,
      p.lag,
    ]),
    [
      [0, BILLING_COMMITTED, ORDERS_PER_PARTITION - BILLING_COMMITTED],
      [1, BILLING_COMMITTED, ORDERS_PER_PARTITION - BILLING_COMMITTED],
    ],
  );
  const reset = await send('POST', `/api/groups/${BILLING_GROUP}/reset-offsets`, {
    topic: ORDERS,
    to: 'earliest',
  });
  assert.equal(reset.status, 200, JSON.stringify(reset.body));
  const after = (await get(`/api/groups/${BILLING_GROUP}`)).body;
  assert.equal(after.totalLag, 2 * ORDERS_PER_PARTITION);
  const back = await send('POST', `/api/groups/${BILLING_GROUP}/reset-offsets`, {
    topic: ORDERS,
    to: 'offset',
    value: BILLING_COMMITTED,
  });
  assert.equal(back.status, 200);
  assert.equal(
    (await get(`/api/groups/${BILLING_GROUP}`)).body.totalLag,
    2 * (ORDERS_PER_PARTITION - BILLING_COMMITTED),
  );
});

test('a reset with an unknown target is refused naming the target', async () => {
  const bad = await send('POST', `/api/groups/${BILLING_GROUP}/reset-offsets`, {
    topic: ORDERS,
    to: 'yesterday',
  });
  assert.equal(bad.status, 400);
  assert.match(String(bad.body.error), /yesterday/);
});

test('a defined job starts from the API, reports operators and stops', async () => {
  const started = await send('POST', '/api/jobs/pushed-counts/start', {});
  assert.equal(started.status, 200, JSON.stringify(started.body));
  assert.equal(started.body.state, 'running');
  assert.match(String(started.body.plan), /stage 0/);
  const again = await send('POST', '/api/jobs/pushed-counts/start', {});
  assert.equal(again.status, 409);
  const stopped = await send('POST', '/api/jobs/pushed-counts/stop', {});
  assert.equal(stopped.status, 200);
  const ended = await fixture.broker.observability.jobs.ended('pushed-counts');
  assert.equal(ended.state, 'stopped');
  const view = (await get('/api/jobs/pushed-counts')).body;
  assert.ok((view.operators as unknown[]).length > 0, 'a stopped job keeps its last operator figures');
});

test('an unknown API path answers 404 naming the path', async () => {
  const { status, body } = await get('/api/nothing-here');
  assert.equal(status, 404);
  assert.match(String(body.error), /\/api\/nothing-here/);
});
