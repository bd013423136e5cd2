// A shared link opened on a phone: the canvas takes the screen and shows the
// whole diagram, two fingers zoom and one pans (touch events sent through
// the browser's protocol, as a phone's would be), and the problems and the
// palette open as drawers over the canvas.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startHarness, ARTIFACTS, boxOf, shareLinkOf } from './harness.mjs';

let harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness.close();
});

const zoom = async (page) => Number((await page.textContent('[data-testid="zoom-level"]')).replace('%', ''));

test('a shared link on a phone shows the whole diagram, pinches, pans, and opens its problems as a drawer', async () => {
  // The seed's link, made where links are made.
  const desk = await harness.open('/');
  const url = await shareLinkOf(desk.page);
  await desk.context.close();

  const { page, problems, context } = await harness.open('/', { phone: true });
  try {
    await page.goto(url);
    await page.waitForSelector('[data-testid="canvas"] [data-node-id="db"]');
    await page.waitForSelector('[data-editor="ready"]', { state: 'attached' });
    // The canvas takes the screen; every node is on it.
    const area = await boxOf(page, '[data-testid="canvas-area"]');
    assert.ok(area.width >= 380, `canvas ${area.width} px wide`);
    assert.ok(area.height > 500, `canvas ${area.height} px high`);
    for (const id of ['internet', 'vpc-main', 'alb', 'service', 'db', 'cdn', 'operator']) {
      const node = await boxOf(page, `[data-testid="canvas"] [data-node-id="${id}"]`);
      assert.ok(
        node.x >= area.x - 1 && node.y >= area.y - 1 &&
          node.x + node.width <= area.x + area.width + 1 && node.y + node.height <= area.y + area.height + 1,
        `${id} is on screen: ${JSON.stringify(node)} in ${JSON.stringify(area)}`,
      );
    }
    await page.screenshot({ path: join(ARTIFACTS, 'phone-seed-390x844.png') });

    // Two fingers spreading zoom in.
    const cdp = await context.newCDPSession(page);
    const touch = (type, points) => cdp.send('Input.dispatchTouchEvent', {
      type,
      touchPoints: points.map(([x, y], id) => ({ x, y, id })),
    });
    const cx = area.x + area.width / 2;
    const cy = area.y + area.height / 2;
    const before = await zoom(page);
    await touch('touchStart', [[cx - 40, cy], [cx + 40, cy]]);
    for (let step = 1; step <= 5; step += 1) {
      await touch('touchMove', [[cx - 40 - step * 16, cy], [cx + 40 + step * 16, cy]]);
    }
    await touch('touchEnd', []);
    const after = await zoom(page);
    assert.ok(after > before * 1.5, `zoom ${before}% -> ${after}%`);

    // One finger on the empty canvas moves the view.
    const viewBox = () => page.getAttribute('[data-testid="canvas"]', 'viewBox');
    const seen = await viewBox();
    const empty = { x: area.x + 8, y: area.y + area.height - 8 };
    await touch('touchStart', [[empty.x, empty.y]]);
    for (let step = 1; step <= 5; step += 1) await touch('touchMove', [[empty.x + step * 20, empty.y - step * 10]]);
    await touch('touchEnd', []);
    assert.notEqual(await viewBox(), seen, 'the view moved');

    // The problems are a drawer: closed, then readable over the canvas.
    assert.equal(await page.locator('[data-testid="sidebar"]').isVisible(), false);
    await page.getByTestId('drawer-sidebar').click();
    await page.waitForSelector('[data-testid="problems-panel"]', { state: 'visible' });
    assert.equal(await page.getAttribute('[data-testid="drawer-sidebar"]', 'aria-expanded'), 'true');
    const drawer = await boxOf(page, '[data-testid="sidebar"]');
    assert.ok(drawer.width <= 390 * 0.86, `the drawer leaves some canvas: ${drawer.width}`);
    assert.ok((await page.locator('[data-testid="problem"]').count()) > 0);
    // The palette's drawer takes its place.
    await page.getByTestId('drawer-palette').click();
    assert.equal(await page.locator('[data-testid="sidebar"]').isVisible(), false);
    assert.equal(await page.locator('[data-testid="palette"]').isVisible(), true);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
