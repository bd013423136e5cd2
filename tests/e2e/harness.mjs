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
    // `phone`: a 390x844 touch screen, as a phone's browser shows the page;
    // `viewport`: another desktop size (1280x720 unless given).
    async open(path = '/', { colorScheme = 'light', init, editor = !path.includes('bench='), phone = false, viewport } = {}) {
      const screen = phone
        ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }
        : { viewport: viewport ?? { width: 1280, height: 720 } };
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

/** The box of the first element matching `selector`; fails the test if it has none. */
export async function boxOf(page, selector) {
  const box = await page.locator(selector).first().boundingBox();
  if (!box) throw new Error(`no box for ${selector}`);
  return box;
}

/** The pointer onto a drawn line, halfway along it (a routed line's box
 * centre is often off the line, over something else). */
export async function hoverLine(page, selector) {
  const at = await page.locator(`${selector} .edge-hit, ${selector} .link-line`).first().evaluate((path) => {
    const p = path.getPointAtLength(path.getTotalLength() / 2);
    const screen = new DOMPoint(p.x, p.y).matrixTransform(path.getScreenCTM());
    return { x: screen.x, y: screen.y };
  });
  await page.mouse.move(at.x, at.y);
}

/** A mouse drag in steps, as a person drags. */
export async function drag(page, from, to) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 4 });
  await page.mouse.move(to.x, to.y, { steps: 4 });
  await page.mouse.up();
}

/** The ids of the nodes drawn on the canvas. */
export async function nodeIds(page) {
  return page.$$eval('[data-testid="canvas"] [data-node-id]', (nodes) =>
    [...new Set(nodes.map((n) => n.getAttribute('data-node-id')))]);
}

/** The open diagram's share link, from the share dialog, which it closes. */
export async function shareLinkOf(page) {
  await page.click('[data-testid="share"]');
  await page.waitForSelector('[data-testid="share-link"]');
  const link = await page.inputValue('[data-testid="share-link"]');
  await page.click('[data-testid="share-close"]');
  return link;
}
