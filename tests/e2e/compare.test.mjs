// Compare mode and review links, in a real browser: the open diagram
// against the version last saved, some changes ago, or a link; marks on the
// canvas, the verdicts that changed in the panel, each item selecting what
// it names; nothing modified; a review link opening straight into the
// comparison in a fresh browser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, shareLinkOf } from './harness.mjs';

let harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness.close();
});

async function deleteNode(page, nodeId) {
  await page.locator(`[data-node-id="${nodeId}"] .glyph-icon`).first().click();
  await page.keyboard.press('Delete');
  await page.waitForSelector(`[data-testid="node-${nodeId}"]`, { state: 'detached' });
}

async function nodeCount(page) {
  return page.locator('[data-testid^="node-"]').count();
}

/** Waits for the comparison: the worker answers after the panel opens. */
async function compared(page) {
  await page.waitForSelector('[data-testid="compare-panel"]');
  await page.waitForFunction(() => {
    const summary = document.querySelector('[data-testid="compare-summary"]')?.textContent ?? '';
    return summary !== '' && summary !== 'Comparing…';
  });
}

async function items(page, list) {
  return page.locator(`[data-testid="${list}"] [data-testid="compare-item"]`).allInnerTexts();
}

test('compare mode marks what changed and lists the verdicts, and leaving puts everything back', async () => {
  const { page, problems, context } = await harness.open('/');
  await page.waitForSelector('[data-testid="node-nat-a"]');
  // Saving keeps the version to compare with, across reloads.
  await Promise.all([page.waitForEvent('download'), page.click('[data-testid="save-file"]')]);
  await deleteNode(page, 'nat-a');
  const nodesBefore = await nodeCount(page);
  const cameraBefore = await page.getAttribute('[data-testid="canvas"]', 'data-zoom');

  await page.click('[data-testid="compare"]');
  await page.waitForSelector('[data-testid="compare-dialog"]');
  assert.equal(await page.innerText('[data-testid="compare-saved"]'), 'As last saved');
  await page.click('[data-testid="compare-saved"]');
  await compared(page);
  assert.match(await page.innerText('[data-testid="compare-against"]'), /the version last saved/);
  const summary = await page.innerText('[data-testid="compare-summary"]');
  assert.match(summary, /flows? blocked/, summary);
  assert.match(summary, /nodes matched by id/);

  // The tasks can no longer pull their images: blocked, with the code.
  const flows = await items(page, 'compare-flows');
  assert.ok(flows.some((f) => /image pulls .*reachable -> blocked \(CANNOT_ROUTE/.test(f)), flows.join('\n'));
  const nodes = await items(page, 'compare-nodes');
  assert.ok(nodes.some((n) => /^removed: NAT gateway "nat-gateway-a"/.test(n)), nodes.join('\n'));
  assert.ok(nodes.some((n) => /^changed: Route table .*routes: - destination 0\.0\.0\.0\/0/.test(n)), nodes.join('\n'));

  // On the canvas: the NAT gateway as a ghost where it was, the changed
  // route table has no box of its own, and nothing was added.
  await page.waitForSelector('[data-testid="diff-ghost"][data-node-id="nat-a"]', { state: 'attached' });
  assert.equal(await page.locator('[data-testid="diff-mark"][data-diff="added"]').count(), 0);

  // An item selects what it names: the blocked image pulls select the service.
  await page
    .locator('[data-testid="compare-flows"] [data-testid="compare-item"]', { hasText: 'image pulls' })
    .first()
    .click();
  assert.equal(await page.inputValue('[data-testid="inspector-name"]'), 'myapp-service');

  // The comparison follows edits: undoing the delete clears it.
  await page.click('[data-testid="undo"]');
  await page.waitForSelector('[data-testid="node-nat-a"]');
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="compare-summary"]')?.textContent.startsWith('no changes'),
  );
  assert.equal(await page.locator('[data-testid="diff-ghost"]').count(), 0);
  await page.click('[data-testid="redo"]');
  await page.waitForSelector('[data-testid="diff-ghost"][data-node-id="nat-a"]', { state: 'attached' });

  // Leaving: marks and panel gone, the diagram as it was, the view back.
  await page.click('[data-testid="compare-leave"]');
  await page.waitForSelector('[data-testid="compare-panel"]', { state: 'detached' });
  assert.equal(await page.locator('[data-testid="compare-marks"]').count(), 0);
  assert.equal(await nodeCount(page), nodesBefore);
  assert.equal(await page.getAttribute('[data-testid="canvas"]', 'data-zoom'), cameraBefore);

  // As it was one change ago: before the delete.
  await page.click('[data-testid="compare"]');
  await page.fill('[data-testid="compare-steps-count"]', '1');
  await page.click('[data-testid="compare-steps"]');
  await page.waitForSelector('[data-testid="diff-ghost"][data-node-id="nat-a"]', { state: 'attached' });
  assert.match(await page.innerText('[data-testid="compare-against"]'), /1 change ago/);
  await page.click('[data-testid="compare-leave"]');

  // After a reload the saved version is still there to compare with.
  await page.reload();
  await page.waitForSelector('[data-editor="ready"]', { state: 'attached' });
  await page.click('[data-testid="compare"]');
  await page.click('[data-testid="compare-saved"]');
  await page.waitForSelector('[data-testid="diff-ghost"][data-node-id="nat-a"]', { state: 'attached' });
  await page.click('[data-testid="compare-leave"]');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a pasted link, and a broken one, in the compare dialog', async () => {
  const { page, problems, context } = await harness.open('/');
  await page.waitForSelector('[data-testid="node-nat-a"]');
  const link = await shareLinkOf(page);
  await deleteNode(page, 'bastion');
  await page.click('[data-testid="compare"]');
  await page.fill('[data-testid="compare-link-input"]', 'v1.AAAA');
  await page.click('[data-testid="compare-link"]');
  await page.waitForSelector('[data-testid="compare-problem"]');
  assert.match(await page.innerText('[data-testid="compare-problem"]'), /could not be read/);
  await page.fill('[data-testid="compare-link-input"]', link);
  await page.click('[data-testid="compare-link"]');
  await compared(page);
  const nodes = await items(page, 'compare-nodes');
  assert.ok(nodes.some((n) => /^removed: Bastion host "login-server"/.test(n)), nodes.join('\n'));
  const flows = await items(page, 'compare-flows');
  assert.ok(flows.some((f) => /"Operator" -> "login-server" on tcp\/22: reachable -> none/.test(f)), flows.join('\n'));
  await page.click('[data-testid="compare-leave"]');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a review link opens straight into compare mode in a fresh browser', async () => {
  const { page, problems, context } = await harness.open('/');
  await page.waitForSelector('[data-testid="node-nat-a"]');
  await Promise.all([page.waitForEvent('download'), page.click('[data-testid="save-file"]')]);
  await deleteNode(page, 'nat-a');
  await page.click('[data-testid="compare"]');
  await page.click('[data-testid="compare-saved"]');
  await compared(page);
  const summary = await page.innerText('[data-testid="compare-summary"]');
  await page.click('[data-testid="compare-review-link"]');
  await page.waitForSelector('[data-testid="review-link"]');
  const link = await page.inputValue('[data-testid="review-link"]');
  const length = Number(await page.getAttribute('[data-testid="review-length"]', 'data-length'));
  assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/#r1\./);
  assert.equal(link.length, length);
  assert.ok(length < 2000, `the seed's review link is ${length} characters`);
  const shareLength = (await shareLinkOf(page)).length;
  assert.ok(length < shareLength * 1.2, `review ${length} against share ${shareLength}`);

  const other = await harness.browser.newContext({ viewport: { width: 1280, height: 720 } });
  const friend = await other.newPage();
  const friendProblems = [];
  friend.on('pageerror', (error) => friendProblems.push(error.message));
  await friend.goto(link);
  await friend.waitForSelector('[data-testid="compare-panel"]');
  await friend.waitForFunction(
    (expected) => document.querySelector('[data-testid="compare-summary"]')?.textContent === expected,
    summary,
  );
  assert.match(await friend.innerText('[data-testid="compare-against"]'), /older version in the review link/);
  await friend.waitForSelector('[data-testid="diff-ghost"][data-node-id="nat-a"]', { state: 'attached' });
  assert.match(await friend.innerText('[data-testid="notice"]'), /review link's newer version/);
  assert.equal(new URL(friend.url()).hash, '');
  assert.equal(await friend.locator('[data-testid="node-nat-a"]').count(), 0);

  // A broken review link is explained and the friend's diagram stays.
  const fragment = link.slice(link.indexOf('#') + 1);
  await friend.goto(`${link.slice(0, link.indexOf('#'))}#${fragment.slice(0, fragment.length / 2)}`);
  await friend.waitForSelector('[data-testid="notice"]');
  await friend.waitForFunction(() =>
    /review link could not be opened/.test(document.querySelector('[data-testid="notice"]')?.textContent ?? ''),
  );
  assert.deepEqual(friendProblems, []);
  await other.close();
  assert.deepEqual(problems, []);
  await context.close();
});
