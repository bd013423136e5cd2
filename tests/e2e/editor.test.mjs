// The editor driven the way a person drives it: real mouse drags from the
// palette, handles dragged to draw traffic, the inspector, the keyboard.
// Builds the reference architecture's core from a blank canvas and checks
// the diagram after each step through the DOM and through the saved file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startHarness, ARTIFACTS, boxOf, drag, nodeIds } from './harness.mjs';

let harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness.close();
});

/** A point at fractions of a node's box (containers: their outline). */
async function pointIn(page, nodeId, fx = 0.5, fy = 0.5) {
  const group = `[data-node-id="${nodeId}"]`;
  const inner = (await page.locator(`${group} > .container-box`).count()) > 0
    ? `${group} > .container-box`
    : `${group} > .glyph-icon`;
  const box = await boxOf(page, inner);
  return { x: box.x + box.width * fx, y: box.y + box.height * fy };
}

/** Drags a kind from the palette to a point; returns the new node's id. */
async function paletteItem(page, kind) {
  // The palette scrolls; a person scrolls to the item before dragging it.
  await page.locator(`[data-testid="palette-${kind}"]`).scrollIntoViewIfNeeded();
  return boxOf(page, `[data-testid="palette-${kind}"]`);
}

async function dropFromPalette(page, kind, point) {
  const item = await paletteItem(page, kind);
  const before = await nodeIds(page);
  await drag(page, { x: item.x + 20, y: item.y + item.height / 2 }, point);
  const after = await nodeIds(page);
  const added = after.filter((id) => !before.includes(id));
  assert.equal(added.length, 1, `dropping ${kind} added ${JSON.stringify(added)}; notice: ${await notice(page)}`);
  assert.equal(await page.getAttribute(`[data-node-id="${added[0]}"]`, 'data-kind'), kind);
  return added[0];
}

async function notice(page) {
  const el = page.locator('[data-testid="notice"]');
  return (await el.count()) ? el.innerText() : '';
}

async function select(page, nodeId, fx = 0.5, fy = 0.5) {
  const at = await pointIn(page, nodeId, fx, fy);
  await page.mouse.click(at.x, at.y);
  await page.waitForSelector(`[data-testid="inspector-fields"][data-node-id="${nodeId}"]`);
}

/** Selects a container by its title, which lines keep clear of (a point
 * near its border may be on a line routed along it). */
async function selectContainer(page, nodeId) {
  await page.click(`[data-node-id="${nodeId}"] > .container-title`);
  await page.waitForSelector(`[data-testid="inspector-fields"][data-node-id="${nodeId}"]`);
}

async function connect(page, from, to) {
  const handle = await boxOf(page, `[data-testid="handle-${from}"]`);
  const target = await pointIn(page, to);
  const before = await page.locator('[data-testid^="edge-"]').count();
  await drag(page, { x: handle.x + handle.width / 2, y: handle.y + handle.height / 2 }, target);
  assert.equal(await page.locator('[data-testid^="edge-"]').count(), before + 1, `edge ${from} -> ${to}: ${await notice(page)}`);
  return page.getAttribute('[data-testid="inspector-edge"]', 'data-edge-id');
}

async function savedDiagram(page) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('[data-testid="save-file"]'),
  ]);
  return JSON.parse(await readFile(await download.path(), 'utf8'));
}

test('builds the reference architecture from a blank canvas with the mouse', async () => {
  const { page, problems } = await harness.open('/');
  await page.waitForSelector('[data-testid="node-vpc-main"]');
  await page.click('[data-testid="templates-menu"]');
  await page.click('[data-testid="template-blank"]');
  await page.waitForFunction(() => !document.querySelector('[data-testid="canvas"] [data-node-id]'));
  const canvas = await boxOf(page, '[data-testid="canvas-area"]');
  // Zoom out so the whole VPC fits with room around it.
  await page.click('[data-testid="zoom-out"]');
  await page.click('[data-testid="zoom-out"]');
  await page.click('[data-testid="zoom-out"]');

  const internet = await dropFromPalette(page, 'internet', { x: canvas.x + 50, y: canvas.y + 220 });
  const operator = await dropFromPalette(page, 'external_client', { x: canvas.x + 50, y: canvas.y + 460 });
  const vpc = await dropFromPalette(page, 'vpc', { x: canvas.x + canvas.width * 0.55, y: canvas.y + 60 });

  const subnets = [];
  for (const [fx, fy] of [[0.25, 0.3], [0.75, 0.3], [0.25, 0.75], [0.75, 0.75]]) {
    subnets.push(await dropFromPalette(page, 'subnet', await pointIn(page, vpc, fx, fy)));
  }
  const [publicA, publicC, privateA, privateC] = subnets;
  // Next free blocks, zones by column.
  const saved = await savedDiagram(page);
  const subnetFacts = subnets.map((id) => saved.nodes.find((n) => n.id === id).kind.subnet);
  assert.deepEqual(subnetFacts.map((s) => s.cidr), ['10.0.0.0/20', '10.0.16.0/20', '10.0.32.0/20', '10.0.48.0/20']);
  assert.deepEqual(subnetFacts.map((s) => s.az), ['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1a', 'ap-northeast-1c']);
  assert.ok(subnetFacts.every((s) => s.vpc === vpc));

  // An Aurora cluster on the bare canvas is refused with the reason.
  const item = await paletteItem(page, 'aurora_cluster');
  await drag(page, { x: item.x + 20, y: item.y + 10 }, { x: canvas.x + 50, y: canvas.y + 620 });
  assert.match(await notice(page), /must be dropped inside a subnet/);

  await dropFromPalette(page, 'internet_gateway', await pointIn(page, vpc, 0.02, 0.55));
  for (const subnet of [publicA, publicC]) {
    await select(page, subnet, 0.1, 0.5);
    await page.selectOption('[data-testid="inspector-routing"]', 'public');
    await page.waitForSelector(`[data-node-id="${subnet}"].public`);
  }
  await dropFromPalette(page, 'nat_gateway', await pointIn(page, publicA, 0.85, 0.7));
  for (const subnet of [privateA, privateC]) {
    await select(page, subnet, 0.1, 0.5);
    await page.selectOption('[data-testid="inspector-routing"]', 'private');
  }

  const alb = await dropFromPalette(page, 'load_balancer', await pointIn(page, publicA, 0.5, 0.6));
  const bastion = await dropFromPalette(page, 'bastion', await pointIn(page, publicC, 0.3, 0.6));
  const service = await dropFromPalette(page, 'fargate_service', await pointIn(page, privateA, 0.5, 0.6));
  const aurora = await dropFromPalette(page, 'aurora_cluster', await pointIn(page, privateC, 0.5, 0.6));
  // A load balancer dropped in a public subnet spans the public tier, and the
  // canvas shows its membership.
  await select(page, alb);
  assert.equal(await page.locator('[data-testid^="member-"]').count(), 2);

  const edges = [];
  for (const [from, to, port] of [
    [internet, alb, 80],
    [alb, service, 80],
    [service, aurora, 3306],
    [operator, bastion, 22],
    [bastion, aurora, 3306],
  ]) {
    const edge = await connect(page, from, to);
    assert.equal(await page.inputValue('[data-testid="inspector-edge-port"]'), String(port));
    edges.push(edge);
  }
  for (const edge of edges) {
    assert.equal(await page.getAttribute(`[data-testid="edge-${edge}"]`, 'data-verdict'), 'reachable', edge);
  }
  const built = await savedDiagram(page);
  assert.equal(built.edges.length, 5);
  const kinds = built.nodes.map((n) => Object.keys(n.kind)[0]);
  for (const kind of ['vpc', 'subnet', 'internet_gateway', 'nat_gateway', 'load_balancer', 'fargate_service', 'aurora_cluster', 'bastion']) {
    assert.ok(kinds.includes(kind), kind);
  }
  const albFacts = built.nodes.find((n) => n.id === alb).kind.load_balancer;
  assert.deepEqual(albFacts.subnets, [publicA, publicC]);
  assert.equal(albFacts.target_groups[0].target.service, service);

  // A CIDR the model cannot hold is refused at the field; a good one applies
  // and undoes and redoes.
  await selectContainer(page, privateC);
  await page.fill('[data-testid="inspector-cidr"]', '10.0.48.0/33');
  await page.press('[data-testid="inspector-cidr"]', 'Enter');
  await page.waitForSelector('[data-testid="inspector-cidr-error"]');
  assert.match(await page.textContent(`[data-node-id="${privateC}"] .container-subtitle`), /10\.0\.48\.0\/20/);
  await page.fill('[data-testid="inspector-cidr"]', '10.0.64.0/20');
  await page.press('[data-testid="inspector-cidr"]', 'Enter');
  await page.waitForFunction((id) => document.querySelector(`[data-node-id="${id}"] .container-subtitle`)?.textContent.includes('10.0.64.0/20'), privateC);
  await page.click('[data-testid="canvas-area"]', { position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+z');
  await page.waitForFunction((id) => document.querySelector(`[data-node-id="${id}"] .container-subtitle`)?.textContent.includes('10.0.48.0/20'), privateC);
  await page.keyboard.press('Control+Shift+z');
  await page.waitForFunction((id) => document.querySelector(`[data-node-id="${id}"] .container-subtitle`)?.textContent.includes('10.0.64.0/20'), privateC);

  // Delete a node (its traffic goes with it) and undo.
  await select(page, bastion);
  await page.keyboard.press('Delete');
  await page.waitForSelector(`[data-node-id="${bastion}"]`, { state: 'detached' });
  assert.equal(await page.locator('[data-testid^="edge-"]').count(), 3);
  await page.keyboard.press('Control+z');
  await page.waitForSelector(`[data-node-id="${bastion}"]`);
  assert.equal(await page.locator('[data-testid^="edge-"]').count(), 5);

  // Moving the VPC carries everything in it, as one undo step.
  const beforeMove = await savedDiagram(page);
  const title = await pointIn(page, vpc, 0.5, 0.02);
  await drag(page, title, { x: title.x + 40, y: title.y + 24 });
  const moved = await savedDiagram(page);
  const shift = (id) => [moved.layout[id].x - beforeMove.layout[id].x, moved.layout[id].y - beforeMove.layout[id].y];
  const vpcShift = shift(vpc);
  assert.ok(vpcShift[0] > 0 && vpcShift[1] > 0, `moved by ${vpcShift}`);
  for (const id of [publicA, privateC, alb, service, aurora, bastion]) assert.deepEqual(shift(id), vpcShift, id);
  await page.keyboard.press('Control+z');
  assert.deepEqual((await savedDiagram(page)).layout, beforeMove.layout);

  const final = await savedDiagram(page);
  assert.equal(final.edges.length, 5);
  for (const scheme of ['light', 'dark']) {
    await page.selectOption('[data-testid="theme"]', scheme);
    await page.click('[data-testid="zoom-fit"]');
    await page.locator('[data-testid="canvas-area"]').screenshot({ path: join(ARTIFACTS, `editor-built-${scheme}.png`) });
  }
  assert.deepEqual(problems, []);
  await page.context().close();
});

test('tidies a VPC in one undo step and edits properties as JSON', async () => {
  const { page, problems } = await harness.open('/');
  await page.waitForSelector('[data-testid="node-vpc-main"]');
  // The seed comes tidied: move the bastion off its cell, then Tidy puts
  // it back. The layout is worked out by the worker and lands as one step.
  const tidy = await savedDiagram(page);
  const bastion = await boxOf(page, '[data-testid="node-bastion"] .glyph-icon');
  const from = { x: bastion.x + bastion.width / 2, y: bastion.y + bastion.height / 2 };
  await drag(page, from, { x: from.x + 30, y: from.y + 12 });
  const before = await savedDiagram(page);
  assert.notDeepEqual(before.layout, tidy.layout, 'the drag moved the bastion');
  await select(page, 'vpc-main', 0.5, 0.02);
  await page.click('[data-testid="inspector-tidy"]');
  let tidied;
  for (let attempt = 0; attempt < 50; attempt += 1) {
    tidied = await savedDiagram(page);
    if (JSON.stringify(tidied.layout) !== JSON.stringify(before.layout)) break;
    await page.waitForTimeout(100);
  }
  assert.deepEqual(tidied.layout, tidy.layout, `tidy put everything back: ${await notice(page)}`);
  assert.deepEqual(tidied.nodes, before.nodes);
  await page.click('[data-testid="canvas-area"]', { position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+z');
  assert.deepEqual((await savedDiagram(page)).layout, before.layout);

  // Edit as JSON: the text is filled in when the editor opens; a change
  // applies; JSON that is not the kind's is refused and changes nothing.
  await select(page, 'bastion');
  await page.click('.json-field summary');
  const editor = page.locator('[data-testid="inspector-properties"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="inspector-properties"]')?.value.includes('instance_type'));
  const properties = JSON.parse(await editor.inputValue());
  assert.equal(properties.instance_type, before.nodes.find((n) => n.id === 'bastion').kind.bastion.instance_type);
  await editor.fill(JSON.stringify({ ...properties, instance_type: 't3.small' }));
  await editor.blur();
  await page.waitForFunction(() => document.querySelector('[data-testid="inspector-properties"]')?.value.includes('t3.small'));
  assert.equal((await savedDiagram(page)).nodes.find((n) => n.id === 'bastion').kind.bastion.instance_type, 't3.small');
  await editor.fill('{"unknown": 1}');
  await editor.blur();
  await page.waitForSelector('[data-testid="inspector-properties-error"]');
  assert.equal((await savedDiagram(page)).nodes.find((n) => n.id === 'bastion').kind.bastion.instance_type, 't3.small');
  // A rename leaves the JSON editor as it is (its text holds no name), and
  // JSON applied after it keeps the new name.
  await editor.fill(JSON.stringify({ ...properties, instance_type: 't3.small' }));
  await editor.blur();
  await page.waitForFunction(() => !document.querySelector('[data-testid="inspector-properties-error"]'));
  await page.evaluate(() => { document.querySelector('[data-testid="inspector-properties"]').dataset.kept = 'yes'; });
  await page.fill('[data-testid="inspector-name"]', 'Jump host');
  await page.press('[data-testid="inspector-name"]', 'Enter');
  for (let attempt = 0; attempt < 50; attempt += 1) {
    if ((await savedDiagram(page)).nodes.find((n) => n.id === 'bastion').name === 'Jump host') break;
    await page.waitForTimeout(100);
  }
  assert.equal(await editor.getAttribute('data-kept'), 'yes', 'the JSON editor was not drawn again');
  await editor.fill(JSON.stringify({ ...properties, instance_type: 't3.medium' }));
  await editor.blur();
  await page.waitForFunction(() => document.querySelector('[data-testid="inspector-properties"]')?.value.includes('t3.medium'));
  const renamed = (await savedDiagram(page)).nodes.find((n) => n.id === 'bastion');
  assert.equal(renamed.kind.bastion.instance_type, 't3.medium');
  assert.equal(renamed.name, 'Jump host');
  assert.deepEqual(problems, []);
  await page.context().close();
});

test('a changed value updates its control in place, and undo and a refusal put it back', async () => {
  const { page, problems } = await harness.open('/');
  await page.waitForSelector('[data-testid="node-service"]');
  await select(page, 'service');
  // Tag the form's controls: a rename must reach the name field without
  // drawing the form again (a service's form lists every cluster and
  // repository of the diagram to choose from).
  await page.evaluate(() => {
    document.querySelector('[data-testid="inspector-name"]').dataset.kept = 'yes';
    document.querySelector('[data-testid="inspector-cpu"]').dataset.kept = 'yes';
  });
  await page.fill('[data-testid="inspector-name"]', 'orders-api');
  await page.press('[data-testid="inspector-name"]', 'Enter');
  await page.waitForFunction(() => document.querySelector('[data-node-id="service"] .glyph-title')?.textContent === 'orders-api');
  assert.equal(await page.getAttribute('[data-testid="inspector-name"]', 'data-kept'), 'yes');
  assert.equal(await page.getAttribute('[data-testid="inspector-cpu"]', 'data-kept'), 'yes');
  assert.equal(await page.inputValue('[data-testid="inspector-name"]'), 'orders-api');

  // A choice: the select shows the new value; undo shows the old one again.
  const cpu = await page.inputValue('[data-testid="inspector-cpu"]');
  const other = cpu === '512' ? '1024' : '512';
  await page.selectOption('[data-testid="inspector-cpu"]', other);
  assert.equal((await savedDiagram(page)).nodes.find((n) => n.id === 'service').kind.fargate_service.cpu, Number(other));
  await page.click('[data-testid="canvas-area"]', { position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+z');
  await select(page, 'service');
  assert.equal(await page.inputValue('[data-testid="inspector-cpu"]'), cpu);
  await page.keyboard.press('Escape');
  await page.click('[data-testid="canvas-area"]', { position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+z');
  await select(page, 'service');
  assert.equal(await page.inputValue('[data-testid="inspector-name"]'), (await savedDiagram(page)).nodes.find((n) => n.id === 'service').name);

  // A refused value: the error says why and the field shows what holds.
  const held = await page.inputValue('[data-testid="inspector-desired-count"]');
  await page.fill('[data-testid="inspector-desired-count"]', 'many');
  await page.press('[data-testid="inspector-desired-count"]', 'Enter');
  await page.waitForSelector('[data-testid="inspector-desired-count-error"]');
  assert.equal(await page.inputValue('[data-testid="inspector-desired-count"]'), held);
  assert.deepEqual(problems, []);
  await page.context().close();
});

test('the first edit readies the worker, so Save works after the network drops', async () => {
  const { page, problems, context } = await harness.open('/');
  await page.waitForSelector('[data-testid="node-vpc-main"]');
  const helper = () => page.workers().find((worker) => worker.url().endsWith('/stackdraw-export_loader.js'));
  assert.equal(helper(), undefined, 'the first load fetches no worker');
  const x = Number(await page.getAttribute('[data-node-id="internet"] > .glyph-icon', 'x'));
  await select(page, 'internet');
  await page.keyboard.press('ArrowRight');
  // The edit starts the worker; wait until it has fetched its module.
  let fetched = false;
  for (let attempt = 0; attempt < 100 && !fetched; attempt += 1) {
    fetched = Boolean(await helper()?.evaluate(() =>
      performance.getEntriesByType('resource').some((entry) => entry.name.endsWith('_bg.wasm'))));
    if (!fetched) await page.waitForTimeout(100);
  }
  assert.ok(fetched, 'an edit starts the worker and it loads');
  await context.setOffline(true);
  const saved = await savedDiagram(page);
  assert.equal(saved.layout.internet.x, x + 1, 'the saved file holds the nudge');
  await context.setOffline(false);
  assert.deepEqual(problems, []);
  await context.close();
});

test('selects with a rubber band, nudges, copies and pastes', async () => {
  const { page, problems } = await harness.open('/');
  await page.waitForSelector('[data-testid="node-vpc-main"]');
  const canvas = await boxOf(page, '[data-testid="canvas-area"]');
  // A band around the top row of regional services.
  const dns = await pointIn(page, 'dns', 0, 0);
  const ecr = await pointIn(page, 'ecr-nginx', 1, 1);
  await drag(page, { x: dns.x - 10, y: canvas.y + 4 }, { x: ecr.x + 10, y: ecr.y + 4 });
  const selected = await page.$$eval('[data-testid="canvas"] .selected[data-node-id]', (n) => n.map((e) => e.getAttribute('data-node-id')));
  assert.ok(selected.includes('dns') && selected.includes('ecr-nginx') && !selected.includes('vpc-main'), JSON.stringify(selected));

  await select(page, 'internet');
  const before = (await savedDiagram(page)).layout.internet;
  for (let i = 0; i < 3; i += 1) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Shift+ArrowDown');
  const nudged = (await savedDiagram(page)).layout.internet;
  assert.deepEqual([nudged.x - before.x, nudged.y - before.y], [3, 10]);
  // The nudges of one selection undo together.
  await page.keyboard.press('Control+z');
  assert.deepEqual((await savedDiagram(page)).layout.internet, before);

  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  const ids = await nodeIds(page);
  assert.ok(ids.some((id) => id.startsWith('internet-copy')), JSON.stringify(ids));
  assert.match(await page.inputValue('[data-testid="inspector-name"]'), /copy/);

  // A double click renames in place: the name field takes the typing.
  const cdn = await pointIn(page, 'cdn');
  await page.mouse.dblclick(cdn.x, cdn.y);
  await page.keyboard.type('Static site CDN');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-node-id="cdn"] .glyph-title')?.textContent === 'Static site CDN');
  await page.keyboard.press('Escape');

  // Help lists the shortcuts; Escape closes it.
  await page.keyboard.press('?');
  await page.waitForSelector('[data-testid="help-overlay"]');
  assert.match(await page.innerText('[data-testid="help-overlay"]'), /Undo/);
  await page.keyboard.press('Escape');
  await page.waitForSelector('[data-testid="help-overlay"]', { state: 'detached' });
  assert.deepEqual(problems, []);
  await page.context().close();
});

test('zooms with the wheel and pans with space-drag', async () => {
  const { page, problems } = await harness.open('/');
  await page.waitForSelector('[data-testid="node-vpc-main"]');
  const canvas = await boxOf(page, '[data-testid="canvas-area"]');
  const zoom = async () => Number(await page.getAttribute('[data-testid="canvas"]', 'data-zoom'));
  const start = await zoom();
  await page.mouse.move(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2);
  await page.mouse.wheel(0, -300);
  await page.waitForFunction((z) => Number(document.querySelector('[data-testid="canvas"]').getAttribute('data-zoom')) > z, start);
  const viewBox = async () => (await page.getAttribute('[data-testid="canvas"]', 'viewBox')).split(' ').map(Number);
  const [x0, y0] = await viewBox();
  await page.keyboard.down(' ');
  await drag(page, { x: canvas.x + 300, y: canvas.y + 300 }, { x: canvas.x + 200, y: canvas.y + 250 });
  await page.keyboard.up(' ');
  const [x1, y1] = await viewBox();
  assert.ok(x1 > x0 && y1 > y0, `panned from ${[x0, y0]} to ${[x1, y1]}`);
  await page.click('[data-testid="zoom-fit"]');
  assert.ok(Math.abs((await zoom()) - start) < 0.01);
  assert.deepEqual(problems, []);
  await page.context().close();
});

test('exports the diagram as SVG and PNG images', async () => {
  const { page, problems } = await harness.open('/');
  await page.waitForSelector('[data-testid="node-vpc-main"]');
  for (const [option, check] of [
    ['svg-light', (bytes) => assert.match(bytes.toString('utf8'), /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/)],
    ['png-dark', (bytes) => assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
  ]) {
    await page.click('[data-testid="image-menu"]');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click(`[data-testid="image-${option}"]`),
    ]);
    const bytes = await readFile(await download.path());
    check(bytes);
    assert.ok(bytes.length > 2000, `${option}: ${bytes.length} bytes`);
  }
  assert.deepEqual(problems, []);
  await page.context().close();
});
