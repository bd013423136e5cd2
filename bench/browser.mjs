// Times the domain inside the browser: full validation + reachability of a
// generated diagram in WebAssembly, against the release build in Chromium.
//   node bench/browser.mjs [nodes...]     (default: 2000)
import { startHarness } from '../tests/e2e/harness.mjs';

const FRAME_MS = 16;
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const harness = await startHarness();
try {
  console.log('validation + reachability in the browser (wasm)');
  console.log(`${'nodes'.padStart(6)} ${'median'.padStart(10)} ${'p95'.padStart(10)}  budget`);
  for (const nodes of sizes.length ? sizes : [2000]) {
    const { page, context } = await harness.open(`/?bench=analysis&nodes=${nodes}`);
    const text = await page.getByTestId('bench-result').textContent({ timeout: 120_000 });
    const result = JSON.parse(text);
    const verdict = nodes >= 2000 ? (result.median_ms <= FRAME_MS ? `ok (<= ${FRAME_MS} ms)` : `OVER (${FRAME_MS} ms)`) : '';
    console.log(
      `${String(result.nodes).padStart(6)} ${(result.median_ms.toFixed(2) + ' ms').padStart(10)} ${(result.p95_ms.toFixed(2) + ' ms').padStart(10)}  ${verdict}`,
    );
    await context.close();
  }
} finally {
  await harness.close();
}
