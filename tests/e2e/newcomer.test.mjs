// A newcomer's first hour: the first visit says the diagram is an example,
// an empty canvas says what to do, a drop next to the palette lands whole
// on screen, the diagram is renamed from the toolbar, deleting the open
// diagram leaves a diagram that an entry holds, and the problems panel
// offers the secure fix first.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness } from './harness.mjs';

let harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness.close();
});

async function notice(page) {
  const el = page.locator('[data-testid="notice"]');
  return (await el.count()) ? el.innerText() : '';
}

test('the first visit says it is an example until the first edit; a blank canvas says what to do', async () => {
  const { page, problems, context } = await harness.open('/');
  await page.waitForSelector('[data-testid="example-banner"]');
  assert.match(await page.innerText('[data-testid="example-banner"]'), /example/);
  // The first edit: it is the user's diagram now.
  await page.click('[data-node-id="db"] > .glyph-icon');
  await page.keyboard.press('ArrowRight');
  await page.waitForSelector('[data-testid="example-banner"]', { state: 'detached' });

  // Coming back is no first visit.
  const again = await context.newPage();
  await again.goto(harness.url + '/');
  await again.waitForSelector('[data-editor="ready"]');
  await again.waitForSelector('[data-testid="node-vpc-main"]');
  assert.equal(await again.locator('[data-testid="example-banner"]').count(), 0);

  await again.click('[data-testid="templates-menu"]');
  await again.click('[data-testid="template-blank"]');
  await again.waitForSelector('[data-testid="empty-hint"]');
  assert.match(await again.innerText('[data-testid="empty-hint"]'), /palette/);
  assert.deepEqual(problems, []);
});

test('a block dropped right beside the palette lands whole on screen', async () => {
  const { page, problems } = await harness.open('/');
  await page.click('[data-testid="templates-menu"]');
  await page.click('[data-testid="template-blank"]');
  await page.waitForSelector('[data-testid="empty-hint"]');
  const area = await page.locator('[data-testid="canvas-area"]').boundingBox();
  // The palette scrolls; a person scrolls to the item first.
  await page.locator('[data-testid="palette-internet"]').scrollIntoViewIfNeeded();
  const item = await page.locator('[data-testid="palette-internet"]').boundingBox();
  await page.mouse.move(item.x + 20, item.y + item.height / 2);
  await page.mouse.down();
  await page.mouse.move(area.x + 30, area.y + area.height / 2, { steps: 6 });
  // Released 2 px inside the canvas's left edge.
  await page.mouse.move(area.x + 2, area.y + area.height / 2, { steps: 2 });
  await page.mouse.up();
  const glyph = page.locator('[data-testid="canvas"] [data-kind="internet"] .glyph-icon');
  await glyph.waitFor();
  const box = await glyph.boundingBox();
  assert.ok(box.x >= area.x && box.x + box.width <= area.x + area.width, `${JSON.stringify(box)} within ${JSON.stringify(area)}`);
  assert.deepEqual(problems, []);
});

test('the diagram is renamed from the toolbar in one undo step, and an empty name is refused', async () => {
  const { page, problems } = await harness.open('/');
  await page.click('[data-testid="rename"]');
  const field = page.locator('[data-testid="diagram-name-input"]');
  await field.fill('   ');
  await field.press('Enter');
  await page.waitForSelector('[data-testid="diagram-name-error"]');
  await field.fill('Payments platform');
  await field.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid="diagram-name"]').textContent === 'Payments platform');
  await page.keyboard.press('Control+z');
  await page.waitForFunction(() => document.querySelector('[data-testid="diagram-name"]').textContent !== 'Payments platform');
  assert.deepEqual(problems, []);
});

test('deleting the open diagram in My diagrams opens the most recent other one', async () => {
  const { page, problems } = await harness.open('/');
  // A second diagram, from a template; the seed stays in My diagrams.
  await page.click('[data-testid="templates-menu"]');
  await page.click('[data-testid="template-three-tier"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="diagram-name"]').textContent === 'Three tiers across three zones');
  await page.click('[data-testid="my-diagrams"]');
  const current = page.locator('[data-testid="diagram-entry"].current');
  await current.waitFor();
  assert.equal(await current.getAttribute('data-name'), 'Three tiers across three zones');
  await current.locator('[data-testid="diagram-delete"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="diagram-name"]').textContent !== 'Three tiers across three zones');
  assert.match(await notice(page), /Deleted the open diagram/);
  // What is on screen is an entry's, marked as the current one.
  const entries = page.locator('[data-testid="diagram-entry"]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="diagram-entry"].current').length === 1);
  const shown = await page.textContent('[data-testid="diagram-name"]');
  assert.equal(await page.locator('[data-testid="diagram-entry"].current').getAttribute('data-name'), shown);
  assert.equal(await entries.count(), 1);
  assert.deepEqual(problems, []);
});

test('a problem offers the secure fix first and the others after it; alike warnings collapse into one row', async () => {
  const { page, problems } = await harness.open('/');
  // The service moved to the public subnets without public IPs (VR-33).
  await page.click('[data-node-id="service"] > .glyph-icon');
  await page.waitForSelector('[data-testid="inspector-fields"][data-node-id="service"]');
  for (const subnet of ['subnet-public-a', 'subnet-public-c', 'subnet-private-a', 'subnet-private-c']) {
    await page.click(`[data-testid="inspector-subnets-${subnet}"]`);
  }
  const problem = page.locator('[data-testid="problem"][data-rule="VR-33"]');
  await problem.waitFor();
  assert.equal(await problem.getByTestId('problem-fix').innerText(), 'Move it to private subnets');
  assert.equal(await problem.getByTestId('problem-alternative').innerText(), 'Assign public IPs');
  await problem.getByTestId('problem-fix').click();
  await page.waitForSelector('[data-testid="problem"][data-rule="VR-33"]', { state: 'detached' });

  // The three-tier template's three subnets on the main route table (VR-13)
  // read as one row, closed until opened.
  await page.click('[data-testid="templates-menu"]');
  await page.click('[data-testid="template-three-tier"]');
  const group = page.locator('[data-testid="problem-group"][data-rule="VR-13"]');
  await group.waitFor();
  const inside = group.locator('[data-testid="problem"]');
  assert.equal(await inside.count(), 3);
  assert.match(await group.locator('summary').innerText(), /3 alike/);
  assert.equal(await inside.first().isVisible(), false, 'closed until opened');
  await group.locator('summary').click();
  assert.equal(await inside.first().isVisible(), true);
  assert.deepEqual(problems, []);
});
