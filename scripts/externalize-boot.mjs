#!/usr/bin/env node
// Post-build step (scripts/post-build.mjs): moves the inline module script
// Trunk writes into index.html (it imports the hashed app bundle) into a file
// of its own, named by its content hash. With no inline script left, the
// Content Security Policy can say `script-src 'self'` with no hashes that
// change on every build. It also tells the app where the export worker's loader is
// (its name carries a content hash too) with a <meta> tag.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error('externalize-boot: TRUNK_STAGING_DIR is not set (run as a Trunk hook)');
  process.exit(1);
}
const htmlPath = join(staging, 'index.html');
const html = readFileSync(htmlPath, 'utf8');
// The boot script imports the app; `trunk serve` adds an inline live-reload
// script too, which is left alone (the dev server sends no CSP).
const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>([\s\S]*?)<\/script>/g)].filter(([, , body]) =>
  body.includes('import init'),
);
if (inline.length !== 1) {
  console.error(`externalize-boot: expected Trunk's one inline boot script, found ${inline.length}`);
  process.exit(1);
}
const [whole, attributes, body] = inline[0];
const digest = createHash('sha256').update(body).digest('hex').slice(0, 16);
const name = `boot-${digest}.js`;
writeFileSync(join(staging, name), body.trim() + '\n');
const integrity = 'sha384-' + createHash('sha384').update(body.trim() + '\n').digest('base64');
let page = html.replace(whole, `<script${attributes} src="/${name}" integrity="${integrity}"></script>`);

const loaders = readdirSync(staging).filter((file) => /^stackdraw-export(-[0-9a-f]{12,16})?_loader\.js$/.test(file));
if (loaders.length !== 1) {
  console.error(`externalize-boot: expected one export worker loader, found ${loaders.length}`);
  process.exit(1);
}
page = page.replace('</head>', `<meta name="stackdraw-export-worker" content="/${loaders[0]}"></head>`);
// Trunk's loader passes the module path the way wasm-bindgen deprecated;
// pass it as an object so the worker starts without a warning.
const loaderPath = join(staging, loaders[0]);
const loader = readFileSync(loaderPath, 'utf8').replace(
  /wasm_bindgen\("(\.\/[^"]+\.wasm)"\)/,
  (_, wasm) => `wasm_bindgen({ module_or_path: "${wasm}" })`,
);
writeFileSync(loaderPath, loader);
writeFileSync(htmlPath, page);
console.log(`externalize-boot: index.html loads ${name}; the export worker is ${loaders[0]}`);
