// Compare mode as a user meets it: a generated diagram (500 and 2,000
// nodes) saved as a file, then one Fargate service deleted; from the click
// on "As last saved" until the comparison is drawn — the export worker's
// diff of both versions (each analysed), the panel and the marks on the
// canvas — and the next frame after it. Headless Chromium against the
// release build on 127.0.0.1; the median of 3 fresh browser contexts.
//   node bench/compare.mjs [--json FILE]
import { writeFileSync } from 'node:fs';
import { startHarness } from '../tests/e2e/harness.mjs';

const RUNS = 3;
const SIZES = [500, 2000];
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function runCompareBench() {
  const harness = await startHarness();
  const result = { runs: RUNS };
  try {
    for (const nodes of SIZES) {
      const times = [];
      let items = 0;
      for (let i = 0; i < RUNS; i += 1) {
        const { page, context } = await harness.open(`/?bench=render&nodes=${nodes}`);
        await page.waitForFunction(() => document.querySelectorAll('[data-testid="canvas"] [data-node-id]').length > 50, null, { timeout: 60_000 });
        await Promise.all([page.waitForEvent('download'), page.click('[data-testid="save-file"]')]);
        // A service whose icon is on screen, clear of the palette and sidebar.
        const service = await page.evaluate(() => {
          const area = document.querySelector('.canvas-main').getBoundingClientRect();
          for (const icon of document.querySelectorAll('.glyph.fargate_service .glyph-icon')) {
            const box = icon.getBoundingClientRect();
            const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
            if (x > area.left + 20 && x < area.right - 20 && y > area.top + 20 && y < area.bottom - 20) {
              return icon.closest('[data-node-id]').getAttribute('data-node-id');
            }
          }
          return null;
        });
        if (!service) throw new Error(`no Fargate service on screen in the ${nodes}-node diagram`);
        await page.locator(`[data-node-id="${service}"] .glyph-icon`).first().click();
        await page.keyboard.press('Delete');
        await page.click('[data-testid="compare"]');
        await page.waitForSelector('[data-testid="compare-saved"]:not([disabled])');
        const started = await page.evaluate(() => performance.now());
        await page.click('[data-testid="compare-saved"]');
        await page.waitForFunction(() => {
          const summary = document.querySelector('[data-testid="compare-summary"]')?.textContent ?? '';
          return summary !== '' && summary !== 'Comparing…' && document.querySelector('[data-testid="compare-marks"]');
        }, null, { timeout: 60_000 });
        const drawn = await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done(performance.now()))));
        times.push(drawn - started);
        items = await page.locator('[data-testid="compare-item"]').count();
        await context.close();
      }
      result[`nodes_${nodes}`] = { median_ms: median(times), times_ms: times, items };
    }
  } finally {
    await harness.close();
  }
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await runCompareBench();
  for (const nodes of SIZES) {
    const r = result[`nodes_${nodes}`];
    console.log(`compare mode, ${nodes} nodes: "As last saved" clicked until the comparison is drawn, median of ${RUNS}: ${r.median_ms.toFixed(0)} ms (${r.items} items listed)`);
  }
  const at = process.argv.indexOf('--json');
  if (at > 0) writeFileSync(process.argv[at + 1], JSON.stringify(result, null, 2) + '\n');
}
