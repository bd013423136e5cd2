// The first load, as the browser sees it: what is fetched before the seed's
// problems are on screen is exactly what bench/size.mjs counts against the
// 250 kB budget, the editor's module comes after the first paint, and a
// request made before it arrives (or when it cannot arrive) is not lost.
// Any other diagram says its checks are coming until the editor brings them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startHarness, shareLinkOf } from './harness.mjs';
import { LAZY, counted, notInSeed } from '../../bench/size.mjs';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));

// Runs before the app: notes when the first problem is drawn, which
// resources had arrived by then, and when each fetch was made.
const RECORDER = () => {
  window.__load = { fetches: [], problemsAt: null, resourcesAtProblems: null };
  const fetch = window.fetch.bind(window);
  window.fetch = (input, init) => {
    const url = new URL(String(input instanceof Request ? input.url : input), location.href).href;
    window.__load.fetches.push({ url, at: performance.now() });
    return fetch(input, init);
  };
  new MutationObserver((_, observer) => {
    if (document.querySelector('[data-testid="problem"]')) {
      window.__load.problemsAt = performance.now();
      window.__load.resourcesAtProblems = performance.getEntriesByType('resource').map((entry) => entry.name);
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
};

let harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.close();
});

const pathOf = (url) => decodeURIComponent(new URL(url).pathname.slice(1));

test('what loads before the seed\'s problems is what the size budget counts, and the editor comes after', async () => {
  const { page, problems, context } = await harness.open('/', { init: RECORDER });
  try {
    await page.waitForSelector('[data-editor="ready"]');
    const load = await page.evaluate(() => window.__load);
    assert.ok(load.problemsAt !== null, 'the seed\'s problems were drawn');

    const files = readdirSync(DIST, { recursive: true }).map(String);
    const editor = files.filter((file) => /^stackdraw-editor-[0-9a-f]+\.wasm$/.test(file));
    assert.equal(editor.length, 1, `one editor module in dist/, found ${editor.join(', ')}`);
    assert.ok(LAZY.test(editor[0]), 'bench/size.mjs counts the editor as loaded later');

    // Everything that had arrived when the problems were drawn is counted
    // in the first load.
    const early = load.resourcesAtProblems.map(pathOf);
    assert.ok(early.some((file) => /^stackdraw-[0-9a-f]+_bg\.wasm$/.test(file)), `the app's module arrived first: ${early.join(', ')}`);
    for (const file of early) {
      assert.ok(files.includes(file), `${file} is a file of dist/`);
      assert.ok(counted(file), `${file} arrived before the problems were drawn, but bench/size.mjs counts it as later`);
    }

    // The editor was asked for only after the problems were drawn.
    const editorFetch = load.fetches.find((entry) => pathOf(entry.url) === editor[0]);
    assert.ok(editorFetch, `the editor was fetched: ${JSON.stringify(load.fetches)}`);
    assert.ok(editorFetch.at > load.problemsAt, `the editor was fetched at ${editorFetch.at} ms, the problems drawn at ${load.problemsAt} ms`);

    // AWS's icons of kinds the seed does not draw come with the editor's
    // palette, which is why the first load does not count them.
    await page.waitForFunction(() => performance.getEntriesByType('resource')
      .some((entry) => entry.name.endsWith('/aws-icons/vpc_peering.svg')));
    const icons = await page.evaluate(() => performance.getEntriesByType('resource')
      .map((entry) => ({ name: entry.name, at: entry.startTime })));
    const others = icons.filter((entry) => notInSeed(pathOf(entry.name)));
    assert.ok(others.length > 0, 'the palette fetched icons of kinds the seed does not draw');
    for (const entry of others) {
      assert.ok(entry.at > load.problemsAt, `${pathOf(entry.name)} was fetched at ${entry.at} ms, before the problems (${load.problemsAt} ms)`);
    }

    // And with it, the tools are on the page.
    for (const id of ['palette-vpc', 'inspector', 'undo', 'export', 'share']) {
      assert.equal(await page.locator(`[data-testid="${id}"]`).count(), 1, `${id} is on the page`);
    }
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

/** Holds the editor's module back until the returned function is called. */
async function holdEditor(page) {
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route(/stackdraw-editor-[0-9a-f]+\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  return release;
}

test('a shortcut pressed before the editor arrives waits for it, and is carried out', async () => {
  const { page, context } = await harness.open('/', { editor: false });
  // Hold the editor's module back until the shortcut has been pressed.
  const release = await holdEditor(page);
  try {
    await page.reload();
    await page.waitForSelector('[data-testid="problem"]');
    assert.equal(await page.getAttribute('[data-testid="sidebar"]', 'data-editor'), 'loading');
    const before = await page.locator('[data-testid="canvas"] [data-node-id]').count();
    await page.locator('[data-testid="canvas"] [data-node-id="db"]').click();
    await page.keyboard.press('Delete');
    release();
    await page.waitForSelector('[data-editor="ready"]');
    await page.waitForFunction((count) => document.querySelectorAll('[data-testid="canvas"] [data-node-id]').length < count, before);
    assert.equal(await page.locator('[data-testid="canvas"] [data-node-id="db"]').count(), 0, 'the database was deleted');
  } finally {
    await context.close();
  }
});

/** Every traffic line's and relationship's drawn path, by id. */
const linePaths = (page) => page.$$eval('[data-testid="canvas"] .edge-line, [data-testid="canvas"] .link-line', (paths) =>
  paths.map((path) => {
    const line = path.closest('[data-edge-id],[data-link-id]');
    return `${line.dataset.edgeId ?? line.dataset.linkId} ${path.getAttribute('d')}`;
  }).sort());

test("the seed's lines are drawn as the router draws them before its search arrives", async () => {
  // The router's search comes with the editor's module; the first load
  // carries the seed's routes, so nothing moves when the search arrives.
  const { page, context } = await harness.open('/', { editor: false });
  const release = await holdEditor(page);
  try {
    await page.reload();
    await page.waitForSelector('[data-testid="problem"]');
    assert.equal(await page.getAttribute('[data-testid="sidebar"]', 'data-editor'), 'loading');
    const before = await linePaths(page);
    assert.ok(before.length >= 20, `the seed's lines are drawn (${before.length})`);
    release();
    await page.waitForSelector('[data-editor="ready"]');
    // Give the scene a frame to be drawn again with the search.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    assert.deepEqual(await linePaths(page), before);
  } finally {
    await context.close();
  }
});

test('when the editor cannot load, the diagram stays and the page says so', async () => {
  const { page, context } = await harness.open('/', { editor: false });
  await page.route(/stackdraw-editor-[0-9a-f]+\.wasm$/, (route) => route.abort('internetdisconnected'));
  try {
    await page.reload();
    await page.waitForSelector('[data-testid="notice"]');
    const notice = await page.textContent('[data-testid="notice"]');
    assert.match(notice, /editor could not be loaded/);
    assert.match(notice, /Your diagram is safe/);
    // The viewer still shows the diagram, its problems, and lets the view move.
    assert.ok(await page.locator('[data-testid="canvas"] [data-node-id="db"]').count() === 1);
    assert.ok(await page.locator('[data-testid="problem"]').count() > 0);
    const zoom = await page.textContent('[data-testid="zoom-level"]');
    await page.click('[data-testid="zoom-in"]');
    assert.notEqual(await page.textContent('[data-testid="zoom-level"]'), zoom);
    assert.equal(await page.getAttribute('[data-testid="sidebar"]', 'data-editor'), 'failed');
  } finally {
    await context.close();
  }
});

test('a diagram other than the seed says its checks are coming, then shows its problems and verdicts', async () => {
  // A shared link of the three-tier template, opened while the editor's
  // module (which brings the checks) is held back.
  const { page, context } = await harness.open('/');
  await page.getByTestId('templates-menu').click();
  await page.getByTestId('template-three-tier').click();
  await page.getByTestId('node-acl-data').waitFor();
  const url = await shareLinkOf(page);
  await context.close();

  const fresh = await harness.open('/', { editor: false });
  const release = await holdEditor(fresh.page);
  try {
    await fresh.page.goto(url);
    await fresh.page.getByTestId('node-acl-data').waitFor();
    // Drawn, with no verdict claimed and no problem invented.
    assert.match(await fresh.page.textContent('[data-testid="problems-pending"]'), /Checking the design/);
    assert.equal(await fresh.page.textContent('[data-testid="error-count"]'), 'checking…');
    assert.equal(await fresh.page.locator('[data-testid="problem"]').count(), 0);
    assert.equal(await fresh.page.getAttribute('[data-testid="edge-e-db"]', 'data-verdict'), 'unknown');
    // Its lines are drawn in simple shapes until the router's search arrives.
    const simple = await linePaths(fresh.page);
    assert.ok(simple.length > 0, 'the lines are drawn before the search arrives');
    release();
    await fresh.page.waitForSelector('[data-editor="ready"]');
    await fresh.page.waitForSelector('[data-testid="problem"]');
    assert.equal(await fresh.page.locator('[data-testid="problems-pending"]').count(), 0);
    assert.equal(await fresh.page.getAttribute('[data-testid="edge-e-db"]', 'data-verdict'), 'reachable');
    assert.equal((await linePaths(fresh.page)).length, simple.length, 'every line is still drawn once routed');
    assert.deepEqual(fresh.problems, []);
  } finally {
    await fresh.context.close();
  }
});
