// The apps pages end to end in headless Chromium (Debian's package, driven by playwright-core),
// against a broker whose app topics are written by a transactional producer in the contract
// shapes: each page says how to start its app until the topics appear, then a person can search
// and pick a market, see its chart with the spike marked, follow spikes and sentiment alerts as
// they arrive, and read a keyword's timeline and scored messages. Screenshots go to
// test-artifacts/dashboard/.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { cryptoTopics } from '../../apps/crypto/records.ts';
import { sentimentTopics } from '../../apps/sentiment/records.ts';
import {
  ALERT_KEYWORD,
  type AppsFixture,
  BARS_PER_MARKET,
  fixtureAlert,
  fixtureBar,
  fixturePoint,
  POINTS_PER_KEYWORD,
  SPIKE_MARKET,
  spikeOf,
  startAppsFixture,
} from '../testing/apps-fixture.ts';

const CHROMIUM = '/usr/bin/chromium';
const artifacts = new URL('../../../test-artifacts/dashboard/', import.meta.url).pathname;
// The same flags as dashboard.test.ts: no sandbox as root, no background connections.
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const skip = existsSync(CHROMIUM)
  ? false
  : `no ${CHROMIUM}: install Debian's browser with 'apt-get install chromium'`;

let fixture: AppsFixture;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

before(async () => {
  if (skip !== false) return;
  mkdirSync(artifacts, { recursive: true });
  fixture = await startAppsFixture();
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
});

after(async () => {
  if (skip !== false) return;
  await browser?.close();
  await fixture?.close();
});

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

test('the crypto page says how to start the app while its topics are absent', { skip }, async () => {
  await page.goto(`${fixture.url}#/overview`);
  await page.getByRole('link', { name: 'Crypto' }).click();
  const banner = page.getByTestId('app-not-running');
  await banner.getByText('The crypto app is not running').waitFor();
  await banner.getByText('npx sluice demo crypto').waitFor();
  await shot('crypto-not-running');
});

test('once the topics appear, a market is found by search and its chart shows the spike', {
  skip,
}, async () => {
  await fixture.writeCrypto();
  await page.getByTestId('market-list').locator('button').first().waitFor();
  await page.getByTestId('market-count').getByText('60 matching markets').waitFor();
  await page.getByTestId('market-search').fill('kraken btc-usd');
  await page.getByTestId('market-count').getByText('1 of 1 matching markets').waitFor();
  const pick = page.getByTestId('market-list').locator(`button[data-market="${SPIKE_MARKET}"]`);
  await pick.waitFor();
  assert.equal(await page.getByTestId('market-list').locator('button').count(), 1);
  await pick.click();
  await page.getByTestId('market-head').getByText(SPIKE_MARKET).waitFor();
  const chart = page.getByTestId('price-chart');
  await chart.locator('.uplot').first().waitFor();
  assert.equal(await chart.getAttribute('data-bars'), String(BARS_PER_MARKET));
  assert.equal(await chart.getAttribute('data-spike-markers'), '1');
  await page.getByTestId('spike-feed').locator(`button[data-market="${SPIKE_MARKET}"]`).waitFor();
  await page.getByTestId('market-spikes').getByText('+8.00%').waitFor();
  assert.match(page.url(), /#\/crypto\/kraken%3ABTC-USD$/);
  await shot('crypto-market');
});

test('a new bar moves the chart live, and a spike on another market appears and opens it', {
  skip,
}, async () => {
  const next = fixtureBar('kraken', 'BTC-USD', BARS_PER_MARKET);
  await fixture.publish(cryptoTopics.bars, [{ key: SPIKE_MARKET, value: next }]);
  const chart = page.getByTestId('price-chart');
  await page.locator(`[data-testid="price-chart"][data-bars="${BARS_PER_MARKET + 1}"]`).waitFor();
  const other = 'binance:ETH-USD';
  const bar = fixtureBar('binance', 'ETH-USD', BARS_PER_MARKET);
  const spiking = {
    ...bar,
    close: bar.open * 0.9,
    low: bar.open * 0.89,
    returnPct: -0.1,
    spike: true,
    probability: 0.95,
  };
  await fixture.publish(cryptoTopics.bars, [{ key: other, value: spiking }]);
  await fixture.publish(cryptoTopics.spikes, [{ key: other, value: spikeOf(spiking) }]);
  const alert = page.getByTestId('spike-feed').locator(`button[data-market="${other}"]`);
  await alert.getByText('▼ down').waitFor();
  await shot('crypto-live-spike');
  await alert.click();
  await page.getByTestId('market-head').getByText(other).waitFor();
  await page.locator(`[data-testid="price-chart"][data-bars="${BARS_PER_MARKET + 1}"]`).waitFor();
  assert.equal(await chart.getAttribute('data-spike-markers'), '1');
  await page.getByTestId('market-spikes').getByText('-10.00%').waitFor();
  await shot('crypto-other-market');
});

test("the sentiment page says how to start the app, then shows a keyword's timeline and messages", {
  skip,
}, async () => {
  await page.getByRole('link', { name: 'Sentiment' }).click();
  await page.getByTestId('app-not-running').getByText('npx sluice demo sentiment').waitFor();
  await shot('sentiment-not-running');
  await fixture.writeSentiment();
  await page.getByTestId(`keyword-${ALERT_KEYWORD}`).click();
  await page.getByTestId('keyword-head').getByText(ALERT_KEYWORD).waitFor();
  const chart = page.getByTestId('sentiment-chart');
  await chart.locator('.uplot').waitFor();
  await page.locator(`[data-testid="sentiment-chart"][data-points="${POINTS_PER_KEYWORD}"]`).waitFor();
  await page
    .getByTestId('sentiment-alerts')
    .getByText(`Sentiment about "${ALERT_KEYWORD}" turned negative`)
    .waitFor();
  const messages = page.getByTestId('scored-messages');
  await messages.getByText(`message 0 about ${ALERT_KEYWORD} (negative)`).waitFor();
  assert.ok((await messages.locator('tbody tr').count()) > 0);
  assert.ok(
    (await messages.locator('tbody tr').allTextContents()).every((row) => row.includes(ALERT_KEYWORD)),
    "only the chosen keyword's messages are listed",
  );
  await shot('sentiment');
});

test('a new timeline point and a new alert appear live', { skip }, async () => {
  await fixture.publish(sentimentTopics.timeline, [
    { key: ALERT_KEYWORD, value: fixturePoint(ALERT_KEYWORD, POINTS_PER_KEYWORD) },
  ]);
  await page.locator(`[data-testid="sentiment-chart"][data-points="${POINTS_PER_KEYWORD + 1}"]`).waitFor();
  const alert = fixtureAlert('bitcoin', POINTS_PER_KEYWORD);
  await fixture.publish(sentimentTopics.alerts, [{ key: 'bitcoin', value: alert }]);
  const item = page.getByTestId('sentiment-alerts').locator(`button[data-alert="${alert.id}"]`);
  await item.waitFor();
  await shot('sentiment-live-alert');
  await item.click();
  await page.getByTestId('keyword-head').getByText('bitcoin').waitFor();
  assert.match(page.url(), /#\/sentiment\/bitcoin$/);
});

test('no page raised a script error', { skip }, () => {
  assert.deepEqual(pageErrors, []);
});
