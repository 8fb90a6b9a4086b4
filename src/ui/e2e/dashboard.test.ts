// The dashboard end to end in headless Chromium (Debian's package, driven by playwright-core):
// each page loads against a running broker and job, and a person's clicks work: browsing
// messages, the live tail, editing a config, resetting a group's offsets through the
// confirmation, stopping a job. Screenshots of every page go to test-artifacts/dashboard/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { type ChromiumPage, openChromiumPage, chromiumSkip as skip } from '../testing/chromium.ts';
import {
  BILLING_COMMITTED,
  BILLING_GROUP,
  type DashboardFixture,
  ORDERS,
  ORDERS_PER_PARTITION,
  startDashboardFixture,
} from '../testing/dashboard-fixture.ts';

let fixture: DashboardFixture;
let chrome: ChromiumPage;
let page: Page;

before(async () => {
  if (skip !== false) return;
  fixture = await startDashboardFixture();
  await fixture.broker.observability.jobs.start('pushed-counts');
  chrome = await openChromiumPage({ viewport: { width: 1400, height: 1000 } });
  page = chrome.page;
});

after(async () => {
  if (skip !== false) return;
  await chrome?.close();
  await fixture?.close();
});

test('the overview shows counts, throughput charts and health', { skip }, async () => {
  await page.goto(`${fixture.url}#/overview`);
  const cards = page.getByTestId('overview-cards');
  await cards.getByText('Partitions').waitFor();
  assert.equal(
    await cards
      .locator('.card')
      .filter({ has: page.getByText('Topics', { exact: true }) })
      .locator('.card-value')
      .textContent(),
    '1',
  );
  await page.locator('#live.on').waitFor();
  // A sample or two in, the charts have drawn.
  await page.locator('.uplot').first().waitFor();
  await page.getByRole('cell', { name: 'storage' }).waitFor();
  await chrome.shot('overview');
});

test('the topics page lists the topic and its page shows partitions and the newest records', {
  skip,
}, async () => {
  await page.getByRole('link', { name: 'Topics' }).click();
  const row = page.getByTestId('topics-table').getByRole('row', { name: new RegExp(`^${ORDERS}\\b`) });
  await row.waitFor();
  await row.getByRole('cell', { name: String(2 * ORDERS_PER_PARTITION), exact: true }).waitFor();
  await chrome.shot('topics');
  await row.getByRole('link', { name: ORDERS }).click();
  await page.getByTestId('partitions-table').getByRole('cell', { name: '10' }).first().waitFor();
  await page.getByTestId('records-table').getByText('widget-7').first().waitFor();
  await chrome.shot('topic');
});

test('browsing from an offset shows JSON, text and binary values, and hex on request', { skip }, async () => {
  await page.getByTestId('browse-partition').selectOption('1');
  await page.getByTestId('browse-mode').selectOption('offset');
  await page.getByTestId('browse-position').fill('7');
  await page.getByTestId('browse-button').click();
  const table = page.getByTestId('records-table');
  await table.getByText('plain text note 1-8').waitFor();
  await table.getByText('de ad be ef 00 ff').waitFor();
  assert.equal(await table.locator('tbody tr').count(), 3);
  assert.match((await table.locator('tbody tr').first().textContent()) ?? '', /"item": "widget-7"/);
  await chrome.shot('topic-browse');
  await page.getByTestId('browse-view').selectOption('hex');
  await table.getByText('70 6c 61 69 6e').waitFor();
  await page.getByTestId('browse-view').selectOption('auto');
});

test('the live tail shows a record produced while it runs', { skip }, async () => {
  await page.getByTestId('tail-toggle').click();
  await page.getByTestId('browse-status').getByText('tailing partition 1').waitFor();
  await fixture.producer.send({ topic: ORDERS, partition: 1, key: 'tailed', value: '{"tailed":"yes"}' });
  await page.getByTestId('records-table').getByText('"tailed": "yes"').waitFor();
  await chrome.shot('topic-tail');
  await page.getByTestId('tail-toggle').click();
});

test('editing a config saves it as a topic override', { skip }, async () => {
  await page.getByTestId('config-edit-retention.ms').click();
  await page.getByTestId('config-input-retention.ms').fill('7200000');
  await page.getByTestId('config-save-retention.ms').click();
  await page.getByTestId('config-message').getByText('Set retention.ms = 7200000').waitFor();
  const row = page.locator('tr[data-config="retention.ms"]');
  await row.getByText('topic override').waitFor();
  await chrome.shot('topic-config');
  assert.equal(fixture.broker.services.logs.describeTopic(ORDERS)?.configs['retention.ms'], '7200000');
});

test('the groups page lists the group with its lag and a lag chart', { skip }, async () => {
  await page.getByRole('link', { name: 'Consumer groups' }).click();
  const row = page.getByTestId('groups-table').getByRole('row', { name: new RegExp(`^${BILLING_GROUP}\\b`) });
  await row.waitFor();
  // The tail test appended one record to partition 1, which the group lags by too.
  const lag = 2 * (ORDERS_PER_PARTITION - BILLING_COMMITTED) + 1;
  await row.getByRole('cell', { name: String(lag), exact: true }).waitFor();
  await page.locator('.uplot').first().waitFor();
  await chrome.shot('groups');
});

test('resetting offsets asks for confirmation, and confirming moves the lag', { skip }, async () => {
  await page.getByTestId('groups-table').getByRole('link', { name: BILLING_GROUP }).click();
  const lagBefore = 2 * (ORDERS_PER_PARTITION - BILLING_COMMITTED) + 1;
  await page.getByTestId('total-lag').getByText(String(lagBefore)).waitFor();
  await page.getByTestId('reset-to').selectOption('earliest');
  await page.getByTestId('reset-button').click();
  const dialog = page.getByTestId('confirm-dialog');
  await dialog.getByText(`Reset the committed offsets of group '${BILLING_GROUP}'`).waitFor();
  await chrome.shot('group-reset-confirm');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await page.getByTestId('reset-message').getByText('Reset cancelled.').waitFor();
  assert.equal(await page.getByTestId('total-lag').textContent(), String(lagBefore));
  await page.getByTestId('reset-button').click();
  await dialog.getByRole('button', { name: 'Reset offsets' }).click();
  await page.getByTestId('reset-message').getByText('partition 0 → 0').waitFor();
  await page
    .getByTestId('total-lag')
    .getByText(String(2 * ORDERS_PER_PARTITION + 1))
    .waitFor();
  await chrome.shot('group');
});

test('the jobs page shows the running job graph and figures, and stops it after confirmation', {
  skip,
}, async () => {
  await page.getByRole('link', { name: 'Jobs' }).click();
  await page.getByTestId('plan-graph').waitFor();
  const operators = page.getByTestId('operators-pushed-counts');
  await operators
    .getByRole('cell', { name: /window/ })
    .first()
    .waitFor();
  await chrome.shot('jobs');
  await page.getByTestId('job-stop-pushed-counts').click();
  await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Stop job' }).click();
  await page.getByTestId('job-start-pushed-counts').waitFor();
  assert.equal((await fixture.broker.observability.jobs.ended('pushed-counts')).state, 'stopped');
  await chrome.shot('jobs-stopped');
});

test('no page raised a script error', { skip }, () => {
  assert.deepEqual(chrome.errors, []);
});
