// Palette search: the words people use find the block, and a search that
// finds nothing says so.
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

const visibleKinds = (page) =>
  page.$$eval('[data-testid^="palette-"][data-kind]', (items) =>
    items.filter((item) => item.offsetParent !== null).map((item) => item.dataset.kind));

test('synonyms find their block, and nothing found is said', async () => {
  const { page, problems, context } = await harness.open('/');
  try {
    await page.fill('[data-testid="palette-search"]', 'postgres');
    assert.deepEqual(await visibleKinds(page), ['aurora_cluster', 'rds_instance']);
    await page.fill('[data-testid="palette-search"]', 'lb');
    assert.deepEqual(await visibleKinds(page), ['load_balancer']);
    assert.equal(await page.locator('[data-testid="palette-empty"]').count(), 0);

    await page.fill('[data-testid="palette-search"]', 'mainframe');
    assert.deepEqual(await visibleKinds(page), []);
    assert.equal(await page.textContent('[data-testid="palette-empty"]'), 'No building block matches "mainframe".');

    await page.fill('[data-testid="palette-search"]', '');
    assert.equal(await page.locator('[data-testid="palette-empty"]').count(), 0);
    assert.equal((await visibleKinds(page)).length, 34, "every kind of the model");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
