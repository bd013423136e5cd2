#!/usr/bin/env node
// Post-build step (scripts/post-build.mjs), last: makes every Subresource
// Integrity hash in index.html match the file that ships.
//
// Why it is needed: Trunk builds the app and the export worker at the same
// time, and wasm-bindgen writes both into one output folder, so each run
// rewrites the shared snippet (src/ui/compress.js). Trunk now and then hashes
// the snippet while the other run has it empty; the page then carries the
// hash of an empty file and the browser blocks the module (seen once in
// some 25 release builds). A snippet is a verbatim copy of a source file, so this
// step restores each from its source, then recomputes any hash that no longer
// matches, and says which.
//
// Also a library: `integrityMismatches(dir)` lists what does not match, for
// the test that checks dist/.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
// An element that names a local file and its integrity hash, in either order.
const TAG = /<(?:link|script)\b[^>]*>/g;
const ADDRESS = /\b(?:href|src)=("?)\/([^"\s>]+)\1/;
const INTEGRITY = /\bintegrity=("?)(sha384-[A-Za-z0-9+/=]+)\1/;

export function sha384(bytes) {
  return 'sha384-' + createHash('sha384').update(bytes).digest('base64');
}

/** Each element of `html` with a local address and an integrity hash. */
function hashedReferences(html) {
  const found = [];
  for (const [tag] of html.matchAll(TAG)) {
    const address = tag.match(ADDRESS);
    const integrity = tag.match(INTEGRITY);
    if (address && integrity) found.push({ tag, path: address[2], integrity: integrity[2] });
  }
  return found;
}

/** The references in `dir`/index.html whose hash differs from their file's. */
export function integrityMismatches(dir) {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  return hashedReferences(html)
    .map((reference) => {
      const file = join(dir, reference.path);
      const actual = existsSync(file) ? sha384(readFileSync(file)) : 'missing';
      return { ...reference, actual };
    })
    .filter(({ integrity, actual }) => integrity !== actual);
}

function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * Puts back each of this crate's snippets (snippets/stackdraw-<hash>/<source
 * path>) from its source; a dependency's snippets name paths in its own crate.
 */
function restoreSnippets(staging) {
  const snippets = join(staging, 'snippets');
  if (!existsSync(snippets)) return;
  for (const crate of readdirSync(snippets).filter((name) => /^stackdraw-[0-9a-f]+$/.test(name))) {
    for (const copy of filesUnder(join(snippets, crate))) {
      const source = join(ROOT, relative(join(snippets, crate), copy).split(sep).join('/'));
      if (!existsSync(source)) continue; // inline_js snippets have no source file
      const wanted = readFileSync(source);
      if (!readFileSync(copy).equals(wanted)) {
        writeFileSync(copy, wanted);
        console.log(`settle-integrity: restored ${relative(staging, copy)} from its source`);
      }
    }
  }
}

export function settle(staging) {
  restoreSnippets(staging);
  const htmlPath = join(staging, 'index.html');
  let html = readFileSync(htmlPath, 'utf8');
  for (const { tag, path, integrity, actual } of integrityMismatches(staging)) {
    if (actual === 'missing') {
      console.error(`settle-integrity: index.html loads /${path}, which the build did not write`);
      process.exit(1);
    }
    html = html.replace(tag, tag.replace(integrity, actual));
    console.log(`settle-integrity: /${path} now has the hash of the file that ships`);
  }
  writeFileSync(htmlPath, html);
}
