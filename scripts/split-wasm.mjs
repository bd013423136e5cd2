#!/usr/bin/env node
// Post-build step (scripts/post-build.mjs), first: splits the app's
// WebAssembly module in two. The first load carries the viewer; the editor
// (the code reached only through the `#[wasm_split(editor)]` functions in
// src/ui/editor.rs) becomes a file of its own that the app fetches after its
// first paint.
//
// Trunk builds the app and runs wasm-bindgen on the whole module; the split
// has to happen between cargo and wasm-bindgen, so this step starts again
// from cargo's output (linked with --emit-relocs, see build.rs):
//   1. wasm-split-cli: the main module, `split_editor.wasm`, and the loader
//      `__wasm_split.js` that fetches and links the editor;
//   2. wasm-bindgen --keep-lld-exports on the main module (the editor links
//      against its memory, table and functions by their linker names);
//   3. release builds: wasm-opt on both modules, as Trunk would have;
//   4. content-hashed names for the editor and its loader, so a new release
//      never pairs with a cached editor from an old one; then the main
//      module and its glue replace Trunk's under Trunk's names.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The wasm features rustc enables by default, which wasm-opt must accept (as in index.html). */
const FEATURES = [
  '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
  '--enable-reference-types', '--enable-multivalue', '--enable-mutable-globals',
];

const fail = (message) => {
  console.error(`split-wasm: ${message}`);
  process.exit(1);
};
const run = (command, args) => {
  try {
    execFileSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  } catch (error) {
    fail(`${command} failed (${error.message}); scripts/install.sh installs it`);
  }
};
const digest = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) fail('TRUNK_STAGING_DIR is not set (run as a Trunk hook)');
const profile = process.env.TRUNK_PROFILE === 'release' ? 'release' : 'debug';
const targetDir = process.env.CARGO_TARGET_DIR || join(ROOT, 'target');
const raw = join(targetDir, 'wasm32-unknown-unknown', profile, 'stackdraw.wasm');
if (!existsSync(raw)) fail(`cargo's output ${raw} is missing`);

const glues = readdirSync(staging).filter((file) => /^stackdraw(-[0-9a-f]{12,16})?\.js$/.test(file));
if (glues.length !== 1) fail(`expected the app's one glue module, found ${glues.length}`);
const stem = glues[0].slice(0, -'.js'.length);

const work = join(targetDir, 'wasm-split', profile);
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

// 1. Split. The loader imports `initSync` from the glue, by the glue's name.
run('wasm-split-cli', [raw, work, '--out-name', stem]);
const chunks = readdirSync(work).filter((file) => /^split_.*\.wasm$/.test(file));
if (chunks.length === 0) fail('wasm-split-cli split nothing off: are the #[wasm_split] functions still reached?');

// 2. Bind the main module. Its imports are named after the output (as
// `./<name>_bg.js`, some 300 times), so a short name keeps Trunk's hash out
// of them; the files take Trunk's names when they are copied.
const bound = join(work, 'bound');
run('wasm-bindgen', ['--target', 'web', '--keep-lld-exports', '--no-typescript', '--out-dir', bound, '--out-name', 'stackdraw', join(work, `${stem}.wasm`)]);

// 3. Optimise.
const mainWasm = join(bound, 'stackdraw_bg.wasm');
if (profile === 'release') {
  for (const file of [mainWasm, ...chunks.map((chunk) => join(work, chunk))]) {
    run('wasm-opt', ['-Oz', ...FEATURES, file, '-o', file]);
  }
}

// 4. Name by content and link the names together.
let loader = readFileSync(join(work, '__wasm_split.js'), 'utf8');
const written = [];
for (const chunk of chunks) {
  const bytes = readFileSync(join(work, chunk));
  const name = `stackdraw-${chunk.slice('split_'.length, -'.wasm'.length)}-${digest(bytes)}.wasm`;
  if (!loader.includes(`"./${chunk}"`)) fail(`the loader does not fetch ${chunk}`);
  loader = loader.replaceAll(`"./${chunk}"`, `"./${name}"`);
  copyFileSync(join(work, chunk), join(staging, name));
  written.push(`${name} (${bytes.length} bytes)`);
}
const loaderName = `stackdraw-split-${digest(loader)}.js`;
writeFileSync(join(staging, loaderName), loader);

const glue = readFileSync(join(bound, 'stackdraw.js'), 'utf8');
// Only the import statement changes: the module keeps asking for its
// imports under the name the linker gave them.
const importStatement = /(\bfrom\s*)"\.\/__wasm_split\.js"/;
if (!importStatement.test(glue)) fail('the glue does not import the split loader');
writeFileSync(join(staging, `${stem}.js`), glue.replace(importStatement, `$1"./${loaderName}"`));
copyFileSync(mainWasm, join(staging, `${stem}_bg.wasm`));

console.log(`split-wasm: ${stem}_bg.wasm (${statSync(mainWasm).size} bytes) loads ${written.join(', ')} through ${loaderName}`);
