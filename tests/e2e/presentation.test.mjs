// The seed as a reviewer sees it: screenshots at the usual screen sizes in
// both themes, and the browser as the judge of what the domain promises:
// connectors miss every icon but their own ends', no text overprints other
// text, and no caption is smaller than 11 px at 100%.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, ARTIFACTS } from './harness.mjs';

let harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.close();
});

const SIZES = [
  { name: '1440x900', viewport: { width: 1440, height: 900 } },
  { name: '1280x720', viewport: { width: 1280, height: 720 } },
  { name: '390x844', phone: true },
];

for (const size of SIZES) {
  for (const colorScheme of ['light', 'dark']) {
    test(`the seed at ${size.name} in the ${colorScheme} theme`, async () => {
      const { page, problems, context } = await harness.open('/', { ...size, colorScheme });
      await page.getByTestId('node-alb').waitFor();
      // The whole diagram is in view, connectors included.
      const drawn = await page.evaluate(() => {
        const canvas = document.querySelector('[data-testid="canvas"]').getBoundingClientRect();
        const boxes = [...document.querySelectorAll('[data-testid="canvas"] [data-node-id]')].map((el) => el.getBoundingClientRect());
        return boxes.every((b) => b.width > 0 && b.left >= canvas.left - 1 && b.right <= canvas.right + 1 && b.top >= canvas.top - 1 && b.bottom <= canvas.bottom + 1);
      });
      assert.ok(drawn, 'every node is drawn inside the canvas');
      await page.screenshot({ path: `${ARTIFACTS}seed-${size.name}-${colorScheme}.png` });
      assert.deepEqual(problems, []);
      await context.close();
    });
  }
}

/** Everything the canvas draws, in the canvas's own units. */
async function geometry(page) {
  return page.evaluate(() => {
    const canvas = document.querySelector('[data-testid="canvas"]');
    const box = (el) => {
      const b = el.getBBox();
      return { x: b.x, y: b.y, w: b.width, h: b.height };
    };
    const lines = [...canvas.querySelectorAll('.edge-line, .link-line')].map((path) => {
      const group = path.closest('[data-source]');
      const length = path.getTotalLength();
      const points = [];
      for (let at = 0; at <= length; at += 2) {
        const p = path.getPointAtLength(at);
        points.push([p.x, p.y]);
      }
      return { id: group.dataset.edgeId ?? group.dataset.linkId, ends: [group.dataset.source, group.dataset.target], points };
    });
    const icons = [...canvas.querySelectorAll('.glyph')].map((g) => ({ id: g.dataset.nodeId, ...box(g.querySelector('.glyph-icon')) }));
    // Text inside an icon (its mark) or a problem badge is part of the icon.
    const texts = [...canvas.querySelectorAll('text')]
      .filter((t) => !t.closest('.badge') && !t.classList.contains('glyph-badge') && t.textContent.trim() !== '' && getComputedStyle(t).display !== 'none')
      .map((t) => ({ text: t.textContent, size: parseFloat(getComputedStyle(t).fontSize), ...box(t) }));
    return { lines, icons, texts };
  });
}

test('no connector passes through an icon and no text overprints another, in the seed and every template', async () => {
  for (const [template, shows] of [['seed', 'alb'], ['three-tier', 'acl-data'], ['static-site', 'cdn']]) {
    const { page, context } = await harness.open('/');
    await page.getByTestId('node-alb').waitFor();
    if (template !== 'seed') {
      await page.waitForSelector('[data-testid="sidebar"][data-editor="ready"]');
      await page.getByTestId('templates-menu').click();
      await page.getByTestId(`template-${template}`).click();
      await page.getByTestId(`node-${shows}`).waitFor();
    }
    const { lines, icons, texts } = await geometry(page);
    assert.ok(lines.length > 0 && icons.length > 0 && texts.length > 0, template);
    for (const line of lines) {
      for (const icon of icons) {
        if (line.ends.includes(icon.id)) continue;
        const through = line.points.find(([x, y]) => x > icon.x + 1 && x < icon.x + icon.w - 1 && y > icon.y + 1 && y < icon.y + icon.h - 1);
        assert.equal(through, undefined, `${template}: ${line.id} passes through ${icon.id}`);
      }
    }
    for (let i = 0; i < texts.length; i += 1) {
      const a = texts[i];
      assert.ok(a.size >= 11, `${template}: ${JSON.stringify(a.text)} is ${a.size}px`);
      for (const b of texts.slice(i + 1)) {
        const overlap = a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 && a.y < b.y + b.h - 0.5 && b.y < a.y + a.h - 0.5;
        assert.ok(!overlap, `${template}: ${JSON.stringify(a.text)} overprints ${JSON.stringify(b.text)}`);
      }
    }
    await context.close();
  }
});

test('far out, captions give way to large names and counts; AWS icons by default, simple ones on request', async () => {
  const { page, problems, context } = await harness.open('/', { viewport: { width: 1440, height: 900 } });
  await page.getByTestId('node-alb').waitFor();
  await page.waitForSelector('[data-testid="sidebar"][data-editor="ready"]');
  // AWS's icon is drawn and loaded; the pictogram is not.
  const shown = (selector) => page.locator(selector).first().evaluate((el) => getComputedStyle(el).display !== 'none');
  assert.ok(await shown('[data-node-id="alb"] .glyph-official'));
  assert.ok(!(await shown('[data-node-id="alb"] .glyph-art')));
  await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('/aws-icons/load_balancer.svg')));
  // The palette shows the same style.
  assert.ok(await shown('[data-testid="palette-load_balancer"] .glyph-official'));
  assert.ok(!(await shown('[data-testid="palette-load_balancer"] .glyph-art')));
  await page.selectOption('[data-testid="icon-style"]', 'simple');
  assert.ok(!(await shown('[data-node-id="alb"] .glyph-official')));
  assert.ok(await shown('[data-node-id="alb"] .glyph-art'));
  assert.ok(await shown('[data-testid="palette-load_balancer"] .glyph-art'));
  // Security groups have no AWS icon: the pictogram in either style.
  await page.selectOption('[data-testid="icon-style"]', 'aws');
  assert.ok(await shown('[data-testid="palette-security_group"] .glyph-art'));

  // Zoomed out past the point where an 11 px caption is under 5 px.
  const zoomOut = page.getByTestId('zoom-out');
  const zoom = async () => Number(await page.getAttribute('[data-testid="canvas"]', 'data-zoom'));
  for (let step = 0; step < 10 && (await zoom()) >= 0.45; step += 1) {
    await zoomOut.click();
  }
  assert.ok((await zoom()) < 0.45 && (await zoom()) >= 0.2);
  const count = (selector) => page.locator(selector).count();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="canvas"] .glyph-title').length === 0);
  assert.equal(await count('[data-testid="canvas"] .edge-label'), 0, 'port labels are not drawn');
  assert.equal(await count('[data-testid="canvas"] .handle'), 0, 'nor the connection handles');
  assert.ok(await shown('[data-node-id="alb"] .glyph-official'), 'icons still are');
  assert.ok(await shown('[data-node-id="subnet-public-a"] .container-far-title'));
  assert.equal(await page.locator('[data-node-id="subnet-public-a"] .container-count').textContent(), '3 resources');
  await page.screenshot({ path: `${ARTIFACTS}seed-far.png` });
  // Further out, icons are under 13 px: tiles in their group's colour.
  for (let step = 0; step < 10 && (await zoom()) >= 0.2; step += 1) {
    await zoomOut.click();
  }
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="canvas"] .glyph-official').length === 0);
  assert.ok(await shown('[data-node-id="alb"] .glyph-icon'), 'the load balancer is a tile');
  assert.equal(await count('[data-testid="canvas"] [data-badge-of]'), 0, 'problems are in the panel');
  assert.ok(await shown('[data-node-id="subnet-public-a"] .container-far-title'));
  await page.screenshot({ path: `${ARTIFACTS}seed-overview.png` });
  // The selection is still marked, and a tile can be picked.
  await page.locator('[data-node-id="alb"]').click();
  assert.equal(await page.getAttribute('[data-node-id="alb"]', 'data-selected'), 'true');
  // Close in again: full detail.
  await page.getByTestId('zoom-fit').click();
  await page.getByTestId('zoom-in').click();
  await page.getByTestId('zoom-in').click();
  await page.waitForSelector('[data-node-id="alb"] .glyph-title');
  assert.ok(await shown('[data-node-id="alb"] .glyph-title'));
  assert.equal(await count('[data-node-id="subnet-public-a"] .container-count'), 0);
  assert.deepEqual(problems, []);
  await context.close();
});
