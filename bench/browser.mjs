// Times the domain inside the browser: full validation + reachability of a
// generated diagram in WebAssembly, against the release build in Chromium.
//   node bench/browser.mjs [nodes...] [--json FILE]    (default: 2000)
import { writeFileSync } from 'node:fs';
import { startHarness } from '../tests/e2e/harness.mjs';

const FRAME_MS = 16;
const jsonAt = process.argv.indexOf('--json');
const sizes = process.argv.slice(2).filter((_, i) => jsonAt < 0 || (i + 2 !== jsonAt && i + 2 !== jsonAt + 1)).map(Number).filter((n) => n > 0);
const results = [];
const harness = await startHarness();
try {
  console.log('validation + reachability in the browser (wasm)');
  console.log(`${'nodes'.padStart(6)} ${'median'.padStart(10)} ${'p95'.padStart(10)}  budget`);
  for (const nodes of sizes.length ? sizes : [2000]) {
    const { page, context } = await harness.open(`/?bench=analysis&nodes=${nodes}`);
    const text = await page.getByTestId('bench-result').textContent({ timeout: 120_000 });
    const result = JSON.parse(text);
    results.push({ ...result, budget_ms: FRAME_MS, within_budget: result.median_ms <= FRAME_MS });
    const verdict = nodes >= 2000 ? (result.median_ms <= FRAME_MS ? `ok (<= ${FRAME_MS} ms)` : `OVER (${FRAME_MS} ms)`) : '';
    console.log(
      `${String(result.nodes).padStart(6)} ${(result.median_ms.toFixed(2) + ' ms').padStart(10)} ${(result.p95_ms.toFixed(2) + ' ms').padStart(10)}  ${verdict}`,
    );
    await context.close();
  }
} finally {
  await harness.close();
}
if (jsonAt >= 0) writeFileSync(process.argv[jsonAt + 1], JSON.stringify(results, null, 2) + '\n');
