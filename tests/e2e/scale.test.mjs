// A diagram of thousands of nodes stays usable: the canvas draws only what
// is near the view, far out a simplified view (tiles, no captions), the
// lines the app did not search at once are routed by the worker, and the
// side panels list a page of rows at a time.
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

const canvasData = (page, name) => page.evaluate((key) => Number(document.querySelector('[data-testid="canvas"]').dataset[key]), name);

test('5,000 nodes: only what is near the view is drawn, simplified far out, with every line routed by the worker', async () => {
  const { page, problems, context } = await harness.open('/?bench=render&nodes=5000', { editor: true, viewport: { width: 1440, height: 900 } });
  try {
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="canvas"]').dataset.nodes) > 3000, null, { timeout: 60000 });
    const nodes = await canvasData(page, 'nodes');
    // The whole diagram does not fit: the view is at the least zoom, the
    // overview, and what lies below it is not in the page.
    assert.equal(Number(await page.getAttribute('[data-testid="canvas"]', 'data-zoom')), 0.1);
    const drawn = await page.locator('[data-testid="canvas"] [data-node-id]').count();
    assert.ok(drawn > 300 && drawn < nodes * 0.8, `${drawn} of ${nodes} nodes drawn`);
    assert.equal(await page.locator('[data-testid="canvas"] .glyph-official').count(), 0, 'tiles, not icons');
    assert.equal(await page.locator('[data-testid="canvas"] .glyph-title').count(), 0, 'no captions');
    const elements = await page.evaluate(() => document.querySelectorAll('[data-testid="canvas"] *').length);
    assert.ok(elements < 15000, `${elements} SVG elements`);
    // The lines searched at once and the rest come from the worker.
    await page.waitForFunction(() => document.querySelector('[data-testid="canvas"]').dataset.linesWaiting === '0', null, { timeout: 60000 });

    // Panned a screen down, the VPCs at the top are gone and those below
    // are drawn.
    const vpcs = () => page.$$eval('[data-testid="canvas"] [data-kind="vpc"]', (all) => all.map((vpc) => vpc.dataset.nodeId));
    const before = await vpcs();
    const top = await page.$$eval('[data-testid="canvas"] [data-kind="vpc"]', (all) =>
      all.map((vpc) => ({ id: vpc.dataset.nodeId, y: vpc.getBoundingClientRect().y })).sort((a, b) => a.y - b.y)[0].id);
    const area = await page.locator('[data-testid="canvas-area"]').boundingBox();
    await page.mouse.move(area.x + area.width / 2, area.y + area.height - 20);
    await page.keyboard.down(' ');
    await page.mouse.down();
    await page.mouse.move(area.x + area.width / 2, area.y + 20, { steps: 8 });
    await page.mouse.up();
    await page.keyboard.up(' ');
    await page.waitForFunction((id) => !document.querySelector(`[data-testid="canvas"] [data-node-id="${id}"]`), top);
    const after = await vpcs();
    assert.ok(after.some((id) => !before.includes(id)), 'VPCs further down are drawn');

    // Zoomed in on one VPC: full detail there, and still few elements.
    await page.locator('[data-testid="outline-tree"] [role="treeitem"]').first().click();
    for (let step = 0; step < 12 && Number(await page.getAttribute('[data-testid="canvas"]', 'data-zoom')) < 0.8; step += 1) {
      await page.getByTestId('zoom-in').click();
    }
    await page.waitForSelector('[data-testid="canvas"] .glyph-title');
    const near = await page.evaluate(() => document.querySelectorAll('[data-testid="canvas"] [data-node-id]').length);
    assert.ok(near < 200, `${near} nodes drawn close in`);

    // A page of flows; more on request.
    assert.equal(await page.locator('[data-testid="flow"]').count(), 100);
    await page.getByTestId('flows-more').click();
    assert.equal(await page.locator('[data-testid="flow"]').count(), 600);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
