// Importing CloudFormation in the browser: a template picked with Open is
// drawn as a new entry, with its import report and its problems.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startHarness, nodeIds } from './harness.mjs';

const TEMPLATE = fileURLToPath(new URL('../fixtures/import/bastion.yaml', import.meta.url));

let harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness.close();
});

test('a CloudFormation template opens as a diagram with its report and its problems', async () => {
  const { page, problems } = await harness.open('/');
  await page.waitForSelector('[data-testid="node-vpc-main"]');
  await page.setInputFiles('[data-testid="open-file"]', TEMPLATE);
  await page.waitForSelector('[data-testid="import-report"]');

  // The diagram: the VPC, its subnet, the gateway and the bastion, drawn.
  const ids = await nodeIds(page);
  for (const id of ['Vpc', 'PublicSubnet', 'Gateway', 'Bastion']) {
    assert.ok(ids.includes(id), `${id} is drawn: ${ids}`);
  }
  assert.ok(!ids.includes('vpc-main'), 'the seed was replaced by the import');
  assert.match(await page.innerText('[data-testid="notice"]'), /Imported bastion\.yaml/);
  // The first visit's "this is an example" banner was about the seed.
  assert.equal(await page.locator('[data-testid="example-banner"]').count(), 0);

  // The report: counts, what was not drawn and why.
  assert.match(
    await page.innerText('[data-testid="import-report-summary"]'),
    /10 resources: 6 drawn, 3 folded into the nodes they configure, 1 not drawn/,
  );
  assert.match(await page.innerText('[data-testid="import-report-not-drawn"]'), /Alerts AWS::SNS::Topic \(line 74\)/);

  // Its problems: SSH open to the world, found in the imported groups.
  await page.waitForFunction(() => /VR-26/.test(document.querySelector('[data-testid="problems-panel"]')?.innerText ?? ''));
  // The flow from the internet to the bastion is traced.
  assert.equal(await page.getAttribute('[data-testid="edge-internet-Bastion-22"]', 'data-verdict'), 'reachable');

  // A drawn resource in the report selects its node.
  await page.click('details:has([data-testid="import-report-drawn"]) > summary');
  await page.click('[data-testid="import-report-drawn"] [data-node-id="Bastion"]');
  await page.waitForSelector('[data-testid="inspector-fields"][data-node-id="Bastion"]');

  // Dismissed, it is gone; the diagram stays.
  await page.click('[data-testid="import-report-close"]');
  await page.waitForSelector('[data-testid="import-report"]', { state: 'detached' });
  assert.ok((await nodeIds(page)).includes('Bastion'));
  assert.deepEqual(problems, []);
});

test('a broken template is refused with its line and the diagram on screen stays', async () => {
  const { page, problems } = await harness.open('/');
  await page.waitForSelector('[data-testid="node-vpc-main"]');
  await page.setInputFiles('[data-testid="open-file"]', {
    name: 'broken.yaml',
    mimeType: 'application/yaml',
    buffer: Buffer.from('AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  A: [1, 2\n'),
  });
  await page.waitForFunction(() => /broken\.yaml was not opened/.test(document.querySelector('[data-testid="notice"]')?.innerText ?? ''));
  assert.match(await page.innerText('[data-testid="notice"]'), /line \d+/);
  assert.ok((await nodeIds(page)).includes('vpc-main'));
  assert.equal(await page.locator('[data-testid="import-report"]').count(), 0);
  assert.deepEqual(problems, []);
});
