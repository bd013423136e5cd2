// Bending a connector as a person does: drag the line, drag its bend,
// double-click the bend away, undo and redo, draw it straight; the shape is
// in the saved file and travels in a share link.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startHarness, drag, shareLinkOf } from './harness.mjs';

let harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness.close();
});

const LINE = '[data-testid="edge-e-bastion-db"]';

async function savedDiagram(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="save-file"]')]);
  return JSON.parse(await readFile(await download.path(), 'utf8'));
}

function edgeOf(diagram, id) {
  return diagram.edges.find((e) => e.id === id);
}

/** A point on the screen at `fraction` of the line's length. */
async function pointOnLine(page, fraction) {
  return page.locator(`${LINE} .edge-hit`).evaluate((path, fraction) => {
    const p = path.getPointAtLength(path.getTotalLength() * fraction);
    const screen = new DOMPoint(p.x, p.y).matrixTransform(path.getScreenCTM());
    return { x: screen.x, y: screen.y };
  }, fraction);
}

/** Each bend handle: its centre in diagram units and on the screen, and
 * whether the drawn line passes through it. */
async function handles(page) {
  return page.$$eval('[data-testid="bend-handle"]', (circles) => circles.map((circle) => {
    const at = { x: Number(circle.getAttribute('cx')), y: Number(circle.getAttribute('cy')) };
    const screen = new DOMPoint(at.x, at.y).matrixTransform(circle.getScreenCTM());
    const line = document.querySelector('[data-testid="edge-e-bastion-db"] .edge-hit');
    return { at, screen: { x: screen.x, y: screen.y }, onLine: line.isPointInStroke(new DOMPoint(at.x, at.y)) };
  }));
}

async function handleCount(page, count) {
  await page.waitForFunction((count) => document.querySelectorAll('[data-testid="bend-handle"]').length === count, count);
}

test('a line is bent by dragging it, and its bend moves, undoes and goes away', async () => {
  const { page, problems } = await harness.open('/');
  await page.waitForSelector(LINE);
  const plain = await page.getAttribute(`${LINE} .edge-line`, 'd');

  // Drag the middle of the line to the left: a bend where it was dropped.
  const middle = await pointOnLine(page, 0.5);
  await drag(page, middle, { x: middle.x - 90, y: middle.y + 10 });
  await handleCount(page, 1);
  assert.equal(await page.getAttribute('[data-testid="inspector-edge"]', 'data-edge-id'), 'e-bastion-db');
  let [bend] = await handles(page);
  assert.ok(bend.onLine, `the line passes through its bend at ${JSON.stringify(bend.at)}`);
  assert.notEqual(await page.getAttribute(`${LINE} .edge-line`, 'd'), plain);
  let saved = await savedDiagram(page);
  assert.equal(saved.schema_version, 3, 'a bent line needs format version 3');
  assert.deepEqual(edgeOf(saved, 'e-bastion-db').bends, [bend.at]);
  const first = bend.at;

  // Drag the bend itself further down: the same one bend, moved.
  await drag(page, bend.screen, { x: bend.screen.x, y: bend.screen.y + 60 });
  await page.waitForFunction((y) => Number(document.querySelector('[data-testid="bend-handle"]')?.getAttribute('cy')) > y, first.y + 20);
  [bend] = await handles(page);
  assert.equal((await handles(page)).length, 1);
  assert.ok(bend.onLine, `${JSON.stringify(bend)} ${await page.getAttribute(`${LINE} .edge-line`, 'd')}`);
  const moved = bend.at;

  // Each drag is one step back, and forward again.
  await page.keyboard.press('Control+z');
  await page.waitForFunction((y) => Number(document.querySelector('[data-testid="bend-handle"]')?.getAttribute('cy')) === y, first.y);
  await page.keyboard.press('Control+z');
  await handleCount(page, 0);
  assert.equal(await page.getAttribute(`${LINE} .edge-line`, 'd'), plain, 'unbent, the line is routed as before');
  saved = await savedDiagram(page);
  assert.equal(saved.schema_version, 1);
  assert.equal(edgeOf(saved, 'e-bastion-db').bends, undefined);
  await page.keyboard.press('Control+Shift+z');
  await page.keyboard.press('Control+Shift+z');
  // Redo leaves the line selected as it was; select it to see its handles.
  await page.locator(`${LINE} .edge-hit`).dispatchEvent('pointerdown', { button: 0, bubbles: true });
  await page.mouse.up();
  await handleCount(page, 1);
  assert.deepEqual((await handles(page))[0].at, moved);

  // A double click takes the bend out.
  [bend] = await handles(page);
  await page.mouse.dblclick(bend.screen.x, bend.screen.y);
  await handleCount(page, 0);
  assert.equal(edgeOf(await savedDiagram(page), 'e-bastion-db').bends, undefined);
  assert.deepEqual(problems, []);
});

test('a bent, straight line travels in a share link and survives a reload', async () => {
  const { page, problems } = await harness.open('/');
  await page.waitForSelector(LINE);
  for (const [fraction, dx] of [[0.3, -80], [0.8, 60]]) {
    const at = await pointOnLine(page, fraction);
    await drag(page, at, { x: at.x + dx, y: at.y });
  }
  await handleCount(page, 2);
  const routed = await page.getAttribute(`${LINE} .edge-line`, 'd');
  await page.check('[data-testid="inspector-edge-straight"]');
  await page.waitForFunction((routed) => document.querySelector('[data-testid="edge-e-bastion-db"] .edge-line').getAttribute('d') !== routed, routed);
  const saved = await savedDiagram(page);
  const edge = edgeOf(saved, 'e-bastion-db');
  assert.equal(edge.straight, true);
  assert.equal(edge.bends.length, 2);

  // The link opens the same shape elsewhere.
  const link = await shareLinkOf(page);
  const other = await harness.browser.newContext({ viewport: { width: 1280, height: 720 } });
  const friend = await other.newPage();
  await friend.goto(link);
  await friend.waitForSelector('[data-editor="ready"]', { state: 'attached' });
  await friend.waitForSelector(LINE);
  assert.deepEqual(edgeOf(await savedDiagram(friend), 'e-bastion-db'), edge);
  assert.equal(
    await friend.getAttribute(`${LINE} .edge-line`, 'd'),
    await page.getAttribute(`${LINE} .edge-line`, 'd'),
    'drawn the same',
  );
  await other.close();

  // Work is kept: a reload shows the same line.
  await page.reload();
  await page.waitForSelector('[data-editor="ready"]', { state: 'attached' });
  await page.waitForSelector(LINE);
  assert.deepEqual(edgeOf(await savedDiagram(page), 'e-bastion-db'), edge);

  // "Remove the bends" in the inspector; routed again when unticked.
  await page.locator(`${LINE} .edge-hit`).dispatchEvent('pointerdown', { button: 0, bubbles: true });
  await page.mouse.up();
  await page.click('[data-testid="inspector-edge-unbend"]');
  await handleCount(page, 0);
  await page.uncheck('[data-testid="inspector-edge-straight"]');
  const unshaped = edgeOf(await savedDiagram(page), 'e-bastion-db');
  assert.equal(unshaped.bends, undefined);
  assert.equal(unshaped.straight, undefined);
  assert.deepEqual(problems, []);
});
