// Share links and never losing work, in a real browser: links open as
// copies, broken links leave the diagram alone, work survives reloads, a
// full storage is reported, two tabs do not overwrite each other, hostile
// names stay text, and files open by picking or dropping.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startHarness } from './harness.mjs';

let harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness.close();
});

async function savedDiagram(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="save-file"]')]);
  return JSON.parse(await readFile(await download.path(), 'utf8'));
}

async function shareLink(page) {
  await page.click('[data-testid="share"]');
  await page.waitForSelector('[data-testid="share-link"]');
  const link = await page.inputValue('[data-testid="share-link"]');
  const length = Number(await page.getAttribute('[data-testid="share-length"]', 'data-length'));
  await page.click('[data-testid="share-close"]');
  return { link, length };
}

async function notice(page) {
  await page.waitForSelector('[data-testid="notice"]');
  return page.innerText('[data-testid="notice"]');
}

async function rename(page, nodeId, name) {
  await page.locator(`[data-node-id="${nodeId}"] .glyph-icon`).click();
  await page.fill('[data-testid="inspector-name"]', name);
  await page.press('[data-testid="inspector-name"]', 'Enter');
  await page.keyboard.press('Escape');
}

test('a shared link opens the same diagram, as a copy, in a fresh browser', async () => {
  const { page, problems, context } = await harness.open('/');
  await page.waitForSelector('[data-testid="node-vpc-main"]');
  const original = await savedDiagram(page);
  const { link, length } = await shareLink(page);
  assert.ok(length <= 2000, `the seed's link is ${length} characters`);
  assert.equal(link.length, length);
  assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/#v1\./);

  const other = await harness.browser.newContext({ viewport: { width: 1280, height: 720 } });
  const friend = await other.newPage();
  await friend.goto(link);
  await friend.waitForSelector('[data-testid="node-vpc-main"]');
  assert.match(await notice(friend), /shared diagram as a new entry/);
  assert.deepEqual(await savedDiagram(friend), original);
  // The fragment is gone from the address, and editing the copy does not
  // touch the sender's diagram.
  assert.equal(new URL(friend.url()).hash, '');
  await rename(friend, 'alb', 'Renamed by a friend');
  assert.deepEqual(await savedDiagram(page), original);
  await other.close();
  assert.deepEqual(problems, []);
  await context.close();
});

test('a broken link says what is wrong and leaves the diagram as it was', async () => {
  const { page, context } = await harness.open('/');
  await page.waitForSelector('[data-testid="node-vpc-main"]');
  await rename(page, 'alb', 'Kept ALB');
  const before = await savedDiagram(page);
  const { link } = await shareLink(page);
  const fragment = link.slice(link.indexOf('#') + 1);
  const broken = [
    [`${fragment.slice(0, fragment.length / 2)}`, /damaged/],
    ['v7.AAAA', /link format 7/],
    [`v1.${'A'.repeat(400)}`, /damaged/],
  ];
  for (const [bad, expected] of broken) {
    await page.evaluate((hash) => { window.location.hash = hash; }, bad);
    assert.match(await notice(page), expected);
    assert.match(await notice(page), /Your diagram is unchanged/);
    await page.click('[data-testid="notice"] button');
    assert.deepEqual(await savedDiagram(page), before);
  }
  await context.close();
});

test('opening a broken link in a fresh browser shows the message and a usable app', async () => {
  const { page, problems, context } = await harness.open('/#v1.not-a-diagram');
  await page.waitForSelector('[data-testid="node-vpc-main"]');
  assert.match(await notice(page), /could not be opened/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('work survives a reload: diagram, camera and selection', async () => {
  const { page, context } = await harness.open('/');
  await page.waitForSelector('[data-testid="node-vpc-main"]');
  await rename(page, 'cdn', 'Survives reloads');
  await page.locator('[data-node-id="db"] .glyph-icon').click();
  await page.click('[data-testid="zoom-in"]');
  const viewBox = await page.getAttribute('[data-testid="canvas"]', 'viewBox');
  await page.waitForTimeout(600);
  await page.reload();
  await page.waitForSelector('[data-testid="node-vpc-main"]');
  assert.equal(await page.textContent('[data-node-id="cdn"] .glyph-title'), 'Survives reloads');
  assert.equal(await page.getAttribute('[data-node-id="db"]', 'data-selected'), 'true');
  assert.equal(await page.getAttribute('[data-testid="canvas"]', 'viewBox'), viewBox);
  await context.close();
});

test('a full storage is reported and the work stays in memory', async () => {
  const { page, context } = await harness.open('/');
  await page.waitForSelector('[data-testid="node-vpc-main"]');
  await page.waitForTimeout(500);
  await page.evaluate(() => {
    const chunk = 'x'.repeat(256 * 1024);
    for (let i = 0; ; i += 1) {
      try {
        localStorage.setItem(`filler-${i}`, chunk);
      } catch {
        break;
      }
    }
    // Top up with ever smaller values until not even one character fits.
    let n = 0;
    for (let size = 64 * 1024; size >= 1; size = Math.floor(size / 2)) {
      for (;;) {
        try {
          localStorage.setItem(`f${n}`, 'y'.repeat(size));
          n += 1;
        } catch {
          break;
        }
      }
    }
  });
  await rename(page, 'alb', 'Changed while storage is full '.repeat(20));
  await page.waitForSelector('[data-testid="unsaved"]');
  assert.match(await notice(page), /not being saved: browser storage is full/);
  assert.match(await page.textContent('[data-node-id="alb"] .glyph-title'), /Changed while storage is full/);
  // The file download still has everything.
  const saved = await savedDiagram(page);
  assert.match(saved.nodes.find((n) => n.id === 'alb').name, /Changed while storage is full/);
  await context.close();
});

test('storage the browser refuses (private mode) is reported and the work stays usable', async () => {
  const { page, problems, context } = await harness.open('/', {
    // What a browser with storage turned off does: touching it throws.
    init: () => {
      Object.defineProperty(window, 'localStorage', {
        get() {
          throw new DOMException('storage is disabled', 'SecurityError');
        },
      });
    },
  });
  await page.waitForSelector('[data-testid="node-vpc-main"]');
  await rename(page, 'alb', 'Edited without storage');
  await page.waitForSelector('[data-testid="unsaved"]');
  assert.match(await notice(page), /not being saved: this browser does not let stackdraw keep data/);
  assert.equal(await page.textContent('[data-node-id="alb"] .glyph-title'), 'Edited without storage');
  const saved = await savedDiagram(page);
  assert.equal(saved.nodes.find((n) => n.id === 'alb').name, 'Edited without storage');
  assert.deepEqual(problems, []);
  await context.close();
});

test('two tabs: one follows the other, and a save that would overwrite offers both', async () => {
  const { page: first, context } = await harness.open('/');
  await first.waitForSelector('[data-testid="node-vpc-main"]');
  await first.waitForTimeout(500);
  const second = await context.newPage();
  await second.goto(harness.url + '/');
  await second.waitForSelector('[data-testid="node-vpc-main"]');
  // A tab with nothing unsaved follows the other tab's saves.
  await rename(first, 'alb', 'Edited in the first tab');
  await second.waitForFunction(() => document.querySelector('[data-node-id="alb"] .glyph-title')?.textContent === 'Edited in the first tab');

  // Another tab saves while this one has unsaved work: nothing is
  // overwritten, and this tab offers both versions.
  await second.evaluate(() => {
    const index = JSON.parse(localStorage.getItem('stackdraw.index'));
    const entry = index.find((e) => e.id === localStorage.getItem('stackdraw.current'));
    entry.revision += 1;
    localStorage.setItem('stackdraw.index', JSON.stringify(index));
  });
  await rename(second, 'db', 'Edited in the second tab');
  await second.waitForSelector('[data-testid="conflict"]');
  await second.click('[data-testid="conflict-mine"]');
  await second.waitForSelector('[data-testid="conflict"]', { state: 'detached' });
  await second.click('[data-testid="my-diagrams"]');
  const names = await second.$$eval('[data-testid="diagram-rename"]', (inputs) => inputs.map((i) => i.value));
  assert.ok(names.some((n) => n.includes('(from another tab)')), JSON.stringify(names));
  // The first tab's save is intact.
  await first.reload();
  await first.waitForSelector('[data-testid="node-vpc-main"]');
  assert.equal(await first.textContent('[data-node-id="alb"] .glyph-title'), 'Edited in the first tab');
  await context.close();
});

test('names holding HTML or script render as text everywhere', async () => {
  const { page, problems, context } = await harness.open('/');
  let dialogs = 0;
  page.on('dialog', async (dialog) => {
    dialogs += 1;
    await dialog.dismiss();
  });
  await page.waitForSelector('[data-testid="node-vpc-main"]');
  const hostile = '<img src=x onerror=alert(1)></script><script>alert(2)</script>';
  await rename(page, 'alb', hostile);
  assert.equal(await page.textContent('[data-node-id="alb"] .glyph-title'), hostile);
  await page.locator('[data-node-id="alb"] .glyph-icon').click();
  assert.equal(await page.inputValue('[data-testid="inspector-name"]'), hostile);
  await page.click('[data-testid="export"]');
  await page.waitForSelector('[data-testid="export-preview"]');
  await page.keyboard.press('Escape');
  // Shared and reopened, still text.
  const { link } = await shareLink(page);
  const other = await harness.browser.newContext();
  const friend = await other.newPage();
  friend.on('dialog', async (dialog) => { dialogs += 1; await dialog.dismiss(); });
  await friend.goto(link);
  await friend.waitForSelector('[data-node-id="alb"]');
  assert.equal(await friend.textContent('[data-node-id="alb"] .glyph-title'), hostile);
  assert.equal(await friend.locator('img[src="x"], script:not([src])').count(), 0);
  await other.close();
  assert.equal(await page.locator('img[src="x"]').count(), 0);
  assert.equal(dialogs, 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test('files open by picking or dropping; a malformed file is explained', async () => {
  const { page, context } = await harness.open('/');
  await page.waitForSelector('[data-testid="node-vpc-main"]');
  const good = await savedDiagram(page);
  good.name = 'Opened from a file';
  await page.setInputFiles('[data-testid="open-file"]', {
    name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"schema_version": 1, "name": '),
  });
  assert.match(await notice(page), /broken\.json was not opened: .*line 1.*Your diagram is unchanged/s);
  assert.equal(await page.textContent('[data-testid="diagram-name"]'), 'Web service on Fargate');

  await page.evaluate((text) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], 'dropped.json', { type: 'application/json' }));
    const target = document.querySelector('.canvas-main');
    target.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: transfer }));
    target.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: transfer }));
  }, JSON.stringify(good));
  await page.waitForFunction(() => document.querySelector('[data-testid="diagram-name"]')?.textContent === 'Opened from a file');
  assert.match(await notice(page), /dropped\.json as a new entry/);
  // The diagram that was open before is still kept.
  await page.click('[data-testid="my-diagrams"]');
  const names = await page.$$eval('[data-testid="diagram-rename"]', (inputs) => inputs.map((i) => i.value));
  assert.deepEqual(names.sort(), ['Opened from a file', 'Web service on Fargate']);
  await context.close();
});

test('My diagrams: rename, duplicate, open, and a delete that can be undone', async () => {
  const { page, problems, context } = await harness.open('/');
  await page.waitForSelector('[data-testid="node-vpc-main"]');
  await page.click('[data-testid="my-diagrams"]');
  const entries = () => page.$$eval('[data-testid="diagram-rename"]', (inputs) => inputs.map((i) => i.value).sort());
  assert.deepEqual(await entries(), ['Web service on Fargate']);
  await page.fill('[data-testid="diagram-rename"]', 'Production');
  await page.press('[data-testid="diagram-rename"]', 'Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid="diagram-name"]')?.textContent === 'Production');
  await page.click('[data-testid="diagram-duplicate"]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="diagram-entry"]').length === 2);
  assert.deepEqual(await entries(), ['Production', 'Production copy']);
  const copy = page.locator('[data-testid="diagram-entry"][data-name="Production copy"]');
  await copy.getByTestId('diagram-delete').click();
  await page.waitForSelector('[data-testid="diagrams-deleted"]');
  assert.deepEqual(await entries(), ['Production']);
  await page.click('[data-testid="diagrams-undo-delete"]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="diagram-entry"]').length === 2);
  await page.locator('[data-testid="diagram-entry"][data-name="Production copy"]').getByTestId('diagram-open').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="diagram-name"]')?.textContent === 'Production copy');
  await page.waitForSelector('[data-testid="node-vpc-main"]');
  assert.deepEqual(problems, []);
  await context.close();
});
