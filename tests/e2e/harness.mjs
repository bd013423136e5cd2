// Shared set-up for the browser tests: one server for the release build and
// one headless Debian Chromium, with every console error and page error kept
// so a test can assert there were none.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serveDist } from '../../scripts/serve-dist.mjs';

export const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function startHarness() {
  mkdirSync(ARTIFACTS, { recursive: true });
  const { server, url } = await serveDist({});
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  return {
    url,
    browser,
    /**
     * A fresh page; `problems` collects console errors and uncaught exceptions.
     * `init` runs in the page before any of the app's scripts.
     */
    // Unless told otherwise, waits for the editor's module (loaded after the
    // first paint) so a test starts with every tool on the page; the
    // benchmark pages have no editor to wait for.
    // `phone`: a 390x844 touch screen, as a phone's browser shows the page.
    async open(path = '/', { colorScheme = 'light', init, editor = !path.includes('bench='), phone = false } = {}) {
      const screen = phone
        ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }
        : { viewport: { width: 1280, height: 720 } };
      const context = await browser.newContext({ ...screen, colorScheme });
      if (init) await context.addInitScript(init);
      const page = await context.newPage();
      const problems = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
      await page.goto(url + path);
      if (editor) await page.waitForSelector('[data-editor="ready"]', { state: 'attached' });
      return { page, problems, context };
    },
    async close() {
      await browser.close();
      await new Promise((done) => server.close(done));
    },
  };
}
