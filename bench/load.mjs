// Time from navigation to the seed diagram fully drawn (every node, the
// problems panel filled), to interactive (a press on a node selects it), and
// to the editor's module loaded (its panels and tools on the page),
// in headless Chromium against the release build on 127.0.0.1: the median of
// 10 loads, each in a fresh browser context (nothing cached, nothing stored).
//   node bench/load.mjs [--json FILE]
import { writeFileSync } from 'node:fs';
import { startHarness } from '../tests/e2e/harness.mjs';

const LOADS = 10;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function runLoadBench() {
  const harness = await startHarness();
  const drawn = [];
  const interactive = [];
  const editorReady = [];
  try {
    for (let i = 0; i < LOADS; i += 1) {
      const { page, context } = await harness.open('/', { editor: false });
      await page.waitForFunction(() =>
        ['vpc-main', 'alb', 'service', 'db', 'cdn'].every((id) => document.querySelector(`[data-testid="canvas"] [data-node-id="${id}"]`)) &&
        document.querySelector('[data-testid="problem"]'));
      drawn.push(await page.evaluate(() => performance.now()));
      await page.evaluate(() => new Promise((done) => {
        const node = document.querySelector('[data-node-id="db"]');
        const tryPress = () => {
          const box = node.getBoundingClientRect();
          node.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, clientX: box.x + 5, clientY: box.y + 5, button: 0 }));
          window.dispatchEvent(new PointerEvent('pointerup', { bubbles: true, clientX: box.x + 5, clientY: box.y + 5, button: 0 }));
          if (node.getAttribute('data-selected') === 'true') done(); else setTimeout(tryPress, 5);
        };
        tryPress();
      }));
      interactive.push(await page.evaluate(() => performance.now()));
      await page.waitForSelector('[data-editor="ready"]');
      editorReady.push(await page.evaluate(() => performance.now()));
      await context.close();
    }
  } finally {
    await harness.close();
  }
  return {
    loads: LOADS,
    drawn_median_ms: median(drawn),
    interactive_median_ms: median(interactive),
    editor_ready_median_ms: median(editorReady),
    drawn_ms: drawn,
    interactive_ms: interactive,
    editor_ready_ms: editorReady,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await runLoadBench();
  console.log(`first load of the seed, median of ${result.loads}: drawn at ${result.drawn_median_ms.toFixed(0)} ms, interactive at ${result.interactive_median_ms.toFixed(0)} ms, editor loaded at ${result.editor_ready_median_ms.toFixed(0)} ms after navigation`);
  const at = process.argv.indexOf('--json');
  if (at >= 0) writeFileSync(process.argv[at + 1], JSON.stringify(result, null, 2) + '\n');
}
