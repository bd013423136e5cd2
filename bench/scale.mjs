// Large diagrams as a user opens them (issue: scale): a generated diagram
// of 1,000 and of 5,000 nodes (several VPCs), headless Chromium at
// 1440x900 against the release build on 127.0.0.1, one fresh browser
// context per size and path. Each time runs until the first frame in which
// the canvas holds the diagram's pieces near the view (its `data-nodes`),
// laid out; it is taken in the page (see `watchForDrawing`).
//
// - opened: the page reopened on the diagram, as every visit after the
//   first starts (the diagram is the last one in the browser's storage):
//   from navigation until drawn. This is the budgeted measure.
// - opened from its file: the diagram's .json file chosen with Open on a
//   page showing the seed, until drawn (the worker reads the JSON).
// - generated: `?bench=render`, where the worker generates the diagram and
//   the app opens it (how the first two get their diagram), for reference.
//
// With it, on the generated page once the editor, the checks and the
// worker's routes are in: how many SVG elements the canvas holds, and the
// memory of the page (Chrome's `performance.memory` JS heap and the
// WebAssembly memory's byte length, which `?bench=` pages expose).
//   node bench/scale.mjs [--json FILE]
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHarness } from '../tests/e2e/harness.mjs';

const SIZES = [1000, 5000];
const OPEN_BUDGET_MS = 1500;
const MEMORY_BUDGET_BYTES = 150e6;
const VIEWPORT = { width: 1440, height: 900 };

/** Runs in the page: from the next frame on, watches each frame for the
 * canvas holding a diagram of at least `minimum` drawn nodes; in the first
 * that does, lays the page out (as the frame would) and keeps the time in
 * `window.stackdrawDrawnAt` (ms since navigation). Timed in the page, so
 * work the page does after that frame (the editor arriving) cannot delay
 * the reading. */
function watchForDrawing(minimum) {
  const check = () => {
    const canvas = document.querySelector('[data-testid="canvas"]');
    if (canvas && Number(canvas.dataset.nodes) >= minimum) {
      canvas.getBoundingClientRect();
      window.stackdrawDrawnAt = performance.now();
    } else {
      requestAnimationFrame(check);
    }
  };
  requestAnimationFrame(check);
}

/** The time the page kept with `watchForDrawing`. */
async function drawnAt(page) {
  await page.waitForFunction(() => window.stackdrawDrawnAt !== undefined, null, { timeout: 180_000 });
  return page.evaluate(() => window.stackdrawDrawnAt);
}

async function drawn(page, minimum) {
  await page.waitForFunction(
    (n) => Number(document.querySelector('[data-testid="canvas"]')?.dataset.nodes) >= n,
    minimum,
    { timeout: 180_000 },
  );
}

async function pageState(page) {
  const state = await page.evaluate(() => ({
    svg_elements: document.querySelectorAll('[data-testid="canvas"] *').length,
    page_elements: document.querySelectorAll('*').length,
    js_heap_bytes: performance.memory ? performance.memory.usedJSHeapSize : null,
    wasm_memory_bytes: window.stackdrawMemory ? window.stackdrawMemory.buffer.byteLength : null,
  }));
  return state;
}

export async function runScaleBench() {
  const harness = await startHarness();
  const folder = mkdtempSync(join(tmpdir(), 'stackdraw-scale-'));
  const result = { viewport: `${VIEWPORT.width}x${VIEWPORT.height}`, open_budget_ms: OPEN_BUDGET_MS, memory_budget_bytes: MEMORY_BUDGET_BYTES };
  try {
    for (const nodes of SIZES) {
      const minimum = Math.floor(nodes * 0.6);
      // Generated in the worker and opened; it becomes the stored diagram.
      const context = await harness.browser.newContext({ viewport: VIEWPORT });
      const generating = await context.newPage();
      let start = Date.now();
      await generating.goto(`${harness.url}/?bench=render&nodes=${nodes}`);
      await drawn(generating, minimum);
      const generated = Date.now() - start;
      await generating.waitForSelector('[data-editor="ready"]', { state: 'attached' });
      // Settled: the editor, the checks and the worker's routes are in.
      await generating.waitForTimeout(3000);
      const state = await pageState(generating);
      const file = join(folder, `generated-${nodes}.json`);
      const [download] = await Promise.all([generating.waitForEvent('download'), generating.click('[data-testid="save-file"]')]);
      await download.saveAs(file);
      await generating.close();

      // Reopened: the app starts on the stored diagram.
      const page = await context.newPage();
      await page.addInitScript(watchForDrawing, minimum);
      await page.goto(`${harness.url}/`);
      const opened = Math.round(await drawnAt(page));
      state.svg_elements_reopened = (await pageState(page)).svg_elements;
      await context.close();

      // Opened from its file on a page that shows the seed.
      const fresh = await harness.browser.newContext({ viewport: VIEWPORT });
      const seedPage = await fresh.newPage();
      await seedPage.goto(`${harness.url}/`);
      await seedPage.waitForSelector('[data-editor="ready"]', { state: 'attached' });
      await seedPage.getByTestId('node-alb').waitFor();
      const chosen = await seedPage.evaluate(watchForDrawing, minimum).then(() => seedPage.evaluate(() => performance.now()));
      await seedPage.setInputFiles('[data-testid="open-file"]', file);
      const fromFile = Math.round((await drawnAt(seedPage)) - chosen);
      await fresh.close();

      state.memory_bytes = state.js_heap_bytes + state.wasm_memory_bytes;
      result[`nodes_${nodes}`] = { open_and_draw_ms: opened, open_file_and_draw_ms: fromFile, generate_open_and_draw_ms: generated, ...state };
    }
  } finally {
    await harness.close();
  }
  const small = result.nodes_1000;
  const large = result.nodes_5000;
  result.growth_open_and_draw = large.open_and_draw_ms / small.open_and_draw_ms;
  result.growth_open_file_and_draw = large.open_file_and_draw_ms / small.open_file_and_draw_ms;
  result.growth_memory = large.memory_bytes / small.memory_bytes;
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await runScaleBench();
  for (const nodes of SIZES) {
    const r = result[`nodes_${nodes}`];
    console.log(`${nodes} nodes: reopened and drawn in ${r.open_and_draw_ms} ms (budget ${OPEN_BUDGET_MS} ms at 5,000); opened from its file ${r.open_file_and_draw_ms} ms; generated and opened ${r.generate_open_and_draw_ms} ms; ${r.svg_elements} SVG elements (${r.page_elements} in the page), memory ${(r.memory_bytes / 1e6).toFixed(1)} MB (JS heap ${(r.js_heap_bytes / 1e6).toFixed(1)} + wasm ${(r.wasm_memory_bytes / 1e6).toFixed(1)}; budget ${MEMORY_BUDGET_BYTES / 1e6} MB)`);
  }
  console.log(`growth from 1,000 to 5,000 nodes: reopened x${result.growth_open_and_draw.toFixed(1)}, from the file x${result.growth_open_file_and_draw.toFixed(1)}, memory x${result.growth_memory.toFixed(1)} (at most x6 aimed at)`);
  const at = process.argv.indexOf('--json');
  if (at > 0) writeFileSync(process.argv[at + 1], JSON.stringify(result, null, 2) + '\n');
}
