// The third verdict and the endpoint-aware implied flows, in the app: a flow
// that reaches only some of its targets is drawn, listed and explained as
// partially reachable, and the new rules show with their fixes, as
// `stackdraw validate` reports them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startHarness, ARTIFACTS, hoverLine } from './harness.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The share-link fragment of a fixture, made by the command-line tool. */
function fragmentOf(fixture) {
  const binary = `${ROOT}target/debug/stackdraw`;
  const args = ['link', 'encode', `${ROOT}tests/fixtures/${fixture}`];
  const output = existsSync(binary)
    ? execFileSync(binary, args, { encoding: 'utf8' })
    : execFileSync('cargo', ['run', '--quiet', '--locked', '--', ...args], { cwd: ROOT, encoding: 'utf8' });
  return output.trim();
}

/** What `stackdraw validate --format json` says of a fixture. */
function validate(fixture) {
  const binary = `${ROOT}target/debug/stackdraw`;
  try {
    execFileSync(binary, ['validate', `${ROOT}tests/fixtures/${fixture}`, '--format', 'json'], { encoding: 'utf8' });
  } catch (error) {
    return JSON.parse(error.stdout);
  }
  throw new Error(`${fixture} was expected to have errors`);
}

let harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.close();
});

test('a flow that reaches only some zones is partially reachable everywhere it shows', async () => {
  const fixture = 'rules/VR-43-alb-misses-a-service-zone.trigger.json';
  const { page, problems, context } = await harness.open(`/#${fragmentOf(fixture)}`);
  // On the canvas: neither reachable nor blocked.
  const edge = page.getByTestId('edge-e-alb-service');
  await edge.waitFor();
  assert.equal(await edge.getAttribute('data-verdict'), 'partial');
  assert.equal(await page.locator('[data-testid^="edge-"][data-verdict="blocked"]').count(), 0);

  // In the reachability panel, with the subnet cut off and AWS's code.
  const flow = page.locator('[data-testid="flow"][data-verdict="partial"]');
  assert.equal(await flow.count(), 1);
  assert.match(await flow.textContent(), /Cut off: subnet-private-d \(ap-northeast-1d\).*ELB_INSTALLED_AZ_RESTRICTION/);

  // In the problems panel, as `stackdraw validate` reports it.
  const problem = page.locator('[data-testid="problem"][data-rule="VR-43"]');
  await problem.waitFor();
  assert.match(await problem.textContent(), /only partially reachable/);
  const report = validate(fixture);
  assert.equal(report.summary.flows_partial, 1);
  const cli = report.diagnostics.find((d) => d.rule === 'VR-43');
  assert.ok((await problem.textContent()).includes(cli.message), 'the app and the CLI say the same');

  // Hovering the edge explains which subnet is cut off.
  await hoverLine(page, '[data-testid="edge-e-alb-service"]');
  const tooltip = page.getByTestId('flow-tooltip');
  await tooltip.waitFor();
  assert.match(await tooltip.textContent(), /Partially reachable/);
  assert.match(await tooltip.textContent(), /Cut off in subnet-private-d/);
  await page.screenshot({ path: `${ARTIFACTS}verdict-partial.png` });

  assert.deepEqual(problems, []);
  await context.close();
});

test('a task that cannot reach its secrets is reported on the service, and the fix adds an endpoint', async () => {
  const fixture = 'rules/VR-47-secrets-unreachable-at-task-start.trigger.json';
  const { page, problems, context } = await harness.open(`/#${fragmentOf(fixture)}`);
  const problem = page.locator('[data-testid="problem"][data-rule="VR-47"]');
  await problem.waitFor();
  assert.match(await problem.textContent(), /ResourceInitializationError/);
  const cli = validate(fixture).diagnostics.find((d) => d.rule === 'VR-47');
  assert.equal(cli.nodes[0], 'service', 'the service is the culprit');
  assert.match(await problem.getByTestId('problem-fix').textContent(), /Secrets Manager endpoint/);

  await problem.getByTestId('problem-fix').click();
  await problem.waitFor({ state: 'detached' });
  await page.getByTestId('node-vpce-secretsmanager').waitFor();
  // One undo takes the endpoint and its group away again.
  await page.keyboard.press('Control+z');
  await problem.waitFor();
  assert.equal(await page.getByTestId('node-vpce-secretsmanager').count(), 0);

  assert.deepEqual(problems, []);
  await context.close();
});

test('an interface endpoint in a VPC without DNS hostnames is an error with a fix', async () => {
  const fixture = 'rules/VR-46-endpoint-private-dns-without-vpc-dns.trigger.json';
  const { page, problems, context } = await harness.open(`/#${fragmentOf(fixture)}`);
  const problem = page.locator('[data-testid="problem"][data-rule="VR-46"]');
  await problem.waitFor();
  assert.equal(await problem.getAttribute('data-severity'), 'error');
  await problem.getByTestId('problem-fix').click();
  await problem.waitFor({ state: 'detached' });
  assert.deepEqual(problems, []);
  await context.close();
});
