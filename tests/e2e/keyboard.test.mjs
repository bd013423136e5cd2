// Everything without a mouse: a VPC with two subnets, a load balancer and a
// service, connected and saved, from the keyboard alone (no pointer or
// mouse event reaches the page); the Outline as a tree a screen reader
// reads; dialogs that keep and return the focus; and axe-core's checks, in
// light and dark, with no serious or critical violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { startHarness } from './harness.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

let harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness.close();
});

/** Counts every pointer, mouse and wheel event the page receives. */
const COUNT_POINTER = () => {
  window.__pointerEvents = [];
  for (const type of ['pointerdown', 'pointerup', 'pointermove', 'mousedown', 'mouseup', 'mousemove', 'wheel']) {
    document.addEventListener(type, (event) => window.__pointerEvents.push(type), true);
  }
};

async function notice(page) {
  const el = page.locator('[data-testid="notice"]');
  return (await el.count()) ? el.innerText() : '';
}

async function selectedIds(page) {
  return page.$$eval('[data-testid="canvas"] [data-selected="true"]', (nodes) => nodes.map((n) => n.getAttribute('data-node-id')));
}

/** Moves through the outline with the arrow keys until `id` is the active row. */
async function outlineTo(page, id) {
  await page.focus('[data-testid="outline-tree"]');
  await page.keyboard.press('Home');
  for (let step = 0; step < 40; step += 1) {
    const active = await page.getAttribute('[data-testid="outline-tree"]', 'aria-activedescendant');
    if (active === `outline-row-${id}`) return;
    await page.keyboard.press('ArrowDown');
  }
  assert.fail(`${id} is not in the outline`);
}

async function addFromPalette(page, kind) {
  const before = await page.$$eval('[data-testid="canvas"] [data-node-id]', (n) => new Set(n.map((e) => e.dataset.nodeId)).size);
  await page.focus(`[data-testid="palette-${kind}"]`);
  await page.keyboard.press('Enter');
  await page.waitForFunction((count) =>
    new Set([...document.querySelectorAll('[data-testid="canvas"] [data-node-id]')].map((e) => e.dataset.nodeId)).size > count, before);
  const [added] = await selectedIds(page);
  assert.ok(added, `${kind} was added and selected: ${await notice(page)}`);
  assert.equal(await page.getAttribute(`[data-testid="canvas"] [data-node-id="${added}"]`, 'data-kind'), kind);
  return added;
}

test('builds a VPC with two subnets, a load balancer and a service, connected, without a mouse', async () => {
  const { page, problems } = await harness.open('/', { init: COUNT_POINTER });
  await page.waitForSelector('[data-testid="node-vpc-main"]');
  // A blank diagram from the Templates menu, chosen with the keyboard.
  await page.focus('[data-testid="templates-menu"]');
  await page.keyboard.press('ArrowDown');
  // Around the menu once at most, however many templates it lists.
  const items = await page.locator('[data-testid^="template-"]').count();
  for (let step = 0; step <= items; step += 1) {
    if (await page.evaluate(() => document.activeElement?.dataset.testid) === 'template-blank') break;
    await page.keyboard.press('ArrowDown');
  }
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'template-blank');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => !document.querySelector('[data-testid="canvas"] [data-node-id]'));

  const vpc = await addFromPalette(page, 'vpc');
  const first = await addFromPalette(page, 'subnet');
  await outlineTo(page, vpc);
  const second = await addFromPalette(page, 'subnet');
  assert.notEqual(first, second);
  await outlineTo(page, first);
  const alb = await addFromPalette(page, 'load_balancer');
  await outlineTo(page, second);
  const service = await addFromPalette(page, 'fargate_service');

  // Connect: C opens the list on the selected load balancer; the service is one of its choices.
  await outlineTo(page, alb);
  await page.keyboard.press('Escape');
  await page.focus('[data-testid="outline-tree"]');
  await outlineTo(page, alb);
  await page.keyboard.press('c');
  await page.waitForSelector('[data-testid="connect-list"]');
  const choice = page.locator(`[data-testid="connect-${service}"]`);
  assert.match(await choice.innerText(), /sends traffic/);
  await choice.focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector(`[data-testid^="edge-"][data-source="${alb}"][data-target="${service}"]`);

  // Saved with the keyboard too.
  await page.focus('[data-testid="save-file"]');
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  const saved = JSON.parse(await readFile(await download.path(), 'utf8'));
  const kinds = saved.nodes.filter((n) => saved.layout[n.id]).map((n) => Object.keys(n.kind)[0]).sort();
  assert.deepEqual(kinds, ['fargate_service', 'load_balancer', 'subnet', 'subnet', 'vpc']);
  assert.ok(saved.edges.some((e) => e.from === alb && e.to === service));

  const pointer = await page.evaluate(() => window.__pointerEvents);
  assert.deepEqual(pointer, [], 'no pointer or mouse event reached the page');
  assert.deepEqual(problems, []);
});

test('the outline is a tree a screen reader can read, and Enter edits the active node', async () => {
  const { page, problems } = await harness.open('/');
  const tree = page.locator('[data-testid="outline-tree"]');
  assert.equal(await tree.getAttribute('role'), 'tree');
  const rows = page.locator('[data-testid="outline-tree"] [role="treeitem"]');
  assert.ok(await rows.count() > 10);
  const subnet = page.locator('[data-testid="outline-subnet-private-a"]');
  assert.equal(await subnet.getAttribute('aria-level'), '2');
  assert.match(await subnet.innerText(), /Subnet private-subnet-a, 10\.\d+\.\d+\.\d+\/\d+, ap-northeast-1a, private/);
  await outlineTo(page, 'subnet-public-a');
  // Right goes in (to its NAT gateway or bastion), Left comes back out.
  await page.keyboard.press('ArrowRight');
  const inside = await page.getAttribute('[data-testid="outline-tree"]', 'aria-activedescendant');
  assert.notEqual(inside, 'outline-row-subnet-public-a');
  assert.equal(await page.getAttribute(`#${inside}`, 'aria-level'), '3');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.getAttribute('[data-testid="outline-tree"]', 'aria-activedescendant'), 'outline-row-subnet-public-a');
  assert.deepEqual(await selectedIds(page), ['subnet-public-a'], 'the canvas follows');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.dataset.testid === 'inspector-name');
  assert.deepEqual(problems, []);
});

test('a relationship is removed from the keyboard through the inspector', async () => {
  const { page, problems } = await harness.open('/', { init: COUNT_POINTER });
  await page.waitForSelector('[data-testid="outline-tree"]');
  await outlineTo(page, 'service');
  const row = page.locator('[data-testid="inspector-relationship"][data-link-id="cluster:service:cluster"]');
  assert.match(await row.innerText(), /runs in the ECS cluster/);
  await row.getByTestId('inspector-relationship-remove').focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid="link-cluster:service:cluster"]', { state: 'detached' });
  await page.waitForSelector('[data-testid="problem"][data-rule="VR-31"]');
  // A container's image cannot go alone: the reason is given at the list.
  await page.locator('[data-testid="inspector-relationship"][data-link-id="image:service:ecr-api"]')
    .getByTestId('inspector-relationship-remove').focus();
  await page.keyboard.press('Enter');
  assert.match(await page.innerText('[data-testid="inspector-relationships-error"]'), /always runs an image/);
  assert.deepEqual(await page.evaluate(() => window.__pointerEvents), []);
  assert.deepEqual(problems, []);
});

test('the outline of 5,000 nodes opens at once and loads rows as it scrolls', async () => {
  const { page, problems } = await harness.open('/?bench=drag&nodes=5000', { editor: true });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="canvas"] [data-node-id]').length > 1000, null, { timeout: 60000 });
  await page.waitForSelector('[data-testid="outline-tree"]');
  const rendered = await page.locator('[data-testid="outline-tree"] [role="treeitem"]').count();
  assert.ok(rendered <= 200, `${rendered} rows rendered at first`);
  assert.match(await page.innerText('[data-testid="outline-count"]'), /^200 of \d{4} shown/);
  await page.focus('[data-testid="outline-tree"]');
  await page.keyboard.press('End');
  const last = await page.getAttribute('[data-testid="outline-tree"]', 'aria-activedescendant');
  await page.waitForSelector(`#${last}`);
  const selected = await selectedIds(page);
  assert.equal(`outline-row-${selected[0]}`, last, 'End reaches and selects the last node');
  assert.deepEqual(problems, []);
});

test('a dialog keeps the focus inside and gives it back when it closes', async () => {
  const { page, problems } = await harness.open('/');
  await page.focus('[data-testid="share"]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid="share-dialog"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="share-dialog"]').contains(document.activeElement));
  for (let step = 0; step < 12; step += 1) {
    await page.keyboard.press('Tab');
    assert.ok(await page.evaluate(() => document.querySelector('[data-testid="share-dialog"]').contains(document.activeElement)), 'Tab stays in the dialog');
  }
  await page.keyboard.press('Shift+Tab');
  assert.ok(await page.evaluate(() => document.querySelector('[data-testid="share-dialog"]').contains(document.activeElement)));
  await page.keyboard.press('Escape');
  await page.waitForSelector('[data-testid="share-dialog"]', { state: 'detached' });
  await page.waitForFunction(() => document.activeElement?.dataset.testid === 'share');
  assert.deepEqual(problems, []);
});

async function axe(page) {
  // Evaluated through the browser's protocol: the page's own Content
  // Security Policy rightly refuses an injected script tag.
  await page.evaluate(await readFile(AXE, 'utf8'));
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
}

for (const colorScheme of ['light', 'dark']) {
  test(`axe-core finds no serious or critical violation (${colorScheme})`, async () => {
    const { page, problems } = await harness.open('/', { colorScheme });
    await page.waitForSelector('[data-testid="outline-tree"]');
    assert.deepEqual(await axe(page), [], 'the seed');
    await page.click('[data-node-id="service"] > .glyph-icon');
    await page.waitForSelector('[data-testid="inspector-fields"][data-node-id="service"]');
    assert.deepEqual(await axe(page), [], 'a selection in the inspector');
    await page.click('[data-testid="export"]');
    await page.waitForSelector('[data-testid="export-dialog"]');
    // With its preview filled in, which scrolls.
    await page.waitForFunction(() => document.querySelector('[data-testid="export-preview"]').textContent.length > 500);
    assert.deepEqual(await axe(page), [], 'the export dialog');
    await page.click('[data-testid="export-close"]');
    // Compare mode: its dialog, then its panel and marks after a change.
    await page.click('[data-node-id="service"] > .glyph-icon');
    await page.keyboard.press('Delete');
    await page.waitForSelector('[data-testid="node-service"]', { state: 'detached' });
    await page.click('[data-testid="compare"]');
    await page.waitForSelector('[data-testid="compare-dialog"]');
    assert.deepEqual(await axe(page), [], 'the compare dialog');
    await page.click('[data-testid="compare-steps"]');
    await page.waitForSelector('[data-testid="compare-flows"]');
    assert.deepEqual(await axe(page), [], 'compare mode');
    assert.deepEqual(problems, []);
  });
}
