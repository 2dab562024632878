import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));

/** Debian's Chromium (scripts/test.sh installs it); no browser is ever downloaded. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where the steps' screenshots go: the CI artefacts under scripts/test.sh's results folder. */
export const screenshotDir = process.env.PAGES_SCREENSHOTS ?? resolve(here, '../../../.test-run/results/screenshots');

/**
 * Headless Chromium. Without the background-networking flags Chromium calls Google's services at start, which this
 * machine's closed network refuses.
 */
export function launchBrowser() {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Opens `url` in a fresh browser context (its own cookies and sessionStorage: another person's browser) and records
 * what the page must not do: console errors, uncaught errors, and more than one open WebSocket at a time.
 * @returns {Promise<{ page: import('playwright-core').Page, context: import('playwright-core').BrowserContext, record: PageRecord }>}
 */
export async function openPage(browser, url, { viewport = { width: 1100, height: 720 }, mobile = false } = {}) {
  const context = await browser.newContext({ viewport, isMobile: mobile, hasTouch: mobile, locale: 'zh-CN' });
  const page = await context.newPage();
  const record = new PageRecord(url);
  page.on('console', (message) => {
    if (message.type() === 'error') {
      record.errors.push(`console.error: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => record.errors.push(`uncaught: ${error.message}`));
  page.on('websocket', (socket) => {
    record.sockets++;
    record.open++;
    record.mostOpen = Math.max(record.mostOpen, record.open);
    socket.on('close', () => record.open--);
  });
  page.on('request', (request) => {
    if (request.url().endsWith('/api/dev/token')) {
      record.tokenRequests++;
    }
  });
  await page.goto(url);
  return { page, context, record };
}

/** What a page did that a test checks at its end. */
export class PageRecord {
  constructor(url) {
    this.url = url;
    /** @type {string[]} */
    this.errors = [];
    /** WebSockets opened, open now, and open at once at most. */
    this.sockets = 0;
    this.open = 0;
    this.mostOpen = 0;
    this.tokenRequests = 0;
  }
}

/** Saves a screenshot of the page as `<screenshotDir>/<name>.png`; returns its path. */
export async function screenshot(page, name) {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
