// The kinds added beyond the reference architecture, driven as a person
// drives them: found in the palette by the words people use, dropped where
// they live, configured in the inspector, checked, and saved.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startHarness, boxOf, drag, nodeIds } from './harness.mjs';

let harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.close();
});

const visibleKinds = (page) =>
  page.$$eval('[data-testid^="palette-"][data-kind]', (items) =>
    items.filter((item) => item.offsetParent !== null).map((item) => item.dataset.kind));

async function savedDiagram(page) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('[data-testid="save-file"]'),
  ]);
  return JSON.parse(await readFile(await download.path(), 'utf8'));
}

/** Drags a line from `from`'s handle to `to`'s icon. */
async function drawLine(page, from, to) {
  const handle = await boxOf(page, `[data-testid="handle-${from}"]`);
  const target = await boxOf(page, `[data-node-id="${to}"] > .glyph-icon`);
  await drag(page, { x: handle.x + handle.width / 2, y: handle.y + handle.height / 2 },
    { x: target.x + target.width / 2, y: target.y + target.height / 2 });
}

/** Drops a palette item at a point; returns the new node's id. */
async function dropKind(page, kind, at) {
  await page.fill('[data-testid="palette-search"]', '');
  await page.locator(`[data-testid="palette-${kind}"]`).scrollIntoViewIfNeeded();
  const from = await boxOf(page, `[data-testid="palette-${kind}"]`);
  const before = await nodeIds(page);
  await drag(page, { x: from.x + 20, y: from.y + from.height / 2 }, at);
  await page.waitForFunction((count) => document.querySelectorAll('[data-testid="canvas"] [data-node-id]').length > count, before.length);
  return (await nodeIds(page)).find((id) => !before.includes(id));
}

test('an RDS database: found, dropped in a private subnet, configured, checked and saved', async () => {
  const { page, problems, context } = await harness.open('/');
  try {
    await page.waitForSelector('[data-editor="ready"]');
    await page.fill('[data-testid="palette-search"]', 'mariadb');
    assert.deepEqual(await visibleKinds(page), ['rds_instance']);
    await page.fill('[data-testid="palette-search"]', 'rds');
    assert.deepEqual(await visibleKinds(page), ['aurora_cluster', 'rds_instance']);

    // Dropped outside the VPC, it is refused with the reason.
    const item = page.locator('[data-testid="palette-rds_instance"]');
    await item.scrollIntoViewIfNeeded();
    const from = await boxOf(page, '[data-testid="palette-rds_instance"]');
    const grip = { x: from.x + 20, y: from.y + from.height / 2 };
    const vpc = await boxOf(page, '[data-node-id="vpc-main"] > .container-box');
    const before = await nodeIds(page);
    await drag(page, grip, { x: vpc.x - 40, y: vpc.y + 40 });
    await page.getByTestId('notice').waitFor();
    assert.match(await page.getByTestId('notice').textContent(), /RDS database must be dropped inside a subnet/);
    assert.deepEqual(await nodeIds(page), before);

    // In a private subnet it takes that tier's subnet of each zone and a
    // group of its own.
    const subnet = await boxOf(page, '[data-node-id="subnet-private-a"] > .container-box');
    await drag(page, grip, { x: subnet.x + subnet.width * 0.85, y: subnet.y + subnet.height * 0.8 });
    await page.waitForFunction((count) => document.querySelectorAll('[data-testid="canvas"] [data-node-id]').length > count, before.length);
    const added = (await nodeIds(page)).filter((id) => !before.includes(id));
    const database = added.find((id) => id.startsWith('database'));
    assert.ok(database, `a database was added: ${added.join(', ')}`);
    assert.equal(await page.getAttribute(`[data-node-id="${database}"]`, 'data-kind'), 'rds_instance');
    assert.match(await page.textContent(`[data-node-id="${database}"]`), /PostgreSQL :5432 Multi-AZ/);

    // The inspector edits it as RDS takes it: a new engine brings its port.
    await page.waitForSelector(`[data-testid="inspector-fields"][data-node-id="${database}"]`);
    await page.selectOption('[data-testid="inspector-engine"]', 'mysql');
    await page.waitForFunction((id) => /MySQL :3306/.test(document.querySelector(`[data-node-id="${id}"]`)?.textContent ?? ''), database);
    assert.equal(await page.inputValue('[data-testid="inspector-port"]'), '3306');
    const storage = page.getByTestId('inspector-allocated-storage');
    await storage.fill('10');
    await storage.press('Enter');
    await page.getByTestId('inspector-allocated-storage-error').waitFor();
    assert.match(await page.getByTestId('inspector-allocated-storage-error').textContent(), /20/);

    // The service reaches it once a line is drawn; a single-zone database
    // behind a service spread over two zones is warned about, and the fix
    // makes it Multi-AZ again.
    await drawLine(page, 'service', database);
    const edge = page.locator(`[data-testid^="edge-"][data-target="${database}"]`);
    await edge.waitFor();
    await page.waitForFunction((id) => document.querySelector(`[data-testid^="edge-"][data-target="${id}"]`)?.dataset.verdict === 'reachable', database);
    const target2 = await boxOf(page, `[data-node-id="${database}"] > .glyph-icon`);
    await page.mouse.click(target2.x + target2.width / 2, target2.y + target2.height / 2);
    await page.waitForSelector(`[data-testid="inspector-fields"][data-node-id="${database}"]`);
    await page.uncheck('[data-testid="inspector-multi-az"]');
    const warning = page.locator('[data-testid="problem"][data-rule="VR-55"]');
    await warning.waitFor();
    assert.match(await warning.textContent(), /runs in one zone/);
    await warning.getByTestId('problem-fix').click();
    await warning.waitFor({ state: 'detached' });

    const saved = await savedDiagram(page);
    assert.equal(saved.schema_version, 5, 'a diagram with an RDS database is written as version 5');
    const node = saved.nodes.find((n) => n.id === database);
    const rds = node.kind.rds_instance;
    assert.equal(rds.engine, 'mysql');
    assert.equal(rds.port, 3306);
    assert.equal(rds.multi_az, true);
    assert.equal(rds.subnets.length, 2, 'a subnet in each zone');
    assert.equal(rds.security_groups.length, 1);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a DynamoDB table: dropped outside the VPC, keyed in the inspector, used by the service, saved', async () => {
  const { page, problems, context } = await harness.open('/');
  try {
    await page.waitForSelector('[data-editor="ready"]');
    await page.fill('[data-testid="palette-search"]', 'nosql');
    assert.deepEqual(await visibleKinds(page), ['dynamodb_table']);

    // Inside the VPC it is refused: a table is regional.
    await page.locator('[data-testid="palette-dynamodb_table"]').scrollIntoViewIfNeeded();
    const from = await boxOf(page, '[data-testid="palette-dynamodb_table"]');
    const grip = { x: from.x + 20, y: from.y + from.height / 2 };
    const subnet = await boxOf(page, '[data-node-id="subnet-private-a"] > .container-box');
    const before = await nodeIds(page);
    await drag(page, grip, { x: subnet.x + subnet.width * 0.85, y: subnet.y + subnet.height * 0.8 });
    await page.getByTestId('notice').waitFor();
    assert.match(await page.getByTestId('notice').textContent(), /DynamoDB table is not part of a VPC/);
    assert.deepEqual(await nodeIds(page), before);

    const vpc = await boxOf(page, '[data-node-id="vpc-main"] > .container-box');
    const table = await dropKind(page, 'dynamodb_table', { x: vpc.x + vpc.width + 120, y: vpc.y + 200 });
    assert.equal(await page.getAttribute(`[data-node-id="${table}"]`, 'data-kind'), 'dynamodb_table');
    assert.match(await page.textContent(`[data-node-id="${table}"]`), /id \(S\)/);

    // Keys as DynamoDB takes them: a name it refuses says why; a sort key
    // shows on the canvas.
    await page.waitForSelector(`[data-testid="inspector-fields"][data-node-id="${table}"]`);
    const name = page.getByTestId('inspector-table-name');
    await name.fill('no spaces allowed');
    await name.press('Enter');
    await page.getByTestId('inspector-table-name-error').waitFor();
    const sort = page.getByTestId('inspector-sort-key');
    await sort.fill('placed_at');
    await sort.press('Enter');
    await page.selectOption('[data-testid="inspector-sort-key-type"]', 'N');
    await page.waitForFunction((id) => /id \(S\) \+ placed_at \(N\)/.test(document.querySelector(`[data-node-id="${id}"]`)?.textContent ?? ''), table);

    // A line from the service is HTTPS to DynamoDB's API, out through the
    // seed's NAT gateway.
    await drawLine(page, 'service', table);
    await page.waitForFunction((id) => document.querySelector(`[data-testid^="edge-"][data-target="${id}"]`)?.dataset.verdict === 'reachable', table);

    const saved = await savedDiagram(page);
    assert.equal(saved.schema_version, 5);
    const kind = saved.nodes.find((n) => n.id === table).kind.dynamodb_table;
    assert.deepEqual(kind.sort_key, { name: 'placed_at', attribute_type: 'number' });
    assert.equal(kind.partition_key.name, 'id');
    const line = saved.edges.find((e) => e.to === table);
    assert.equal(line.from, 'service');
    assert.equal(line.port, 443);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('an SQS queue: in its own palette group, dropped outside the VPC, made FIFO, sent to by the service, saved', async () => {
  const { page, problems, context } = await harness.open('/');
  try {
    await page.waitForSelector('[data-editor="ready"]');
    await page.fill('[data-testid="palette-search"]', 'queue');
    assert.deepEqual(await visibleKinds(page), ['sqs_queue']);
    assert.match(await page.textContent('[data-testid="palette-group-integration"]'), /Application integration/);

    const vpc = await boxOf(page, '[data-node-id="vpc-main"] > .container-box');
    const queue = await dropKind(page, 'sqs_queue', { x: vpc.x + vpc.width + 120, y: vpc.y + 320 });
    assert.equal(await page.getAttribute(`[data-node-id="${queue}"]`, 'data-kind'), 'sqs_queue');
    assert.match(await page.textContent(`[data-node-id="${queue}"]`), /30 s visibility/);

    await page.waitForSelector(`[data-testid="inspector-fields"][data-node-id="${queue}"]`);
    const name = page.getByTestId('inspector-queue-name');
    await name.fill('jobs!');
    await name.press('Enter');
    await page.getByTestId('inspector-queue-name-error').waitFor();
    await page.check('[data-testid="inspector-fifo"]');
    await page.waitForFunction((id) => /FIFO · 30 s visibility/.test(document.querySelector(`[data-node-id="${id}"]`)?.textContent ?? ''), queue);

    await drawLine(page, 'service', queue);
    await page.waitForFunction((id) => document.querySelector(`[data-testid^="edge-"][data-target="${id}"]`)?.dataset.verdict === 'reachable', queue);

    const saved = await savedDiagram(page);
    assert.equal(saved.schema_version, 5);
    const kind = saved.nodes.find((n) => n.id === queue).kind.sqs_queue;
    assert.equal(kind.fifo, true);
    assert.equal(kind.visibility_timeout_seconds, 30);
    assert.ok(saved.edges.some((e) => e.from === 'service' && e.to === queue && e.port === 443));
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('an SNS topic: published to by the service, delivering to a queue with a verdict of its own, saved', async () => {
  const { page, problems, context } = await harness.open('/');
  try {
    await page.waitForSelector('[data-editor="ready"]');
    await page.fill('[data-testid="palette-search"]', 'pub/sub');
    assert.deepEqual(await visibleKinds(page), ['sns_topic']);
    const vpc = await boxOf(page, '[data-node-id="vpc-main"] > .container-box');
    const topic = await dropKind(page, 'sns_topic', { x: vpc.x + vpc.width + 120, y: vpc.y + 130 });
    assert.equal(await page.getAttribute(`[data-node-id="${topic}"]`, 'data-kind'), 'sns_topic');
    const queue = await dropKind(page, 'sqs_queue', { x: vpc.x + vpc.width + 120, y: vpc.y + 330 });

    // The service publishes: HTTPS to SNS's API, out through the NAT gateway.
    await drawLine(page, 'service', topic);
    await page.waitForFunction((id) => document.querySelector(`[data-testid^="edge-"][data-target="${id}"]`)?.dataset.verdict === 'reachable', topic);

    // A FIFO queue takes messages from FIFO topics only: the line is refused
    // with the reason, then drawn once the topic is FIFO.
    await page.click(`[data-node-id="${queue}"] > .glyph-icon`);
    await page.waitForSelector(`[data-testid="inspector-fields"][data-node-id="${queue}"]`);
    await page.check('[data-testid="inspector-fifo"]');
    await page.waitForFunction((id) => /FIFO/.test(document.querySelector(`[data-node-id="${id}"]`)?.textContent ?? ''), queue);
    await drawLine(page, topic, queue);
    await page.getByTestId('notice').waitFor();
    assert.match(await page.getByTestId('notice').textContent(), /FIFO topics only/);
    const link = `[data-link-id="subscription:${topic}:${queue}"]`;
    assert.equal(await page.locator(link).count(), 0);
    await page.click(`[data-node-id="${topic}"] > .glyph-icon`);
    await page.waitForSelector(`[data-testid="inspector-fields"][data-node-id="${topic}"]`);
    await page.check('[data-testid="inspector-fifo"]');
    await drawLine(page, topic, queue);
    await page.waitForSelector(`${link}[data-verdict="allowed"]`);
    assert.match(await page.textContent(`[data-node-id="${topic}"]`), /FIFO · 1 queue/);

    // The delivery is permission-checked, not walked as packets: selecting
    // the line shows the policy that decides.
    await page.click(`${link} .link-label`);
    const verdict = page.getByTestId('inspector-invocation');
    await verdict.waitFor();
    assert.equal(await verdict.getAttribute('data-verdict'), 'allowed');
    assert.match(await verdict.textContent(), /queue policy of .* sns\.amazonaws\.com/);

    // A standard topic cannot deliver to the FIFO queue: denied, said in the
    // problems (VR-57), and its fix makes the topic FIFO again.
    await page.click(`[data-node-id="${topic}"] > .glyph-icon`);
    await page.waitForSelector(`[data-testid="inspector-fields"][data-node-id="${topic}"]`);
    await page.uncheck('[data-testid="inspector-fifo"]');
    await page.waitForSelector(`${link}[data-verdict="denied"]`);
    const problem = page.locator('[data-testid="problem"][data-rule="VR-57"]');
    await problem.waitFor();
    assert.match(await problem.textContent(), /denied by SNS/);
    await problem.getByTestId('problem-fix').click();
    await problem.waitFor({ state: 'detached' });
    await page.waitForSelector(`${link}[data-verdict="allowed"]`);

    const saved = await savedDiagram(page);
    assert.equal(saved.schema_version, 6, 'a diagram with an SNS topic is written as version 6');
    const kind = saved.nodes.find((n) => n.id === topic).kind.sns_topic;
    assert.equal(kind.fifo, true);
    assert.deepEqual(kind.subscriptions.map((s) => s.queue), [queue]);
    assert.ok(saved.edges.some((e) => e.from === 'service' && e.to === topic && e.port === 443));
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('an ElastiCache cache: dropped in a private subnet, reached by the service on its port, its failover checked, saved', async () => {
  const { page, problems, context } = await harness.open('/');
  try {
    await page.waitForSelector('[data-editor="ready"]');
    await page.fill('[data-testid="palette-search"]', 'redis');
    assert.deepEqual(await visibleKinds(page), ['elasticache_cache']);
    // Outside the VPC it is refused with the reason.
    const vpc = await boxOf(page, '[data-node-id="vpc-main"] > .container-box');
    await page.locator('[data-testid="palette-elasticache_cache"]').scrollIntoViewIfNeeded();
    const from = await boxOf(page, '[data-testid="palette-elasticache_cache"]');
    const before = await nodeIds(page);
    await drag(page, { x: from.x + 20, y: from.y + from.height / 2 }, { x: vpc.x - 40, y: vpc.y + 40 });
    await page.getByTestId('notice').waitFor();
    assert.match(await page.getByTestId('notice').textContent(), /ElastiCache cache must be dropped inside a subnet/);
    assert.deepEqual(await nodeIds(page), before);

    // In a private subnet: a subnet of that tier in each zone, a group of
    // its own, a primary and a replica failing over across zones.
    const subnet = await boxOf(page, '[data-node-id="subnet-private-c"] > .container-box');
    const cache = await dropKind(page, 'elasticache_cache', { x: subnet.x + subnet.width * 0.85, y: subnet.y + subnet.height * 0.8 });
    assert.equal(await page.getAttribute(`[data-node-id="${cache}"]`, 'data-kind'), 'elasticache_cache');
    assert.match(await page.textContent(`[data-node-id="${cache}"]`), /Valkey :6379 · 1 replica Multi-AZ/);

    // The service reaches it on its port once a line is drawn.
    await drawLine(page, 'service', cache);
    await page.waitForFunction((id) => {
      const edge = document.querySelector(`[data-testid^="edge-"][data-target="${id}"]`);
      return edge?.dataset.verdict === 'reachable' && /6379/.test(edge.textContent);
    }, cache);

    // Multi-AZ with no replica has nothing to fail over to (VR-58); the fix
    // adds one back.
    await page.click(`[data-node-id="${cache}"] > .glyph-icon`);
    await page.waitForSelector(`[data-testid="inspector-fields"][data-node-id="${cache}"]`);
    const replicas = page.getByTestId('inspector-replicas');
    await replicas.fill('6');
    await replicas.press('Enter');
    await page.getByTestId('inspector-replicas-error').waitFor();
    await replicas.fill('0');
    await replicas.press('Enter');
    const problem = page.locator('[data-testid="problem"][data-rule="VR-58"]');
    await problem.waitFor();
    assert.match(await problem.textContent(), /no replica/);
    await problem.getByTestId('problem-fix').click();
    await problem.waitFor({ state: 'detached' });
    await page.waitForFunction((id) => /1 replica/.test(document.querySelector(`[data-node-id="${id}"]`)?.textContent ?? ''), cache);

    const saved = await savedDiagram(page);
    assert.equal(saved.schema_version, 6, 'a diagram with a cache is written as version 6');
    const kind = saved.nodes.find((n) => n.id === cache).kind.elasticache_cache;
    assert.equal(kind.engine, 'valkey');
    assert.equal(kind.replicas, 1);
    assert.equal(kind.subnets.length, 2, 'a subnet in each zone');
    assert.equal(kind.security_groups.length, 1);
    assert.ok(saved.edges.some((e) => e.from === 'service' && e.to === cache && e.port === 6379));
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a Lambda function: attached to a subnet tier, invoked by the load balancer with a verdict, reaching the database, saved', async () => {
  const { page, problems, context } = await harness.open('/');
  try {
    await page.waitForSelector('[data-editor="ready"]');
    await page.fill('[data-testid="palette-search"]', 'serverless');
    assert.deepEqual(await visibleKinds(page), ['lambda_function', 'http_api']);
    await page.fill('[data-testid="palette-search"]', 'lambda');
    assert.deepEqual(await visibleKinds(page), ['lambda_function']);
    // In the VPC but in no subnet it is refused with where to drop it.
    const vpc = await boxOf(page, '[data-node-id="vpc-main"] > .container-box');
    const before = await nodeIds(page);
    await page.locator('[data-testid="palette-lambda_function"]').scrollIntoViewIfNeeded();
    const from = await boxOf(page, '[data-testid="palette-lambda_function"]');
    await drag(page, { x: from.x + 20, y: from.y + from.height / 2 }, { x: vpc.x + 12, y: vpc.y + vpc.height - 12 });
    await page.getByTestId('notice').waitFor();
    assert.match(await page.getByTestId('notice').textContent(), /attaches to subnets: drop it inside a subnet/);
    assert.deepEqual(await nodeIds(page), before);

    // In a private subnet: that tier's subnet in each zone, a group of its own.
    const subnet = await boxOf(page, '[data-node-id="subnet-private-c"] > .container-box');
    const fn = await dropKind(page, 'lambda_function', { x: subnet.x + subnet.width * 0.85, y: subnet.y + subnet.height * 0.8 });
    assert.equal(await page.getAttribute(`[data-node-id="${fn}"]`, 'data-kind'), 'lambda_function');
    assert.match(await page.textContent(`[data-node-id="${fn}"]`), /Node\.js 22 · 512 MB/);

    // Memory within Lambda's limits only.
    await page.click(`[data-node-id="${fn}"] > .glyph-icon`);
    await page.waitForSelector(`[data-testid="inspector-fields"][data-node-id="${fn}"]`);
    const memory = page.getByTestId('inspector-memory-mb');
    await memory.fill('64');
    await memory.press('Enter');
    await page.getByTestId('inspector-memory-mb-error').waitFor();
    await memory.fill('1024');
    await memory.press('Enter');
    await page.waitForFunction((id) => /1024 MB/.test(document.querySelector(`[data-node-id="${id}"]`)?.textContent ?? ''), fn);

    // Nothing connects to a function: the line is refused with the reason.
    await drawLine(page, 'internet', fn);
    await page.getByTestId('notice').waitFor();
    assert.match(await page.getByTestId('notice').textContent(), /invoked, never connected to/);

    // The load balancer invokes it: a relationship line with the verdict of
    // the function's resource policy, not a packet flow.
    await drawLine(page, 'alb', fn);
    const link = `[data-link-id="invokes:alb:${fn}"]`;
    await page.waitForSelector(`${link}[data-verdict="allowed"]`);
    assert.match(await page.getByTestId('notice').textContent(), /new HTTP listener on port 8080/);
    await page.click(`${link} .link-label`);
    const verdict = page.getByTestId('inspector-invocation');
    await verdict.waitFor();
    assert.equal(await verdict.getAttribute('data-verdict'), 'allowed');
    assert.match(await verdict.textContent(), /resource policy of .* elasticloadbalancing\.amazonaws\.com/);

    // It reaches the database through the groups the line adds.
    await drawLine(page, fn, 'db');
    await page.waitForFunction((id) => {
      const edge = document.querySelector(`[data-testid^="edge-"][data-source="${id}"][data-target="db"]`);
      return edge?.dataset.verdict === 'reachable';
    }, fn);

    const saved = await savedDiagram(page);
    assert.equal(saved.schema_version, 7, 'a diagram with a Lambda function is written as version 7');
    const kind = saved.nodes.find((n) => n.id === fn).kind.lambda_function;
    assert.equal(kind.runtime, 'nodejs22');
    assert.equal(kind.memory_mb, 1024);
    assert.equal(kind.subnets.length, 2, 'a subnet in each zone');
    assert.equal(kind.security_groups.length, 1);
    assert.deepEqual(kind.invokers, ['alb']);
    const alb = saved.nodes.find((n) => n.id === 'alb').kind.load_balancer;
    assert.ok(alb.target_groups.some((g) => g.target_type === 'lambda' && g.target?.service === fn));
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('an HTTP API: dropped outside the VPC, routing to a function it may invoke, its route key checked, saved', async () => {
  const { page, problems, context } = await harness.open('/');
  try {
    await page.waitForSelector('[data-editor="ready"]');
    await page.fill('[data-testid="palette-search"]', 'api gateway');
    assert.deepEqual(await visibleKinds(page), ['http_api']);
    const vpc = await boxOf(page, '[data-node-id="vpc-main"] > .container-box');
    const api = await dropKind(page, 'http_api', { x: vpc.x + vpc.width + 120, y: vpc.y + 130 });
    assert.equal(await page.getAttribute(`[data-node-id="${api}"]`, 'data-kind'), 'http_api');
    const fn = await dropKind(page, 'lambda_function', { x: vpc.x + vpc.width + 120, y: vpc.y + 330 });

    // A route to the function, which lets API Gateway invoke it.
    await drawLine(page, api, fn);
    const link = `[data-link-id="invokes:${api}:${fn}"]`;
    await page.waitForSelector(`${link}[data-verdict="allowed"]`);
    await page.waitForFunction((id) => /1 route · \$default/.test(document.querySelector(`[data-node-id="${id}"]`)?.textContent ?? ''), api);

    // Clients reach it over HTTPS.
    await drawLine(page, 'internet', api);
    await page.waitForFunction((id) => {
      const edge = document.querySelector(`[data-testid^="edge-"][data-source="internet"][data-target="${id}"]`);
      return edge?.dataset.verdict === 'reachable' && /443/.test(edge.textContent);
    }, api);

    // The route's key is checked as API Gateway does.
    await page.click(`[data-node-id="${api}"] > .glyph-icon`);
    await page.waitForSelector(`[data-testid="inspector-fields"][data-node-id="${api}"]`);
    const key = page.getByTestId('inspector-route-key-0');
    await key.fill('FETCH /orders');
    await key.press('Enter');
    await page.getByTestId('inspector-route-key-0-error').waitFor();
    assert.match(await page.getByTestId('inspector-route-key-0-error').textContent(), /not a method/);
    await key.fill('GET /orders/{id}');
    await key.press('Enter');
    await page.waitForFunction((id) => /GET \/orders\/\{id\}/.test(document.querySelector(`[data-node-id="${id}"]`)?.textContent ?? ''), api);

    const saved = await savedDiagram(page);
    assert.equal(saved.schema_version, 7);
    const kind = saved.nodes.find((n) => n.id === api).kind.http_api;
    assert.deepEqual(kind.routes, [{ route_key: 'GET /orders/{id}', target: fn }]);
    assert.deepEqual(saved.nodes.find((n) => n.id === fn).kind.lambda_function.invokers, [api]);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the serverless API template opens checked and exports a function the pipeline deploys', async () => {
  const { page, problems, context } = await harness.open('/');
  try {
    await page.waitForSelector('[data-testid="sidebar"][data-editor="ready"]');
    await page.getByTestId('templates-menu').click();
    await page.getByTestId('template-serverless-api').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="diagram-name"]')?.textContent === 'Serverless API');
    await page.waitForSelector('[data-link-id="invokes:api:orders-fn"][data-verdict="allowed"]');
    await page.waitForFunction(() => ['e-clients', 'e-orders', 'e-jobs'].every((id) =>
      document.querySelector(`[data-testid="edge-${id}"]`)?.dataset.verdict === 'reachable'));
    assert.equal(await page.locator('[data-testid="problem"][data-severity="error"]').count(), 0);

    await page.getByTestId('export').click();
    await page.getByTestId('export-dialog').waitFor();
    const previewShows = (text) =>
      page.waitForFunction(
        (wanted) => document.querySelector('[data-testid="export-preview"]')?.textContent.includes(wanted),
        text,
      );
    await previewShows('AWS::ApiGatewayV2::Api');
    await previewShows('ZipFile');
    await page.getByTestId('export-tab-terraform').click();
    await page.getByTestId('export-file').filter({ hasText: 'orders-fn' }).click();
    await previewShows('exports.handler');
    assert.equal(await page.getByTestId('export-path').textContent(), 'terraform/functions/orders-fn/index.js');
    await page.getByTestId('export-tab-circleci').click();
    await previewShows('deploy-function-orders-fn');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('an Auto Scaling group: dropped in a private subnet, its bounds checked, behind the load balancer, saved', async () => {
  const { page, problems, context } = await harness.open('/');
  try {
    await page.waitForSelector('[data-editor="ready"]');
    await page.fill('[data-testid="palette-search"]', 'asg');
    assert.deepEqual(await visibleKinds(page), ['auto_scaling_group']);
    const subnet = await boxOf(page, '[data-node-id="subnet-private-c"] > .container-box');
    const asg = await dropKind(page, 'auto_scaling_group', { x: subnet.x + subnet.width * 0.85, y: subnet.y + subnet.height * 0.8 });
    assert.equal(await page.getAttribute(`[data-node-id="${asg}"]`, 'data-kind'), 'auto_scaling_group');
    assert.match(await page.textContent(`[data-node-id="${asg}"]`), /2 × t3\.micro \(2–4\) :80/);

    // An instance type EC2 does not have is refused at the field.
    await page.click(`[data-node-id="${asg}"] > .glyph-icon`);
    await page.waitForSelector(`[data-testid="inspector-fields"][data-node-id="${asg}"]`);
    const type = page.getByTestId('inspector-instance-type');
    await type.fill('db.t4g.micro');
    await type.press('Enter');
    await page.getByTestId('inspector-instance-type-error').waitFor();

    // More instances wanted than the maximum: Auto Scaling refuses it
    // (VR-60), and the fix brings the bounds around it.
    const desired = page.getByTestId('inspector-desired-capacity');
    await desired.fill('6');
    await desired.press('Enter');
    const problem = page.locator('[data-testid="problem"][data-rule="VR-60"]');
    await problem.waitFor();
    assert.match(await problem.textContent(), /wants 6 instances/);
    await problem.getByTestId('problem-fix').click();
    await problem.waitFor({ state: 'detached' });
    await page.waitForFunction((id) => /6 × t3\.micro \(2–6\)/.test(document.querySelector(`[data-node-id="${id}"]`)?.textContent ?? ''), asg);

    // The load balancer's one group sends to the service: the line gives the
    // instances a group of their own and a listener on a free port, with the
    // rules that let the traffic through.
    await drawLine(page, 'alb', asg);
    const edge = `[data-testid^="edge-"][data-source="alb"][data-target="${asg}"]`;
    await page.waitForSelector(`${edge}[data-verdict="reachable"]`);
    assert.match(await page.getByTestId('notice').textContent(), /port 80/);

    const saved = await savedDiagram(page);
    assert.equal(saved.schema_version, 7);
    const kind = saved.nodes.find((n) => n.id === asg).kind.auto_scaling_group;
    assert.deepEqual([kind.min_size, kind.desired_capacity, kind.max_size], [2, 6, 6]);
    assert.equal(kind.subnets.length, 2, 'a subnet in each zone');
    const alb = saved.nodes.find((n) => n.id === 'alb').kind.load_balancer;
    assert.ok(alb.target_groups.some((g) => g.target_type === 'instance' && g.target?.service === asg));
    assert.ok(alb.listeners.some((l) => l.port === 8080 && l.action.forward === asg));
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the cache-backed web app template opens checked: the balancer reaches the instances, they reach the database and cache', async () => {
  const { page, problems, context } = await harness.open('/');
  try {
    await page.waitForSelector('[data-testid="sidebar"][data-editor="ready"]');
    await page.getByTestId('templates-menu').click();
    await page.getByTestId('template-cached-web-app').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="diagram-name"]')?.textContent === 'Cache-backed web app');
    await page.waitForFunction(() => ['e-web', 'e-app', 'e-db', 'e-cache'].every((id) =>
      document.querySelector(`[data-testid="edge-${id}"]`)?.dataset.verdict === 'reachable'));
    assert.equal(await page.locator('[data-testid="problem"][data-severity="error"]').count(), 0);
    assert.equal(await page.locator('[data-testid="problem"][data-severity="warning"]').count(), 0);
    assert.equal(await page.getAttribute('[data-node-id="web"]', 'data-kind'), 'auto_scaling_group');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a queue drawn to a function triggers it, refused by Lambda while the function outlasts the queue\'s visibility', async () => {
  const { page, problems, context } = await harness.open('/');
  try {
    await page.waitForSelector('[data-editor="ready"]');
    const vpc = await boxOf(page, '[data-node-id="vpc-main"] > .container-box');
    const queue = await dropKind(page, 'sqs_queue', { x: vpc.x + vpc.width + 120, y: vpc.y + 130 });
    const fn = await dropKind(page, 'lambda_function', { x: vpc.x + vpc.width + 120, y: vpc.y + 330 });
    await drawLine(page, queue, fn);
    const link = `[data-link-id="event-source:${queue}:${fn}"]`;
    await page.waitForSelector(`${link}[data-verdict="allowed"]`);
    assert.match(await page.getByTestId('notice').textContent(), /triggers/);

    // A function that may work for five minutes on a queue that hides a
    // message for 30 s: Lambda refuses the trigger (VR-61); the fix makes
    // the queue hide it six times as long.
    await page.click(`[data-node-id="${fn}"] > .glyph-icon`);
    await page.waitForSelector(`[data-testid="inspector-fields"][data-node-id="${fn}"]`);
    const timeout = page.getByTestId('inspector-timeout-seconds');
    await timeout.fill('300');
    await timeout.press('Enter');
    await page.waitForSelector(`${link}[data-verdict="denied"]`);
    const problem = page.locator('[data-testid="problem"][data-rule="VR-61"]');
    await problem.waitFor();
    assert.match(await problem.textContent(), /visibility timeout/);
    await problem.getByTestId('problem-fix').click();
    await page.waitForSelector(`${link}[data-verdict="allowed"]`);

    const saved = await savedDiagram(page);
    assert.deepEqual(saved.nodes.find((n) => n.id === fn).kind.lambda_function.event_sources, [queue]);
    assert.equal(saved.nodes.find((n) => n.id === queue).kind.sqs_queue.visibility_timeout_seconds, 1800);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a Secrets Manager secret: read by the service, holding the database\'s credentials, its name and length checked, saved', async () => {
  const { page, problems, context } = await harness.open('/');
  try {
    await page.waitForSelector('[data-editor="ready"]');
    await page.fill('[data-testid="palette-search"]', 'password');
    assert.deepEqual(await visibleKinds(page), ['secret']);
    assert.match(await page.textContent('[data-testid="palette-group-security"]'), /Security/);

    const vpc = await boxOf(page, '[data-node-id="vpc-main"] > .container-box');
    const secret = await dropKind(page, 'secret', { x: vpc.x + vpc.width + 120, y: vpc.y + 130 });
    assert.equal(await page.getAttribute(`[data-node-id="${secret}"]`, 'data-kind'), 'secret');
    assert.match(await page.textContent(`[data-node-id="${secret}"]`), /32 characters generated/);

    // Secrets Manager's naming rules; a name ending like an ARN's random
    // suffix is warned about (VR-62), and the fix renames it.
    await page.waitForSelector(`[data-testid="inspector-fields"][data-node-id="${secret}"]`);
    const name = page.getByTestId('inspector-secret-name');
    await name.fill('my secret!');
    await name.press('Enter');
    await page.getByTestId('inspector-secret-name-error').waitFor();
    await name.fill('myapp/orders-master');
    await name.press('Enter');
    const warning = page.locator('[data-testid="problem"][data-rule="VR-62"]');
    await warning.waitFor();
    await warning.getByTestId('problem-fix').click();
    await warning.waitFor({ state: 'detached' });

    // The service reads it: HTTPS to Secrets Manager's API, out through NAT.
    await drawLine(page, 'service', secret);
    await page.waitForFunction((id) => document.querySelector(`[data-testid^="edge-"][data-target="${id}"]`)?.dataset.verdict === 'reachable', secret);

    // Drawn to the Aurora cluster, it holds its master credentials.
    await drawLine(page, secret, 'db');
    await page.waitForSelector(`[data-link-id="credentials:${secret}:db"]`);
    await page.waitForFunction((id) => /database credentials/.test(document.querySelector(`[data-node-id="${id}"]`)?.textContent ?? ''), secret);

    // Aurora takes passwords of at most 41 characters (VR-63).
    await page.click(`[data-node-id="${secret}"] > .glyph-icon`);
    await page.waitForSelector(`[data-testid="inspector-fields"][data-node-id="${secret}"]`);
    const length = page.getByTestId('inspector-password-length');
    await length.fill('64');
    await length.press('Enter');
    const error = page.locator('[data-testid="problem"][data-rule="VR-63"]');
    await error.waitFor();
    assert.match(await error.textContent(), /at most 41/);
    await error.getByTestId('problem-fix').click();
    await error.waitFor({ state: 'detached' });

    const saved = await savedDiagram(page);
    assert.equal(saved.schema_version, 8, 'a diagram with a secret is written as version 8');
    const kind = saved.nodes.find((n) => n.id === secret).kind.secret;
    assert.equal(kind.secret_name, 'myapp/orders_master');
    assert.equal(kind.password_length, 41);
    assert.equal(kind.database, 'db');
    assert.equal(saved.nodes.find((n) => n.id === 'db').kind.aurora_cluster.manage_master_password, false);
    assert.ok(saved.edges.some((e) => e.from === 'service' && e.to === secret && e.port === 443));
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a WAF web ACL: on the load balancer, a second one on CloudFront in its scope, the scope checked, saved', async () => {
  const { page, problems, context } = await harness.open('/');
  try {
    await page.waitForSelector('[data-editor="ready"]');
    await page.fill('[data-testid="palette-search"]', 'waf');
    assert.deepEqual(await visibleKinds(page), ['web_acl']);

    const vpc = await boxOf(page, '[data-node-id="vpc-main"] > .container-box');
    const regional = await dropKind(page, 'web_acl', { x: vpc.x + vpc.width + 120, y: vpc.y + 130 });
    assert.match(await page.textContent(`[data-node-id="${regional}"]`), /REGIONAL · 4 rules/);
    await drawLine(page, regional, 'alb');
    await page.waitForSelector(`[data-link-id="protects:${regional}:alb"]`);

    // One web ACL cannot protect both a load balancer and a distribution.
    await drawLine(page, regional, 'cdn');
    await page.getByTestId('notice').waitFor();
    assert.match(await page.getByTestId('notice').textContent(), /second web ACL/);
    assert.equal(await page.locator(`[data-link-id="protects:${regional}:cdn"]`).count(), 0);

    const edge = await dropKind(page, 'web_acl', { x: vpc.x + vpc.width + 120, y: vpc.y + 330 });
    await drawLine(page, edge, 'cdn');
    await page.waitForSelector(`[data-link-id="protects:${edge}:cdn"]`);
    await page.waitForFunction((id) => /CLOUDFRONT/.test(document.querySelector(`[data-node-id="${id}"]`)?.textContent ?? ''), edge);

    // Its scope set by hand to the wrong one: WAF would refuse (VR-64).
    await page.click(`[data-node-id="${edge}"] > .glyph-icon`);
    await page.waitForSelector(`[data-testid="inspector-fields"][data-node-id="${edge}"]`);
    await page.selectOption('[data-testid="inspector-scope"]', 'REGIONAL');
    const problem = page.locator('[data-testid="problem"][data-rule="VR-64"]');
    await problem.waitFor();
    await problem.getByTestId('problem-fix').click();
    await problem.waitFor({ state: 'detached' });
    const limit = page.getByTestId('inspector-rate-limit');
    await limit.fill('5');
    await limit.press('Enter');
    await page.getByTestId('inspector-rate-limit-error').waitFor();
    await limit.fill('1000');
    await limit.press('Enter');
    await page.waitForFunction((id) => /CLOUDFRONT · 4 rules/.test(document.querySelector(`[data-node-id="${id}"]`)?.textContent ?? ''), edge);

    const saved = await savedDiagram(page);
    assert.equal(saved.schema_version, 8);
    const first = saved.nodes.find((n) => n.id === regional).kind.web_acl;
    assert.equal(first.scope, 'regional');
    assert.deepEqual(first.protects, ['alb']);
    const second = saved.nodes.find((n) => n.id === edge).kind.web_acl;
    assert.equal(second.scope, 'cloudfront');
    assert.equal(second.rate_limit, 1000);
    assert.deepEqual(second.protects, ['cdn']);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('an EC2 instance: dropped in a private subnet, behind the load balancer on its port, the port kept in step, saved', async () => {
  const { page, problems, context } = await harness.open('/');
  try {
    await page.waitForSelector('[data-editor="ready"]');
    await page.fill('[data-testid="palette-search"]', 'virtual machine');
    assert.deepEqual(await visibleKinds(page), ['ec2_instance']);
    const subnet = await boxOf(page, '[data-node-id="subnet-private-c"] > .container-box');
    const instance = await dropKind(page, 'ec2_instance', { x: subnet.x + subnet.width / 2, y: subnet.y + subnet.height - 30 });
    assert.equal(await page.getAttribute(`[data-node-id="${instance}"]`, 'data-kind'), 'ec2_instance');
    assert.match(await page.textContent(`[data-node-id="${instance}"]`), /t3\.micro :80/);

    // The load balancer's groups are taken: the instance gets its own, and
    // a listener forwarding to it; the line's verdict is drawn.
    await drawLine(page, 'alb', instance);
    await page.waitForFunction((id) => document.querySelector(`[data-testid^="edge-"][data-target="${id}"]`)?.dataset.verdict === 'reachable', instance);

    // Its web server moved to 8080: the group would check a port nobody
    // answers (VR-65); the fix sends it there.
    await page.click(`[data-node-id="${instance}"] > .glyph-icon`);
    await page.waitForSelector(`[data-testid="inspector-fields"][data-node-id="${instance}"]`);
    const port = page.getByTestId('inspector-port');
    await port.fill('8080');
    await port.press('Enter');
    const problem = page.locator('[data-testid="problem"][data-rule="VR-65"]');
    await problem.waitFor();
    await problem.getByTestId('problem-fix').click();
    await problem.waitFor({ state: 'detached' });

    const saved = await savedDiagram(page);
    assert.equal(saved.schema_version, 8, 'a diagram with an EC2 instance is written as version 8');
    const kind = saved.nodes.find((n) => n.id === instance).kind.ec2_instance;
    assert.equal(kind.subnet, 'subnet-private-c');
    assert.equal(kind.port, 8080);
    const groups = saved.nodes.find((n) => n.id === 'alb').kind.load_balancer.target_groups;
    const group = groups.find((g) => g.target?.service === instance);
    assert.equal(group.target_type, 'instance');
    assert.equal(group.port, 8080);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
