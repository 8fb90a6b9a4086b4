// Headless Chromium for the dashboard's end-to-end tests: Debian's package, driven by
// playwright-core. The tests skip (saying how to install it) where the browser is missing.
// Screenshots go to test-artifacts/dashboard/.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const artifacts = new URL('../../../test-artifacts/dashboard/', import.meta.url).pathname;
// The flags this machine needs: no sandbox as root, and no background connections to the
// internet (the network is closed; Chromium would retry them at every start).
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The `skip` of every browser test: false, or why it cannot run here. */
export const chromiumSkip: false | string = existsSync(CHROMIUM)
  ? false
  : `no ${CHROMIUM}: install Debian's browser with 'apt-get install chromium'`;

export interface ChromiumPageOptions {
  viewport: { width: number; height: number };
  /** The page's default timeout for waits and actions; Playwright's own when absent. */
  defaultTimeoutMs?: number;
}

export interface ChromiumPage {
  readonly browser: Browser;
  readonly page: Page;
  /** The page's uncaught script errors and console errors, in the order raised. */
  readonly errors: string[];
  /** A full-page screenshot to test-artifacts/dashboard/<name>.png. */
  shot(name: string): Promise<void>;
  close(): Promise<void>;
}

/** Launches Chromium with one page that records its script errors. */
export async function openChromiumPage(options: ChromiumPageOptions): Promise<ChromiumPage> {
  mkdirSync(artifacts, { recursive: true });
  // launch() gives Chromium a new empty profile directory of its own and removes it on close.
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  const page = await browser.newPage({ viewport: options.viewport });
  if (options.defaultTimeoutMs !== undefined) page.setDefaultTimeout(options.defaultTimeoutMs);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return {
    browser,
    page,
    errors,
    shot: async (name) => {
      await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
    },
    close: () => browser.close(),
  };
}
