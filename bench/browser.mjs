// Times the domain inside the browser: full validation + reachability of a
// generated diagram in WebAssembly, against the release build in Chromium.
//   node bench/browser.mjs [nodes...] [--json FILE]    (default: 2000)
import { writeFileSync } from 'node:fs';
import { startHarness } from '../tests/e2e/harness.mjs';

// Budgets by size: a frame at 2,000 nodes; 30 ms at 5,000 (issue: scale).
const BUDGETS = { 2000: 16, 5000: 30 };
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
    const budget = BUDGETS[nodes] ?? null;
    results.push({ ...result, requested: nodes, budget_ms: budget, within_budget: budget === null || result.median_ms <= budget });
    const verdict = budget === null ? '' : result.median_ms <= budget ? `ok (<= ${budget} ms)` : `OVER (${budget} ms)`;
    console.log(
      `${String(result.nodes).padStart(6)} ${(result.median_ms.toFixed(2) + ' ms').padStart(10)} ${(result.p95_ms.toFixed(2) + ' ms').padStart(10)}  ${verdict}`,
    );
    await context.close();
  }
} finally {
  await harness.close();
}
const at = (nodes) => results.find((r) => r.requested === nodes);
if (at(1000) && at(5000)) console.log(`growth from 1,000 to 5,000 nodes: x${(at(5000).median_ms / at(1000).median_ms).toFixed(1)} (at most x6)`);
if (jsonAt >= 0) writeFileSync(process.argv[jsonAt + 1], JSON.stringify(results, null, 2) + '\n');
