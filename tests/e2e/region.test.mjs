// The region picker: a design moves to another region as one undoable step
// (zones keep their letters, CloudFront's certificate stays in us-east-1),
// a region that lacks a zone in use is refused with the reason, and a new
// blank diagram starts in the region chosen last.
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

const picker = '[data-testid="region-picker"]';

test('choosing a region moves the design, says what stays, and undoes in one step', async () => {
  const { page, problems, context } = await harness.open('/');
  try {
    assert.equal(await page.inputValue(picker), 'ap-northeast-1');
    await page.selectOption(picker, 'eu-west-1');
    await page.waitForFunction(() => document.querySelector('[data-testid="notice"]')?.textContent.includes('eu-west-1'));
    const notice = await page.textContent('[data-testid="notice"]');
    assert.match(notice, /moved to eu-west-1/);
    assert.match(notice, /www certificate.*stays in us-east-1/);
    assert.equal(await page.inputValue(picker), 'eu-west-1');

    // A subnet's zone followed, by its letter.
    const box = await page.locator('[data-node-id="subnet-private-a"] > .container-box').first().boundingBox();
    await page.mouse.click(box.x + box.width * 0.04, box.y + box.height * 0.04);
    await page.waitForSelector('[data-testid="inspector-az"]');
    assert.equal(await page.inputValue('[data-testid="inspector-az"]'), 'eu-west-1a');

    await page.click('[data-testid="undo"]');
    assert.equal(await page.inputValue(picker), 'ap-northeast-1');
    assert.equal(await page.inputValue('[data-testid="inspector-az"]'), 'ap-northeast-1a');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a region without a zone the design uses is refused, and the picker keeps the region that holds', async () => {
  const { page, context } = await harness.open('/');
  try {
    await page.selectOption(picker, 'ca-central-1');
    await page.waitForSelector('[data-testid="notice"]');
    assert.match(await page.textContent('[data-testid="notice"]'), /ca-central-1 has no zone for .*offers zones a, b, d/);
    assert.equal(await page.inputValue(picker), 'ap-northeast-1');
  } finally {
    await context.close();
  }
});

test('a new blank diagram starts in the region chosen last', async () => {
  const { page, context } = await harness.open('/');
  try {
    await page.selectOption(picker, 'us-west-2');
    await page.waitForFunction(() => document.querySelector('[data-testid="notice"]')?.textContent.includes('us-west-2'));
    await page.click('[data-testid="my-diagrams"]');
    await page.click('[data-testid="diagrams-new"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="diagram-name"]')?.textContent.includes('Untitled'));
    assert.equal(await page.inputValue(picker), 'us-west-2');
  } finally {
    await context.close();
  }
});
