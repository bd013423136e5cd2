// The problems panel and the canvas's badges point at each other: a click
// on a problem brings its node into view and selects it; a badge says its
// problems on hover and, clicked, opens the first of them in the panel.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness } from './harness.mjs';

let harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.close();
});

const inside = (inner, outer) =>
  inner.x >= outer.x - 1 && inner.y >= outer.y - 1 &&
  inner.x + inner.width <= outer.x + outer.width + 1 && inner.y + inner.height <= outer.y + outer.height + 1;

test('a problem clicked while its node is off screen brings the node into view and selects it', async () => {
  const { page, problems, context } = await harness.open('/');
  try {
    const problem = page.locator('[data-testid="problem"]').first();
    const culprit = (await problem.getAttribute('data-nodes')).split(' ')[0];
    const node = `[data-testid="canvas"] [data-node-id="${culprit}"]`;
    const area = await page.locator('[data-testid="canvas-area"]').boundingBox();

    // Pan the node far out of view.
    await page.mouse.move(area.x + area.width / 2, area.y + area.height / 2);
    await page.keyboard.down(' ');
    await page.mouse.down();
    await page.mouse.move(area.x + area.width / 2 - 2000, area.y + area.height / 2 - 1500, { steps: 6 });
    await page.mouse.up();
    await page.keyboard.up(' ');
    // Far off screen, the canvas does not draw it at all.
    await page.waitForFunction((selector) => document.querySelector(selector) === null, node);

    await problem.click({ position: { x: 40, y: 8 } });
    await page.waitForFunction((selector) => document.querySelector(selector)?.getAttribute('data-selected') === 'true', node);
    assert.ok(inside(await page.locator(node).first().boundingBox(), area), 'the node is back in view');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a badge says its problems on hover and opens the first one when clicked', async () => {
  const { page, problems, context } = await harness.open('/');
  try {
    const badge = page.locator('[data-testid^="badge-"]').first();
    const node = await badge.getAttribute('data-badge-of');
    const title = await badge.locator('title').textContent();
    const messages = await page.$$eval(
      `[data-testid="problem"]`,
      (items, id) => items.filter((li) => li.dataset.nodes.split(' ').includes(id)).map((li) => li.querySelector('.message').textContent),
      node,
    );
    assert.ok(messages.length > 0, `${node} has problems in the panel`);
    assert.ok(messages.some((message) => title.includes(message)), `the badge's tooltip "${title}" says one of ${JSON.stringify(messages)}`);

    await badge.click();
    const opened = page.locator('[data-testid="problem"].opened');
    await opened.waitFor();
    assert.equal(await opened.count(), 1);
    assert.ok((await opened.getAttribute('data-nodes')).split(' ').includes(node));
    assert.equal(await page.getAttribute(`[data-testid="canvas"] [data-node-id="${node}"]`, 'data-selected'), 'true');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
