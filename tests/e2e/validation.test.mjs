// Diagnostics recompute on every edit; fixes apply with one click and undo.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, ARTIFACTS, hoverLine } from './harness.mjs';

let harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.close();
});

const problems = (page, severity) =>
  page.locator(`[data-testid="problem"][data-severity="${severity}"]`);

test('overlapping two subnets shows the error, and its fix clears it', async () => {
  const { page, problems: consoleProblems, context } = await harness.open('/');
  await page.getByTestId('node-subnet-private-c').waitFor();

  // The seed starts clean: no errors, every drawn flow reachable.
  assert.equal(await problems(page, 'error').count(), 0);
  assert.equal(await page.locator('[data-testid^="edge-"][data-verdict="blocked"]').count(), 0);
  assert.equal(await page.locator('[data-testid^="edge-"][data-verdict="reachable"]').count(), 8);
  assert.match(await page.getByTestId('node-subnet-public-a').textContent(), /4091 usable · 4081 free/);

  // Give private-subnet-c the block of private-subnet-a.
  await page.getByTestId('node-subnet-private-c').locator('.container-title').click();
  assert.equal(await page.getByTestId('inspector-fields').getAttribute('data-node-id'), 'subnet-private-c');
  const cidr = page.getByTestId('inspector-cidr');
  await cidr.fill('10.2.32.0/20');
  await cidr.press('Enter');

  const overlap = page.locator('[data-testid="problem"][data-rule="VR-10"]');
  await overlap.waitFor();
  assert.match(await overlap.textContent(), /overlap/);
  assert.equal(await overlap.getAttribute('data-severity'), 'error');
  // The culprit carries an error badge on the canvas.
  const badge = page.getByTestId('badge-subnet-private-c');
  await badge.waitFor();
  assert.equal(await badge.getAttribute('data-severity'), 'error');

  // Clicking the problem selects the culprit.
  await overlap.locator('.message').click();
  assert.equal(await page.locator('[data-testid="canvas"] [data-selected="true"]').getAttribute('data-node-id'), 'subnet-private-c');

  await page.screenshot({ path: `${ARTIFACTS}validation-overlap.png` });

  // One click applies the fix; the error and the badge go away.
  await overlap.getByTestId('problem-fix').click();
  await overlap.waitFor({ state: 'detached' });
  assert.deepEqual(await problems(page, 'error').allTextContents(), []);
  // Only the seed's warning (one NAT gateway for both zones) still marks it.
  assert.equal(await page.getByTestId('badge-subnet-private-c').getAttribute('data-severity'), 'warning');
  assert.match(await page.getByTestId('node-subnet-private-c').textContent(), /10\.2\.\d+\.0\/20/);
  assert.doesNotMatch(await page.getByTestId('node-subnet-private-c').textContent(), /10\.2\.32\.0\/20/);

  // Undo brings the mistake back; redo applies the fix again.
  await page.keyboard.press('Control+z');
  await overlap.waitFor();
  await page.getByTestId('redo').click();
  await overlap.waitFor({ state: 'detached' });

  assert.deepEqual(consoleProblems, []);
  await context.close();
});

test('a value the model cannot hold is refused at the field', async () => {
  const { page, context } = await harness.open('/');
  await page.getByTestId('node-vpc-main').locator('.container-title').click();
  const cidr = page.getByTestId('inspector-cidr');
  await cidr.fill('10.2.0.0/33');
  await cidr.press('Enter');
  await page.getByTestId('inspector-cidr-error').waitFor();
  assert.match(await page.getByTestId('inspector-cidr-error').textContent(), /prefix length is 0 to 32/);
  // The diagram kept its block.
  assert.match(await page.getByTestId('node-vpc-main').textContent(), /10\.2\.0\.0\/16/);
  await context.close();
});

test('a blocked flow is drawn as blocked and explains itself on hover', async () => {
  const { page, context } = await harness.open('/');
  // Remove the database group's rule for the service through the query-free path:
  // select the bastion and rename it to check names flow into messages as text.
  await page.getByTestId('node-bastion').click();
  const name = page.getByTestId('inspector-name');
  await name.fill('<img src=x onerror=alert(1)>');
  await name.press('Enter');
  await page.getByTestId('node-bastion').getByText('<img src=x onerror=alert(1)>').waitFor();
  assert.equal(await page.locator('img').count(), 0, 'names render as text');

  // Hovering an edge shows its hop list.
  await hoverLine(page, '[data-testid="edge-e-alb-service"]');
  const tooltip = page.getByTestId('flow-tooltip');
  await tooltip.waitFor();
  assert.match(await tooltip.textContent(), /Reachable/);
  assert.match(await tooltip.textContent(), /target group "api"/);

  // The query form answers any question.
  await page.getByTestId('query-from').selectOption('internet');
  await page.getByTestId('query-to').selectOption('db');
  await page.getByTestId('query-port').fill('3306');
  assert.match(await page.getByTestId('query-answer').textContent(), /Blocked: .*CANNOT_ROUTE/);
  await context.close();
});

test('a user scope can be added from the query form, passes or fails, and is removed', async () => {
  const { page, context } = await harness.open('/');
  await page.getByTestId('query-form').waitFor();
  const scopes = page.getByTestId('scope');
  assert.equal(await scopes.count(), 2, 'the two built-in scopes');

  // The seed lets the bastion reach the database: forbidding it breaks the scope.
  await page.getByTestId('query-from').selectOption('bastion');
  await page.getByTestId('query-to').selectOption('db');
  await page.getByTestId('query-port').fill('3306');
  assert.match(await page.getByTestId('query-answer').textContent(), /^Reachable/);
  await page.getByTestId('query-add-scope').click();
  const added = page.locator('[data-testid="scope"][data-scope-id="no-bastion-to-db"]');
  await added.waitFor();
  assert.equal(await added.getAttribute('data-verdict'), 'broken');
  await page.locator('[data-testid="problem"][data-rule="VR-44"]').waitFor();

  // Forbidding a path that does not exist holds.
  await page.getByTestId('query-from').selectOption('operator');
  await page.getByTestId('query-to').selectOption('db');
  await page.getByTestId('query-add-scope').click();
  const holding = page.locator('[data-testid="scope"][data-scope-id="no-operator-to-db"]');
  await holding.waitFor();
  assert.equal(await holding.getAttribute('data-verdict'), 'holds');

  await added.getByTestId('scope-remove').click();
  await added.waitFor({ state: 'detached' });
  assert.equal(await page.locator('[data-testid="problem"][data-rule="VR-44"]').count(), 0);
  await context.close();
});

test('a template starts a new diagram and the previous one stays in My diagrams', async () => {
  const { page, problems, context } = await harness.open('/');
  await page.getByTestId('node-alb').waitFor();
  await page.getByTestId('templates-menu').click();
  await page.getByTestId('template-three-tier').click();
  await page.getByTestId('node-subnet-data-c').waitFor();
  assert.equal(await page.locator('[data-testid="canvas"] [data-kind="subnet"]').count(), 9);
  assert.equal(await page.locator('[data-testid="canvas"] [data-kind="nat_gateway"]').count(), 3);
  assert.equal(await page.locator('[data-testid="problem"][data-severity="error"]').count(), 0);
  assert.equal(await page.getByTestId('diagram-name').textContent(), 'Three tiers across three zones');
  await page.getByTestId('my-diagrams').click();
  const previous = page.locator('[data-testid="diagram-entry"][data-name="Web service on Fargate"]');
  await previous.getByTestId('diagram-open').click();
  await page.getByTestId('node-subnet-public-a').waitFor();
  assert.equal(await page.locator('[data-testid="canvas"] [data-kind="subnet"]').count(), 4);
  assert.deepEqual(problems, []);
  await context.close();
});
