// Large diagrams as a user opens them (issue: scale): a generated diagram
// of 1,000 and of 5,000 nodes (several VPCs) loaded into the app, from
// navigation until 60 % of its nodes are on the canvas; how many SVG
// elements the page then holds, and its memory: the JS heap (Chrome's
// `performance.memory`) and the WebAssembly memory's byte length. One
// fresh browser context per size, headless Chromium at 1440x900 against
// the release build on 127.0.0.1. These are the numbers the scale work
// starts from, printed with the budgets it aims at.
//   node bench/scale.mjs [--json FILE]
import { writeFileSync } from 'node:fs';
import { startHarness } from '../tests/e2e/harness.mjs';

const SIZES = [1000, 5000];
const OPEN_BUDGET_MS = 1500;
const MEMORY_BUDGET_BYTES = 150e6;

export async function runScaleBench() {
  const harness = await startHarness();
  const result = { viewport: '1440x900', open_budget_ms: OPEN_BUDGET_MS, memory_budget_bytes: MEMORY_BUDGET_BYTES };
  try {
    for (const nodes of SIZES) {
      const start = Date.now();
      const { page, context } = await harness.open(`/?bench=render&nodes=${nodes}`, { viewport: { width: 1440, height: 900 } });
      await page.waitForFunction(
        (n) => document.querySelectorAll('[data-testid="canvas"] [data-node-id]').length >= n * 0.6,
        nodes,
        { timeout: 180_000 },
      );
      const opened = Date.now() - start;
      const page_state = await page.evaluate(() => ({
        svg_elements: document.querySelectorAll('[data-testid="canvas"] *').length,
        js_heap_bytes: performance.memory ? performance.memory.usedJSHeapSize : null,
        wasm_memory_bytes: window.stackdrawMemory ? window.stackdrawMemory.buffer.byteLength : null,
      }));
      page_state.memory_bytes = page_state.js_heap_bytes + page_state.wasm_memory_bytes;
      result[`nodes_${nodes}`] = { open_and_draw_ms: opened, ...page_state };
      await context.close();
    }
  } finally {
    await harness.close();
  }
  const small = result.nodes_1000;
  const large = result.nodes_5000;
  result.growth_open_and_draw = large.open_and_draw_ms / small.open_and_draw_ms;
  result.growth_memory = large.memory_bytes / small.memory_bytes;
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await runScaleBench();
  for (const nodes of SIZES) {
    const r = result[`nodes_${nodes}`];
    console.log(`${nodes} nodes: opened and drawn in ${r.open_and_draw_ms} ms (budget ${OPEN_BUDGET_MS} ms at 5,000), ${r.svg_elements} SVG elements, memory ${(r.memory_bytes / 1e6).toFixed(1)} MB (JS heap ${(r.js_heap_bytes / 1e6).toFixed(1)} + wasm ${(r.wasm_memory_bytes / 1e6).toFixed(1)}; budget ${MEMORY_BUDGET_BYTES / 1e6} MB)`);
  }
  console.log(`growth from 1,000 to 5,000 nodes, memory: x${result.growth_memory.toFixed(1)}`);
  console.log(`growth from 1,000 to 5,000 nodes, open and draw: x${result.growth_open_and_draw.toFixed(1)} (at most x6 aimed at)`);
  const at = process.argv.indexOf('--json');
  if (at > 0) writeFileSync(process.argv[at + 1], JSON.stringify(result, null, 2) + '\n');
}
