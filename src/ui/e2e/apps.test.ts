// The apps pages end to end in headless Chromium (Debian's package, driven by playwright-core),
// against a broker running the real applications: the crypto trade generator feeding the spike
// detection job, the sentiment message generator feeding the sentiment job (see
// apps-live-fixture.ts). Each page says how to start its app until the jobs' topics appear; then
// a person can search and pick a market the job flagged, see its chart with the spike marked,
// follow the bars and spikes of the next span of trades as the job writes them, read a keyword's
// timeline, its negative-trend alert and scored messages, and see the next span's alert arrive.
// What the pages must show is read from the dashboard's API once the job has written it, never
// assumed. Screenshots go to test-artifacts/dashboard/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { InjectedSpike } from '../../apps/crypto/index.ts';
import {
  type AppsLiveFixture,
  CRYPTO_BAR_MS,
  type KeywordTimeline,
  type MarketBars,
  type MarketSummary,
  SENTIMENT_FIRST_EPISODE,
  SENTIMENT_NEXT_EPISODE,
  type SentimentAlert,
  type Spike,
  startAppsLiveFixture,
} from '../testing/apps-live-fixture.ts';
import { type ChromiumPage, openChromiumPage, chromiumSkip as skip } from '../testing/chromium.ts';

/** The longest any one wait on the page may take (the jobs have written everything by then). */
const PAGE_WAIT_MS = 15_000;

let fixture: AppsLiveFixture;
let chrome: ChromiumPage;
let page: Page;
/** The spike picked from the first crypto span's, whose market the later steps follow. */
let picked: Spike;

before(async () => {
  if (skip !== false) return;
  fixture = await startAppsLiveFixture();
  chrome = await openChromiumPage({
    viewport: { width: 1500, height: 1000 },
    defaultTimeoutMs: PAGE_WAIT_MS,
  });
  page = chrome.page;
});

after(async () => {
  if (skip !== false) return;
  await chrome?.close();
  await fixture?.close();
});

function pct(x: number): string {
  return `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)}%`;
}

function idOf(s: { exchange: string; market: string }): string {
  return `${s.exchange}:${s.market}`;
}

/** Whether the job's spike is one the generator injected (in its bar or the next). */
function wasInjected(spike: Spike, injected: readonly InjectedSpike[]): boolean {
  return injected.some(
    (i) =>
      i.marketId === idOf(spike) &&
      spike.windowStartMs - Math.floor(i.timestampMs / CRYPTO_BAR_MS) * CRYPTO_BAR_MS >= 0 &&
      spike.windowStartMs - Math.floor(i.timestampMs / CRYPTO_BAR_MS) * CRYPTO_BAR_MS <= CRYPTO_BAR_MS,
  );
}

/**
 * A spike the job wrote within [fromMs, toMs) that the generator injected, on a market with no
 * other spike (so its one feed item can be found) and not `except`.
 */
async function pickSpike(
  fromMs: number,
  toMs: number,
  injected: readonly InjectedSpike[],
  except: string | null,
): Promise<Spike> {
  const { spikes } = await fixture.api<{ spikes: Spike[] }>('api/apps/crypto/spikes?limit=200');
  const perMarket = new Map<string, number>();
  for (const s of spikes) perMarket.set(idOf(s), (perMarket.get(idOf(s)) ?? 0) + 1);
  const found = spikes.find(
    (s) =>
      s.windowStartMs >= fromMs &&
      s.windowStartMs < toMs &&
      idOf(s) !== except &&
      perMarket.get(idOf(s)) === 1 &&
      wasInjected(s, injected),
  );
  assert.ok(
    found !== undefined,
    `the job flagged an injected spike between ${new Date(fromMs).toISOString()} and ${new Date(toMs).toISOString()}: ` +
      `${spikes.length} spikes, ${injected.length} injected`,
  );
  return found;
}

async function barsOf(id: string): Promise<MarketBars> {
  return fixture.api<MarketBars>(`api/apps/crypto/bars?market=${encodeURIComponent(id)}`);
}

/** Waits until the price chart shows `bars` (a market's bars as the API has them). */
async function chartShows(bars: MarketBars): Promise<void> {
  const markers = bars.spike.filter((s) => s).length;
  await page
    .locator(
      `[data-testid="price-chart"][data-bars="${bars.windowStartMs.length}"][data-spike-markers="${markers}"]`,
    )
    .waitFor();
}

test('the crypto page says how to start the app while its topics are absent', { skip }, async () => {
  await page.goto(`${fixture.url}#/overview`);
  await page.getByRole('link', { name: 'Crypto' }).click();
  const banner = page.getByTestId('app-not-running');
  await banner.getByText('The crypto app is not running').waitFor();
  await banner.getByText('npx sluice demo crypto').waitFor();
  await chrome.shot('crypto-not-running');
});

test('once the job runs, a market it flagged is found by search and its chart shows the spike', {
  skip,
}, async () => {
  const span = await fixture.startCrypto();
  picked = await pickSpike(span.startMs, span.endMs, span.fed.injected, null);
  const id = idOf(picked);
  const everything = await fixture.api<{ total: number }>('api/apps/crypto/markets?limit=1');
  await page.getByTestId('market-list').locator('button').first().waitFor();
  await page.getByTestId('market-count').getByText(`of ${everything.total} matching markets`).waitFor();

  const query = `${picked.exchange} ${picked.market.toLowerCase()}`;
  const matching = await fixture.api<{ total: number; markets: MarketSummary[] }>(
    `api/apps/crypto/markets?q=${encodeURIComponent(query)}&limit=50`,
  );
  assert.ok(matching.markets.some((m) => m.id === id));
  await page.getByTestId('market-search').fill(query);
  await page
    .getByTestId('market-count')
    .getByText(`${matching.markets.length} of ${matching.total} matching markets`, { exact: true })
    .waitFor();
  const pick = page.getByTestId('market-list').locator(`button[data-market="${id}"]`);
  await pick.waitFor();
  assert.equal(await page.getByTestId('market-list').locator('button').count(), matching.markets.length);
  await pick.click();
  await page.getByTestId('market-head').getByText(id).waitFor();
  const chart = page.getByTestId('price-chart');
  await chart.locator('.uplot').first().waitFor();
  const bars = await barsOf(id);
  assert.ok(bars.spike.filter((s) => s).length >= 1, `${id} has a bar flagged as a spike`);
  await chartShows(bars);
  await page.getByTestId('spike-feed').locator(`button[data-market="${id}"]`).waitFor();
  await page.getByTestId('market-spikes').getByText(pct(picked.returnPct)).waitFor();
  assert.match(page.url(), new RegExp(`#/crypto/${encodeURIComponent(id)}$`));
  await chrome.shot('crypto-market');
});

test("the next span's bars move the chart live, and a spike on another market appears and opens it", {
  skip,
}, async () => {
  const id = idOf(picked);
  const earlier = await barsOf(id);
  const span = await fixture.moreCrypto();
  await fixture.cryptoCaughtUp(span);
  const grown = await barsOf(id);
  assert.ok(grown.windowStartMs.length > earlier.windowStartMs.length, `${id} has new bars`);
  await chartShows(grown);

  const other = await pickSpike(span.startMs, span.endMs, span.fed.injected, id);
  const otherId = idOf(other);
  const alert = page.getByTestId('spike-feed').locator(`button[data-market="${otherId}"]`);
  await alert.getByText(other.direction === 'up' ? '▲ up' : '▼ down').waitFor();
  await alert.getByText(pct(other.returnPct)).waitFor();
  await chrome.shot('crypto-live-spike');
  await alert.click();
  await page.getByTestId('market-head').getByText(otherId).waitFor();
  await chartShows(await barsOf(otherId));
  await page.getByTestId('market-spikes').getByText(pct(other.returnPct)).waitFor();
  assert.match(page.url(), new RegExp(`#/crypto/${encodeURIComponent(otherId)}$`));
  await chrome.shot('crypto-other-market');
});

test("the sentiment page says how to start the app, then shows a keyword's timeline, alert and messages", {
  skip,
}, async () => {
  await page.getByRole('link', { name: 'Sentiment' }).click();
  await page.getByTestId('app-not-running').getByText('npx sluice demo sentiment').waitFor();
  await chrome.shot('sentiment-not-running');
  const span = await fixture.startSentiment();
  const keyword = SENTIMENT_FIRST_EPISODE.keyword;
  const { alerts } = await fixture.api<{ alerts: SentimentAlert[] }>(
    `api/apps/sentiment/alerts?keyword=${keyword}&limit=200`,
  );
  const trend = alerts.find((a) => a.kind === 'negative-trend' && a.windowStartMs >= span.startMs);
  assert.ok(trend !== undefined, `the job raised a negative-trend alert for ${keyword}'s outage`);
  const timeline = await fixture.api<KeywordTimeline>(`api/apps/sentiment/timeline?keyword=${keyword}`);
  await page.getByTestId(`keyword-${keyword}`).click();
  await page.getByTestId('keyword-head').getByText(keyword).waitFor();
  const chart = page.getByTestId('sentiment-chart');
  await chart.locator('.uplot').waitFor();
  await page
    .locator(`[data-testid="sentiment-chart"][data-points="${timeline.windowStartMs.length}"]`)
    .waitFor();
  const item = page.getByTestId('sentiment-alerts').locator(`button[data-alert="${trend.id}"]`);
  await item.getByText(trend.summary).waitFor();
  // The table holds what the page loaded plus what the event stream pushed (a burst is thinned
  // to a batch per flush), so which messages it lists depends on when the page first looked:
  // each must be one the job scored for this keyword.
  const messages = page.getByTestId('scored-messages');
  await messages.locator('tbody tr', { hasText: keyword }).first().waitFor();
  const rows = await messages.locator('tbody tr').allTextContents();
  const scored = (await fixture.scoredMessages()).filter((m) => m.keyword === keyword);
  assert.ok(rows.length > 0 && scored.length > 0);
  for (const row of rows) {
    assert.ok(
      scored.some((m) => row.includes(m.text) && row.includes(m.user) && row.includes(m.label)),
      `the row '${row}' is a message the job scored about ${keyword}`,
    );
  }
  await chrome.shot('sentiment');
});

test("the next span's timeline points and its alert appear live", { skip }, async () => {
  const keyword = SENTIMENT_FIRST_EPISODE.keyword;
  const span = await fixture.moreSentiment();
  await fixture.sentimentCaughtUp(span);
  const timeline = await fixture.api<KeywordTimeline>(`api/apps/sentiment/timeline?keyword=${keyword}`);
  await page
    .locator(`[data-testid="sentiment-chart"][data-points="${timeline.windowStartMs.length}"]`)
    .waitFor();
  const next = SENTIMENT_NEXT_EPISODE.keyword;
  const { alerts } = await fixture.api<{ alerts: SentimentAlert[] }>(
    `api/apps/sentiment/alerts?keyword=${next}&limit=200`,
  );
  const alert = alerts.find((a) => a.kind === 'negative-trend' && a.windowStartMs >= span.startMs);
  assert.ok(alert !== undefined, `the job raised a negative-trend alert for ${next}'s outage`);
  const item = page.getByTestId('sentiment-alerts').locator(`button[data-alert="${alert.id}"]`);
  await item.waitFor();
  await chrome.shot('sentiment-live-alert');
  await item.click();
  await page.getByTestId('keyword-head').getByText(next).waitFor();
  assert.match(page.url(), new RegExp(`#/sentiment/${next}$`));
});

test('no page raised a script error', { skip }, () => {
  assert.deepEqual(chrome.errors, []);
});
