// Time from opening a file to seeing its diagram: the seed's own
// CloudFormation template and Terraform module (exported by the CLI),
// picked with Open right after the page loaded, until the imported diagram
// and its report are on screen. The export worker (which holds the
// importers) is fetched by that first request, so its download and start
// are part of the time, as they are for a user. Headless Chromium against
// the release build on 127.0.0.1; the median of 5 fresh browser contexts.
//   node bench/import.mjs [--json FILE]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHarness } from '../tests/e2e/harness.mjs';

const RUNS = 5;
const root = fileURLToPath(new URL('..', import.meta.url));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function exported() {
  const out = mkdtempSync(join(tmpdir(), 'stackdraw-import-bench-'));
  execFileSync('cargo', ['run', '--quiet', '--locked', '--', 'export', 'tests/fixtures/seed.json', '--to', 'all', '--out', out], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const terraform = join(out, 'terraform');
  return {
    cloudformation: [join(out, 'cloudformation.yaml')],
    terraform: readdirSync(terraform).filter((f) => f.endsWith('.tf')).map((f) => join(terraform, f)),
  };
}

export async function runImportBench() {
  const files = exported();
  const harness = await startHarness();
  const result = { runs: RUNS };
  try {
    for (const [format, paths] of Object.entries(files)) {
      const times = [];
      for (let i = 0; i < RUNS; i += 1) {
        const { page, context } = await harness.open('/');
        await page.waitForSelector('[data-node-id="vpc-main"]');
        const started = await page.evaluate(() => performance.now());
        await page.setInputFiles('[data-testid="open-file"]', paths);
        await page.waitForSelector('[data-testid="import-report"]');
        await page.waitForFunction(() => !document.querySelector('[data-node-id="vpc-main"]') && document.querySelectorAll('[data-testid="canvas"] [data-node-id]').length > 20);
        times.push((await page.evaluate(() => performance.now())) - started);
        await context.close();
      }
      result[`${format}_median_ms`] = median(times);
      result[`${format}_ms`] = times;
    }
  } finally {
    await harness.close();
  }
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await runImportBench();
  console.log(`the seed's template opened to its diagram on screen: CloudFormation ${result.cloudformation_median_ms.toFixed(0)} ms, Terraform ${result.terraform_median_ms.toFixed(0)} ms (median of ${result.runs}, the worker fetched by the request)`);
  const at = process.argv.indexOf('--json');
  if (at >= 0) writeFileSync(process.argv[at + 1], JSON.stringify(result, null, 2) + '\n');
}
