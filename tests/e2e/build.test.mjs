// The release build in dist/ is consistent: every integrity hash in
// index.html is the hash of the file that ships, and the post-build step
// repairs what a build racing with itself can leave behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { integrityMismatches, settle, sha384 } from '../../scripts/settle-integrity.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dist = join(root, 'dist');
const snippet = (dir) => {
  const crate = readdirSync(join(dir, 'snippets'))[0];
  return join(dir, 'snippets', crate, 'src/ui/compress.js');
};

test('every integrity hash in dist/index.html matches its file', () => {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const hashed = html.match(/integrity=/g) ?? [];
  assert.ok(hashed.length >= 4, `index.html hashes the boot script, glue, snippet and module (${hashed.length})`);
  assert.deepEqual(integrityMismatches(dist), []);
});

test('the shipped snippet is its source file, byte for byte', () => {
  assert.ok(readFileSync(snippet(dist)).equals(readFileSync(join(root, 'src/ui/compress.js'))));
});

// What a build racing with itself has left behind: the hash of an empty file
// for the snippet, and possibly the snippet emptied too (then the two agree,
// and only the source file tells that the snippet is wrong).
for (const emptied of [false, true]) {
  test(`settling repairs a snippet hashed while empty${emptied ? ', and emptied' : ''}`, (t) => {
    const staging = mkdtempSync(join(tmpdir(), 'stackdraw-settle-'));
    t.after(() => rmSync(staging, { recursive: true, force: true }));
    cpSync(dist, staging, { recursive: true });
    const source = readFileSync(join(root, 'src/ui/compress.js'));
    const htmlPath = join(staging, 'index.html');
    const html = readFileSync(htmlPath, 'utf8');
    const stale = html.replace(sha384(source), sha384(Buffer.alloc(0)));
    assert.notEqual(stale, html, 'the snippet is hashed in index.html');
    writeFileSync(htmlPath, stale);
    if (emptied) writeFileSync(snippet(staging), '');
    assert.equal(integrityMismatches(staging).length, emptied ? 0 : 1);

    const logged = [];
    const log = console.log;
    console.log = (line) => logged.push(line);
    try {
      settle(staging);
    } finally {
      console.log = log;
    }
    assert.ok(readFileSync(snippet(staging)).equals(source));
    assert.deepEqual(integrityMismatches(staging), []);
    assert.equal(readFileSync(htmlPath, 'utf8'), html, 'index.html is as a clean build writes it');
    assert.equal(logged.length, emptied ? 2 : 1, logged.join('\n'));
  });
}

test("AWS's icons ship unmodified: each file matches its checksum, in assets and in dist", async () => {
  const { createHash } = await import('node:crypto');
  const folder = join(root, 'assets', 'aws-icons');
  const sums = readFileSync(join(folder, 'SHA256SUMS'), 'utf8').trim().split('\n');
  assert.ok(sums.length >= 20, `${sums.length} icons`);
  const listed = new Set();
  for (const line of sums) {
    const [digest, name, source] = line.split(/\s+/);
    assert.ok(source, `${name} names the icon it was copied from`);
    for (const dir of [folder, join(dist, 'aws-icons')]) {
      const bytes = readFileSync(join(dir, name));
      assert.equal(createHash('sha256').update(bytes).digest('hex'), digest, `${dir}/${name}`);
    }
    listed.add(name);
  }
  const shipped = readdirSync(folder).filter((name) => name.endsWith('.svg'));
  assert.deepEqual(shipped.sort(), [...listed].sort(), 'every icon is listed, and only those');
  assert.ok(readFileSync(join(folder, 'NOTICE.md'), 'utf8').includes('CC BY-ND 2.0'));
  assert.ok(readFileSync(join(dist, 'aws-icons', 'NOTICE.md'), 'utf8').includes('Amazon Web Services'));
});
