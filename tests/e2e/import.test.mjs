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
    /10 resources: 7 drawn, 3 folded into the nodes they configure, 0 drawn as other resources \(not analysed\), 0 not drawn/,
  );
  // The SNS topic is drawn as one (the shop module below keeps a resource
  // stackdraw does not model as an other resource).
  assert.ok(ids.includes('Alerts'), 'the topic is drawn');
  assert.equal(await page.getAttribute('[data-testid="node-Alerts"]', 'data-kind'), 'sns_topic');

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

// A Terraform module's .tf files, and a zip of its folder (built here:
// stored entries, CRC-32 as the zip format asks).
const SHOP = fileURLToPath(new URL('../fixtures/import/shop/', import.meta.url));
const SHOP_FILES = ['network.tf', 'compute.tf'];

function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function zipOf(entries) {
  const locals = [];
  const central = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const nameBytes = Buffer.from(name);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt32LE(crc32(data), 14);
    header.writeUInt32LE(data.length, 18);
    header.writeUInt32LE(data.length, 22);
    header.writeUInt16LE(nameBytes.length, 26);
    const record = Buffer.alloc(46);
    record.writeUInt32LE(0x02014b50, 0);
    record.writeUInt16LE(20, 4);
    record.writeUInt16LE(20, 6);
    record.writeUInt32LE(crc32(data), 16);
    record.writeUInt32LE(data.length, 20);
    record.writeUInt32LE(data.length, 24);
    record.writeUInt16LE(nameBytes.length, 28);
    record.writeUInt32LE(offset, 42);
    locals.push(header, nameBytes, data);
    central.push(record, nameBytes);
    offset += header.length + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

async function shopIsDrawn(page) {
  await page.waitForSelector('[data-testid="import-report"]');
  const ids = await nodeIds(page);
  for (const id of ['aws_vpc.shop', 'aws_subnet.public.0', 'aws_subnet.public.1', 'aws_instance.jump']) {
    assert.ok(ids.includes(id), `${id} is drawn: ${ids}`);
  }
  assert.ok(!ids.includes('vpc-main'), 'the seed was replaced by the import');
  assert.match(
    await page.innerText('[data-testid="import-report-summary"]'),
    /11 resources: 8 drawn, 2 folded into the nodes they configure, 1 drawn as other resources \(not analysed\), 0 not drawn/,
  );
  assert.equal(await page.getAttribute('[data-testid="node-aws_sns_topic.alerts"]', 'data-kind'), 'sns_topic');
  const other = await page.innerText('[data-testid="import-report-other"]');
  assert.match(other, /data\.aws_ami\.linux data\.aws_ami \(compute\.tf, line 18\): a placeholder/);
  // The placeholder is marked on the canvas, and its item selects it.
  assert.ok(
    (await page.locator('svg text', { hasText: 'placeholder: data.aws_ami' }).count()) > 0,
    'the placeholder says so on the canvas',
  );
  await page.click('[data-testid="import-report-other"] [data-node-id="data.aws_ami.linux"]');
  await page.waitForSelector('[data-testid="inspector-fields"][data-node-id="data.aws_ami.linux"]');
  // Its problems and flows: SSH open to the world, traced from the internet.
  await page.waitForFunction(() => /VR-26/.test(document.querySelector('[data-testid="problems-panel"]')?.innerText ?? ''));
  assert.equal(
    await page.getAttribute('[data-testid="edge-internet-aws_instance.jump-22"]', 'data-verdict'),
    'reachable',
  );
}

test('a Terraform module picked as its .tf files opens as one diagram with its report and problems', async () => {
  const { page, problems } = await harness.open('/');
  await page.waitForSelector('[data-testid="node-vpc-main"]');
  await page.setInputFiles('[data-testid="open-file"]', SHOP_FILES.map((name) => SHOP + name));
  await shopIsDrawn(page);
  assert.match(await page.innerText('[data-testid="notice"]'), /Imported 2 files/);
  assert.deepEqual(problems, []);
});

test('a zip of a Terraform folder dropped on the page opens; a hostile zip is refused and the diagram stays', async () => {
  const { readFileSync } = await import('node:fs');
  const { page, problems } = await harness.open('/');
  await page.waitForSelector('[data-testid="node-vpc-main"]');
  const drop = async (name, bytes) => {
    await page.evaluate(
      ({ name, data }) => {
        const transfer = new DataTransfer();
        const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
        transfer.items.add(new File([bytes], name, { type: 'application/zip' }));
        document
          .querySelector('main.canvas-main')
          .dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      },
      { name, data: bytes.toString('base64') },
    );
  };
  // A path that leaves the archive's folder: refused, nothing changes.
  await drop('evil.zip', zipOf([['../escape.tf', Buffer.from('resource "aws_vpc" "v" {}')]]));
  await page.waitForFunction(() => /evil\.zip was not opened/.test(document.querySelector('[data-testid="notice"]')?.innerText ?? ''));
  assert.match(await page.innerText('[data-testid="notice"]'), /leaves the archive's folder/);
  assert.ok((await nodeIds(page)).includes('vpc-main'));

  await drop('shop.zip', zipOf(SHOP_FILES.map((name) => [`shop/${name}`, readFileSync(SHOP + name)])));
  await shopIsDrawn(page);
  assert.match(await page.innerText('[data-testid="notice"]'), /Imported shop\.zip/);
  assert.deepEqual(problems, []);
});
