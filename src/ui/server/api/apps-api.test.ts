// The apps pages' JSON API and event streams against a real broker over HTTP: the apps are "not
// running" until their topics exist, then the history written by a transactional producer is
// searchable and plotted, aborted records never show, and new spikes and alerts are streamed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { cryptoTopics } from '../../../apps/crypto/records.ts';
import { sentimentTopics } from '../../../apps/sentiment/records.ts';
import {
  ALERT_KEYWORD,
  type AppsFixture,
  BARS_PER_MARKET,
  fixtureAlert,
  fixtureBar,
  KEYWORDS,
  MARKETS,
  POINTS_PER_KEYWORD,
  SPIKE_BAR,
  SPIKE_MARKET,
  spikeOf,
  startAppsFixture,
} from '../../testing/apps-fixture.ts';

let fixture: AppsFixture;

before(async () => {
  fixture = await startAppsFixture();
});

after(async () => {
  await fixture.close();
});

async function get(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(new URL(path, fixture.url));
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

interface AppStatus {
  name: string;
  running: boolean;
  startCommand: string;
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function running(name: string): Promise<boolean> {
  const apps = (await get('/api/apps')).body.apps as AppStatus[];
  return apps.find((a) => a.name === name)?.running === true;
}

/** Reads server-sent events until `until` returns true for one; at most timeoutMs. */
async function readEvents(
  path: string,
  until: (event: string, data: unknown) => boolean,
  onOpen: () => Promise<void>,
  timeoutMs = 10_000,
): Promise<{ event: string; data: unknown }[]> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const res = await fetch(new URL(path, fixture.url), { signal: abort.signal });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
  const seen: { event: string; data: unknown }[] = [];
  const reader = res.body?.getReader();
  assert.ok(reader);
  const decoder = new TextDecoder();
  let text = '';
  let opened = false;
  try {
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += decoder.decode(chunk.value, { stream: true });
      let end = text.indexOf('\n\n');
      while (end >= 0) {
        const block = text.slice(0, end);
        text = text.slice(end + 2);
        end = text.indexOf('\n\n');
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event === undefined || data === undefined) continue;
        const parsed = JSON.parse(data) as unknown;
        seen.push({ event, data: parsed });
        if (event === 'ready' && !opened) {
          opened = true;
          await onOpen();
        }
        if (until(event, parsed)) return seen;
      }
    }
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
  throw new Error(`The stream ${path} ended before the awaited event; saw ${JSON.stringify(seen)}`);
}

test('GET /api/apps says both apps are not running, and how to start them, before their topics exist', async () => {
  const { status, body } = await get('/api/apps');
  assert.equal(status, 200);
  const apps = body.apps as AppStatus[];
  assert.deepEqual(
    apps.map((a) => [a.name, a.running, a.startCommand]),
    [
      ['crypto', false, 'npx sluice demo crypto'],
      ['sentiment', false, 'npx sluice demo sentiment'],
    ],
  );
});

test('once the crypto topics appear, every market is indexed with its last price and spikes', async () => {
  await fixture.writeCrypto();
  await waitFor('the crypto app to run', () => running('crypto'));
  await waitFor(
    'every market',
    async () => (await get('/api/apps/crypto/markets?limit=1')).body.total === MARKETS.length,
  );
  const { body } = await get('/api/apps/crypto/markets?q=kraken%20btc&limit=10');
  const markets = body.markets as { id: string; lastPrice: number; spikes: number; bars: number }[];
  assert.equal(body.total, 7, JSON.stringify(markets.map((m) => m.id)));
  // Most spikes first: the spiking market leads.
  assert.equal(markets[0]?.id, SPIKE_MARKET);
  assert.equal(markets[0]?.spikes, 1);
  assert.equal(markets[0]?.bars, BARS_PER_MARKET);
  assert.equal(markets[0]?.lastPrice, fixtureBar('kraken', 'BTC-USD', BARS_PER_MARKET - 1).close);
  assert.ok(markets.every((m) => m.id.startsWith('kraken:') && m.id.includes('BTC')));
});

test("GET /api/apps/crypto/bars gives the market's bars as columns with the spike flagged", async () => {
  const { status, body } = await get(`/api/apps/crypto/bars?market=${encodeURIComponent(SPIKE_MARKET)}`);
  assert.equal(status, 200);
  const starts = body.windowStartMs as number[];
  const spike = body.spike as boolean[];
  assert.equal(starts.length, BARS_PER_MARKET);
  assert.deepEqual(
    starts,
    [...starts].sort((a, b) => a - b),
  );
  assert.deepEqual(
    spike.flatMap((s, i) => (s ? [i] : [])),
    [SPIKE_BAR],
  );
  assert.equal((body.close as number[])[SPIKE_BAR], fixtureBar('kraken', 'BTC-USD', SPIKE_BAR).close);
  assert.equal((body.spikes as unknown[]).length, 1);
});

test('bars and searches with bad parameters are refused naming the parameter and value', async () => {
  const missing = await get('/api/apps/crypto/bars');
  assert.equal(missing.status, 400);
  assert.match(String(missing.body.error), /'market'/);
  const unknown = await get('/api/apps/crypto/bars?market=nowhere:XYZ-USD');
  assert.equal(unknown.status, 404);
  assert.match(String(unknown.body.error), /nowhere:XYZ-USD/);
  const limit = await get('/api/apps/crypto/markets?limit=0');
  assert.equal(limit.status, 400);
  assert.match(String(limit.body.error), /limit '0'/);
  const long = await get(`/api/apps/crypto/markets?q=${'x'.repeat(500)}`);
  assert.equal(long.status, 400);
  assert.match(String(long.body.error), /got 500/);
  const post = await fetch(new URL('/api/apps/crypto/spikes', fixture.url), { method: 'POST' });
  assert.equal(post.status, 405);
  const nothing = await get('/api/apps/crypto/nothing');
  assert.equal(nothing.status, 404);
  assert.match(String(nothing.body.error), /\/api\/apps\/crypto\/nothing/);
});

test('a bar in an aborted transaction never shows; a committed spike is streamed live', async () => {
  const aborted = fixtureBar('kraken', 'BTC-USD', BARS_PER_MARKET);
  await fixture.publish(cryptoTopics.bars, [{ key: SPIKE_MARKET, value: { ...aborted, close: 1 } }], true);
  const next = fixtureBar('kraken', 'BTC-USD', BARS_PER_MARKET + 1);
  const spiking = { ...next, close: next.open * 0.9, spike: true, probability: 0.99 };
  const seen = await readEvents(
    `/events/apps/crypto?market=${encodeURIComponent(SPIKE_MARKET)}`,
    (event) => event === 'spike',
    async () => {
      await fixture.publish(cryptoTopics.bars, [{ key: SPIKE_MARKET, value: spiking }]);
      await fixture.publish(cryptoTopics.spikes, [{ key: SPIKE_MARKET, value: spikeOf(spiking) }]);
    },
  );
  const bar = seen.find((e) => e.event === 'bar')?.data as { bar: { windowStartMs: number } } | undefined;
  assert.equal(bar?.bar.windowStartMs, spiking.windowStartMs);
  const spike = seen.find((e) => e.event === 'spike')?.data as { direction: string };
  assert.equal(spike.direction, 'down');
  const { body } = await get(`/api/apps/crypto/bars?market=${encodeURIComponent(SPIKE_MARKET)}`);
  const closes = body.close as number[];
  assert.ok(!closes.includes(1), 'the aborted bar is not read');
  assert.equal((body.windowStartMs as number[]).at(-1), spiking.windowStartMs);
  const spikes = (await get('/api/apps/crypto/spikes?limit=1')).body.spikes as { windowStartMs: number }[];
  assert.deepEqual(
    spikes.map((s) => s.windowStartMs),
    [spiking.windowStartMs],
  );
});

test("the sentiment keywords, a keyword's timeline, alerts and scored messages are served", async () => {
  await fixture.writeSentiment();
  await waitFor('the sentiment app to run', () => running('sentiment'));
  await waitFor(
    'every keyword',
    async () =>
      ((await get('/api/apps/sentiment/keywords')).body.keywords as unknown[]).length === KEYWORDS.length,
  );
  const keywords = (await get('/api/apps/sentiment/keywords')).body.keywords as {
    keyword: string;
    alerts: number;
  }[];
  assert.deepEqual(
    keywords.map((k) => k.keyword),
    [...KEYWORDS],
  );
  await waitFor('the timeline', async () => {
    const t = await get(`/api/apps/sentiment/timeline?keyword=${ALERT_KEYWORD}`);
    return t.status === 200 && (t.body.meanScore as number[]).length === POINTS_PER_KEYWORD;
  });
  const timeline = (await get(`/api/apps/sentiment/timeline?keyword=${ALERT_KEYWORD}`)).body;
  assert.equal((timeline.meanScore as number[]).at(-1), -0.6);
  assert.equal((timeline.meanScore as number[])[0], 0.25);
  await waitFor(
    'the alert',
    async () => ((await get('/api/apps/sentiment/alerts')).body.alerts as unknown[]).length === 1,
  );
  const messages = (await get('/api/apps/sentiment/messages?keyword=sluice&limit=3')).body.messages as {
    keyword: string;
    label: string;
  }[];
  assert.equal(messages.length, 3);
  assert.ok(messages.every((m) => m.keyword === 'sluice'));
  const missing = await get('/api/apps/sentiment/timeline?keyword=nothing');
  assert.equal(missing.status, 404);
  assert.match(String(missing.body.error), /'nothing'/);
});

test('a new alert is streamed to the sentiment page, and a replayed one is not', async () => {
  const alert = fixtureAlert('bitcoin', POINTS_PER_KEYWORD);
  const seen = await readEvents(
    '/events/apps/sentiment',
    (event, data) => event === 'alert' && (data as { keyword: string }).keyword === 'bitcoin',
    async () => {
      await fixture.publish(sentimentTopics.alerts, [
        { key: ALERT_KEYWORD, value: fixtureAlert(ALERT_KEYWORD, POINTS_PER_KEYWORD - 1) },
      ]);
      await fixture.publish(sentimentTopics.alerts, [{ key: 'bitcoin', value: alert }]);
    },
  );
  assert.deepEqual(
    seen.filter((e) => e.event === 'alert').map((e) => (e.data as { id: string }).id),
    [alert.id],
  );
  const alerts = (await get('/api/apps/sentiment/alerts')).body.alerts as { id: string }[];
  assert.equal(alerts.length, 2);
  assert.equal(alerts[0]?.id, alert.id);
});
