// Drawing configures the design: a line between two nodes becomes what the
// pair means in AWS (a cluster, an HTTPS listener, an origin...), drawn as a
// dashed relationship with no verdict; a pair that means nothing is refused
// with the reason; the inspector sets the same relationships by choosing;
// and a link written before lines meant configuration opens settled.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startHarness, ARTIFACTS } from './harness.mjs';
import { join } from 'node:path';

let harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness.close();
});

async function centre(page, selector) {
  const box = await page.locator(selector).first().boundingBox();
  assert.ok(box, `no box for ${selector}`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drags from a node's connection handle onto another node, as a person draws a line. */
async function draw(page, from, to) {
  await page.hover(`[data-node-id="${from}"] > .glyph-icon`);
  const start = await centre(page, `[data-testid="handle-${from}"]`);
  const target = await centre(page, `[data-node-id="${to}"] > .glyph-icon`);
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move((start.x + target.x) / 2, (start.y + target.y) / 2, { steps: 4 });
  await page.mouse.move(target.x, target.y, { steps: 4 });
  await page.mouse.up();
}

async function notice(page) {
  const el = page.locator('[data-testid="notice"]');
  return (await el.count()) ? el.innerText() : '';
}

const link = (kind, from, to) => `[data-testid="link-${kind}:${from}:${to}"]`;

/** Clicks a relationship by its label, the part of it that takes the pointer. */
async function clickLink(page, selector) {
  await page.click(`${selector} .link-label`);
}

test('relationships are drawn dashed, removed with Delete and drawn again by connecting', async () => {
  const { page, problems } = await harness.open('/');
  await page.waitForSelector('[data-testid="node-service"]');
  const edgesBefore = await page.locator('[data-testid^="edge-"]').count();

  // The seed's service runs in its cluster: a dashed line, no arrow, no verdict.
  const cluster = link('cluster', 'service', 'cluster');
  await page.waitForSelector(cluster);
  assert.equal(await page.getAttribute(cluster, 'data-verdict'), null);
  assert.equal(await page.locator(`${cluster} [marker-end]`).count(), 0);
  const dash = await page.locator(`${cluster} .link-line`).evaluate((el) => getComputedStyle(el).strokeDasharray);
  assert.notEqual(dash, 'none');

  // Select it: the inspector says what it stands for; Delete removes it.
  await clickLink(page, cluster);
  await page.waitForSelector('[data-testid="inspector-link"]');
  assert.match(await page.innerText('[data-testid="inspector-link-description"]'), /runs in the ECS cluster/);
  await page.keyboard.press('Delete');
  await page.waitForSelector(cluster, { state: 'detached' });
  await page.waitForSelector('[data-testid="problem"][data-rule="VR-31"]');

  // Drawn again from the cluster to the service: membership, not traffic.
  await draw(page, 'cluster', 'service');
  await page.waitForSelector(cluster);
  assert.match(await notice(page), /runs in the cluster/);
  assert.equal(await page.locator('[data-testid^="edge-"]').count(), edgesBefore);
  assert.equal(await page.locator('[data-testid="problem"][data-rule="VR-31"]').count(), 0);

  // Undo takes it back in one step.
  await page.keyboard.press('Control+z');
  await page.waitForSelector(cluster, { state: 'detached' });
  await page.keyboard.press('Control+y');
  await page.waitForSelector(cluster);
  assert.deepEqual(problems, []);
});

test('a certificate drawn to the load balancer makes its HTTPS listener; drawn to the internet it is refused', async () => {
  const { page, problems } = await harness.open('/');
  await page.waitForSelector('[data-testid="node-alb"]');
  const certificate = link('listener-certificate', 'alb', 'cert-api');
  await page.waitForSelector(certificate);
  await clickLink(page, certificate);
  await page.waitForSelector('[data-testid="inspector-link"]');
  await page.click('[data-testid="inspector-delete"]');
  await page.waitForSelector(certificate, { state: 'detached' });
  // Without HTTPS the load balancer listens on 80 only.
  await page.waitForFunction(() =>
    document.querySelector('[data-node-id="alb"] .glyph-subtitle')?.textContent === 'listeners 80');

  await draw(page, 'cert-api', 'alb');
  await page.waitForSelector(certificate);
  assert.match(await notice(page), /serves HTTPS on 443/);
  assert.match(await notice(page), /redirects/);
  // The internet, drawn on 80, reaches the new listener on 443 too.
  const https = page.locator('[data-source="internet"][data-target="alb"]', { hasText: '443' });
  assert.equal(await https.getAttribute('data-verdict'), 'reachable');

  // A certificate carries no traffic: refused, with what to draw instead.
  const edges = await page.locator('[data-testid^="edge-"]').count();
  await draw(page, 'cert-api', 'internet');
  assert.match(await notice(page), /means nothing in AWS.*load balancer/);
  assert.equal(await page.locator('[data-testid^="edge-"]').count(), edges);
  assert.deepEqual(problems, []);
});

test('the inspector sets relationships by choosing, and a refused value shows what holds', async () => {
  const { page, problems } = await harness.open('/');
  await page.waitForSelector('[data-testid="node-service"]');
  await page.click('[data-node-id="service"] > .glyph-icon');
  await page.waitForSelector('[data-testid="inspector-fields"][data-node-id="service"]');
  assert.equal(await page.inputValue('[data-testid="inspector-cluster"]'), 'cluster');
  await page.selectOption('[data-testid="inspector-cluster"]', '');
  await page.waitForSelector(link('cluster', 'service', 'cluster'), { state: 'detached' });
  await page.selectOption('[data-testid="inspector-cluster"]', 'cluster');
  await page.waitForSelector(link('cluster', 'service', 'cluster'));

  // Each container in its fieldset: image, port, health check.
  assert.equal(await page.locator('[data-testid="inspector-group"]').count() >= 2, true);
  assert.equal(await page.inputValue('[data-testid="inspector-image-0"]'), 'ecr:ecr-nginx');
  const port = '[data-testid="inspector-container-port-0"]';
  const held = await page.inputValue(port);
  await page.fill(port, '0');
  await page.press(port, 'Enter');
  await page.waitForSelector('[data-testid="inspector-container-port-0-error"]');
  assert.equal(await page.inputValue(port), held, 'the field shows the value that holds');

  await page.fill('[data-testid="inspector-health-check-path-0"]', '/healthz');
  await page.press('[data-testid="inspector-health-check-path-0"]', 'Enter');
  await page.click('[data-node-id="alb"] > .glyph-icon');
  await page.waitForSelector('[data-testid="inspector-fields"][data-node-id="alb"]');
  assert.equal(await page.inputValue('[data-testid="inspector-target-health-path-0"]'), '/healthz');
  await page.screenshot({ path: join(ARTIFACTS, 'relationships-inspector.png') });
  assert.deepEqual(problems, []);
});

test('a link written before lines meant configuration opens with them settled, and says so', async () => {
  const fragment = (await readFile(new URL('../fixtures/links/v1-meaningless-edges.txt', import.meta.url), 'utf8')).trim();
  const { page, problems } = await harness.open(`/#${fragment}`);
  await page.waitForFunction(() => /older version/.test(document.querySelector('[data-testid="notice"]')?.textContent ?? ''));
  const said = await notice(page);
  assert.match(said, /runs in the cluster/);
  assert.match(said, /removed/);
  await page.waitForSelector(link('cluster', 'service', 'cluster'));
  assert.equal(await page.locator('[data-testid^="edge-"][data-target="dns"]').count(), 0);
  assert.equal(await page.locator('[data-testid^="edge-"][data-source="cert-api"]').count(), 0);
  assert.deepEqual(problems, []);
});

test('every relationship the seed holds is removed and drawn again with the mouse', async () => {
  const { page, problems } = await harness.open('/');
  await page.waitForSelector('[data-testid="node-service"]');
  const links = await page.$$eval('[data-link-id]', (all) => all.map((g) => ({
    key: g.getAttribute('data-link-id'),
    kind: g.getAttribute('data-link-kind'),
    source: g.getAttribute('data-source'),
    target: g.getAttribute('data-target'),
  })));
  const kinds = new Set(links.map((l) => l.kind));
  for (const kind of ['cluster', 'origin', 'listener-certificate', 'viewer-certificate', 'alias', 'validation', 'image', 'deploys']) {
    assert.ok(kinds.has(kind), `the seed draws a ${kind} relationship`);
  }
  let redrawn = 0;
  for (const link of links) {
    const selector = `[data-link-id="${link.key}"]`;
    // Selected as a click on its label selects it (labels may sit close
    // together, so the event goes to the label itself).
    await page.dispatchEvent(`${selector} .link-label`, 'pointerdown', { button: 0, bubbles: true });
    await page.waitForSelector(`[data-testid="inspector-link"][data-link-id="${link.key}"]`);
    await page.keyboard.press('Delete');
    const gone = await page.waitForSelector(selector, { state: 'detached', timeout: 2000 }).then(() => true, () => false);
    if (!gone) {
      // Some cannot go alone (a distribution's last origin, a container's image): the reason is given.
      assert.match(await notice(page), /needs an origin|always runs an image/, link.key);
      continue;
    }
    await draw(page, link.source, link.target);
    await page.waitForSelector(selector);
    redrawn += 1;
  }
  assert.ok(redrawn >= 8, `${redrawn} relationships removed and drawn again`);
  assert.deepEqual(problems, []);
});
