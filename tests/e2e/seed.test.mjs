// The app opens on the seed architecture, drawn on the SVG canvas.
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

test('the built page loads with no console errors and draws the seed', async () => {
  const { page, problems, context } = await harness.open('/');
  const canvas = page.getByTestId('canvas');
  await canvas.waitFor();
  await page.getByTestId('node-alb').waitFor();

  const count = (kind) => page.locator(`[data-testid="canvas"] [data-kind="${kind}"]`).count();
  assert.equal(await count('vpc'), 1);
  assert.equal(await count('subnet'), 4);
  assert.equal(await count('load_balancer'), 1);
  assert.equal(await count('fargate_service'), 1);
  assert.equal(await count('aurora_cluster'), 1);

  const text = async (id) => (await page.getByTestId(`node-${id}`).textContent()).replace(/\s+/g, ' ');
  assert.match(await text('vpc-main'), /myapp-vpc.*10\.2\.0\.0\/16/);
  assert.match(await text('subnet-public-a'), /public-subnet-a.*10\.2\.0\.0\/20 · ap-northeast-1a.*public/);
  assert.match(await text('subnet-public-c'), /public-subnet-c.*10\.2\.16\.0\/20 · ap-northeast-1c/);
  assert.match(await text('subnet-private-a'), /private-subnet-a.*10\.2\.32\.0\/20.*private/);
  assert.match(await text('subnet-private-c'), /private-subnet-c.*10\.2\.48\.0\/20/);
  assert.match(await text('alb'), /myapp-alb/);
  assert.match(await text('service'), /myapp-service.*nginx:80 \+ flask:5000/);
  assert.match(await text('db'), /myapp-aurora.*Aurora MySQL :3306/);

  // Nodes carry their id and kind for automation.
  assert.equal(await page.getByTestId('node-db').getAttribute('data-node-id'), 'db');
  assert.equal(await page.locator('[data-testid^="edge-"]').count(), 8);

  // The subnets are drawn inside the VPC.
  const vpc = await page.getByTestId('node-vpc-main').locator('rect').first().boundingBox();
  const subnet = await page.getByTestId('node-subnet-private-c').locator('rect').first().boundingBox();
  assert.ok(subnet.x >= vpc.x && subnet.y >= vpc.y);
  assert.ok(subnet.x + subnet.width <= vpc.x + vpc.width && subnet.y + subnet.height <= vpc.y + vpc.height);

  await page.screenshot({ path: `${ARTIFACTS}seed-light.png` });
  assert.deepEqual(problems, []);
  await context.close();
});

test('the dark theme follows the system and still draws the seed', async () => {
  const { page, problems, context } = await harness.open('/', { colorScheme: 'dark' });
  await page.getByTestId('node-service').waitFor();
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(background, 'rgb(15, 20, 25)');
  await page.screenshot({ path: `${ARTIFACTS}seed-dark.png` });
  assert.deepEqual(problems, []);
  await context.close();
});

test('the server sends wasm as application/wasm and a missing asset as 404', async () => {
  const { page, context } = await harness.open('/');
  await page.getByTestId('canvas').waitFor();
  const wasm = await page.evaluate(() =>
    performance.getEntriesByType('resource').map((entry) => entry.name).find((name) => name.endsWith('.wasm')),
  );
  assert.ok(wasm, 'the page loaded a wasm module');
  const response = await fetch(wasm);
  assert.equal(response.headers.get('content-type'), 'application/wasm');
  assert.equal((await fetch(`${harness.url}/missing-0123456789abcdef.js`)).status, 404);
  const route = await fetch(`${harness.url}/some/app/route`);
  assert.equal(route.status, 200);
  assert.match(await route.text(), /<title>stackdraw<\/title>/);
  await context.close();
});
