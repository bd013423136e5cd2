// The local server sends the headers the CDN will (deploy/security-headers.json),
// the built page needs nothing the Content Security Policy forbids, and the
// app runs under that policy without a single violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startHarness } from './harness.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const expected = JSON.parse(readFileSync(`${root}deploy/security-headers.json`, 'utf8'));
const csp = expected['Content-Security-Policy'];

let harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.close();
});

test('every response carries the security headers of deploy/', async () => {
  for (const path of ['/', '/index.html', '/some/route', '/missing-0123456789abcdef.js']) {
    const response = await fetch(harness.url + path);
    for (const [name, value] of Object.entries(expected)) {
      if (name.startsWith('_')) continue;
      assert.equal(response.headers.get(name), value, `${name} on ${path}`);
    }
  }
});

test('the built index.html has no inline script the policy would block', () => {
  const html = readFileSync(`${root}dist/index.html`, 'utf8');
  const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)];
  for (const [, body] of inline) {
    const hash = `'sha256-${createHash('sha256').update(body).digest('base64')}'`;
    assert.ok(csp.includes(hash), `an inline script whose hash ${hash} is not in the policy`);
  }
  assert.equal(inline.length, 0, 'the boot script is a file of its own');
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.doesNotMatch(csp, /unsafe-inline/);
});

test('the app runs under the policy without violations', async () => {
  const { page, problems, context } = await harness.open('/');
  await page.evaluate(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) =>
      window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`),
    );
  });
  await page.getByTestId('node-alb').waitFor();
  // Exercise the parts that create elements and blobs.
  await page.getByTestId('export').click();
  await page.getByTestId('export-dialog').waitFor();
  await page.getByTestId('export-close').click();
  assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
  assert.deepEqual(problems, []);
  await context.close();
});
