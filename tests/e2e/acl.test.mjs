// Network ACLs as a person meets them: dropped from the palette onto a
// subnet, they filter it and block nothing until their rules are narrowed;
// a narrowed rule blocks a drawn flow, which turns red with AWS's code and
// a fix; the fix makes it reachable again; a shared link carries the ACL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, boxOf, drag, nodeIds, shareLinkOf } from './harness.mjs';

let harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness.close();
});

const verdict = (page, edge) => page.getAttribute(`[data-testid="edge-${edge}"]`, 'data-verdict');

test('an ACL dropped on a subnet, narrowed until a flow is blocked, then fixed from the problem', async () => {
  const { page, problems } = await harness.open('/');
  await page.waitForSelector('[data-testid="sidebar"][data-editor="ready"]');
  assert.equal(await verdict(page, 'e-alb-service'), 'reachable');

  // Drop an ACL onto the private subnet of zone a, away from its resources.
  await page.fill('[data-testid="palette-search"]', 'nacl');
  await page.locator('[data-testid="palette-network_acl"]').scrollIntoViewIfNeeded();
  const item = await boxOf(page, '[data-testid="palette-network_acl"]');
  const subnet = await boxOf(page, '[data-node-id="subnet-private-a"] > .container-box');
  const before = await nodeIds(page);
  await drag(page, { x: item.x + 20, y: item.y + item.height / 2 }, { x: subnet.x + subnet.width * 0.85, y: subnet.y + subnet.height * 0.8 });
  const added = (await nodeIds(page)).filter((id) => !before.includes(id));
  assert.equal(added.length, 1, `one ACL added: ${JSON.stringify(added)}`);
  const acl = added[0];
  assert.equal(await page.getAttribute(`[data-node-id="${acl}"]`, 'data-kind'), 'network_acl');
  // It filters that subnet (a dashed association), and allows all: nothing changed.
  await page.waitForSelector(`[data-testid="link-acl-subnet:${acl}:subnet-private-a"]`);
  assert.equal(await verdict(page, 'e-alb-service'), 'reachable');
  assert.equal(await page.locator('[data-testid="problem"][data-severity="error"]').count(), 0);

  // Narrow its inbound rule to HTTPS: the load balancer's tcp/80 to the
  // service no longer gets into zone a.
  await page.click(`[data-node-id="${acl}"] > .glyph-icon`);
  await page.waitForSelector(`[data-testid="inspector-fields"][data-node-id="${acl}"]`);
  await page.selectOption('[data-testid="inspector-inbound-protocol-0"]', 'tcp');
  await page.fill('[data-testid="inspector-inbound-ports-0"]', '443');
  await page.press('[data-testid="inspector-inbound-ports-0"]', 'Enter');
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="edge-e-alb-service"]')?.getAttribute('data-verdict') !== 'reachable');
  const problem = page
    .locator('[data-testid="problem"][data-rule="VR-51"]')
    .filter({ hasText: '"myapp-alb" -> "myapp-service"' });
  await problem.waitFor();
  assert.match(await problem.innerText(), /SUBNET_ACL_RESTRICTION/);

  // A refused value is explained at its field and changes nothing.
  await page.fill('[data-testid="inspector-inbound-number-0"]', '40000');
  await page.press('[data-testid="inspector-inbound-number-0"]', 'Enter');
  assert.match(await page.textContent('[data-testid="inspector-inbound-number-0-error"]'), /1 to 32766/);

  // The fix inserts the rule the flow needs: reachable again. (Narrowed to
  // HTTPS, the ACL blocks the database's port too: those problems stay.)
  const blockedBefore = await page.locator('[data-testid="problem"][data-rule="VR-51"]').count();
  const fix = problem.getByTestId('problem-fix');
  assert.match(await fix.innerText(), /^Allow tcp\/80 in from /);
  await fix.click();
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="edge-e-alb-service"]')?.getAttribute('data-verdict') === 'reachable');
  await page.waitForFunction((before) =>
    document.querySelectorAll('[data-testid="problem"][data-rule="VR-51"]').length === before - 1, blockedBefore);
  assert.equal(await verdict(page, 'e-service-db'), 'blocked');
  assert.deepEqual(problems, []);
});

test('a shared link with an ACL opens with its verdicts once the checks have loaded', async () => {
  const { page, problems, context } = await harness.open('/');
  await page.waitForSelector('[data-testid="sidebar"][data-editor="ready"]');
  await page.getByTestId('templates-menu').click();
  await page.getByTestId('template-three-tier').click();
  await page.getByTestId('node-acl-data').waitFor();
  // Through the share dialog, as a person copies it.
  const url = await shareLinkOf(page);
  assert.match(url, /#/);
  const other = await context.newPage();
  await other.goto(url);
  await other.getByTestId('node-acl-data').waitFor();
  await other.waitForFunction(() =>
    document.querySelector('[data-testid="edge-e-db"]')?.getAttribute('data-verdict') === 'reachable');
  assert.equal(await other.locator('[data-testid="problems-pending"]').count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});
