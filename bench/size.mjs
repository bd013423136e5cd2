// Transfer size of the release build: gzip and brotli of every file in
// dist/, and the total of what the first page load fetches before the
// seed's problems are on screen. Three kinds of file come later: the
// editor's module (stackdraw-editor-*.wasm, fetched once the first paint is
// done; see src/ui/editor.rs), the export worker's files (fetched when an
// edit, an export or a save first needs them), and AWS's icons of kinds the
// seed does not draw (fetched by a diagram that draws them, or with the
// editor's palette). tests/e2e/first-load.test.mjs
// checks in the browser that this is exactly what loads before the problems.
//   node bench/size.mjs [--check] [--json FILE]
// --check exits non-zero when the first load exceeds BUDGET_GZIP.
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The first load may transfer at most this many bytes, gzip (`--check`,
 * run by the test command, enforces it). Until 2026-12-02 the app
 * was one module of some 305 kB gzip and a ceiling above the budget held
 * the line; splitting off the editor brought the first load under it.
 */
export const BUDGET_GZIP = 250_000;
/** Files fetched after the seed's problems are on screen. */
export const LAZY = /^stackdraw-(export|editor-)/;
/** Files that ship beside the icons for people, never fetched by the app. */
export const NOT_FETCHED = /^aws-icons\/(NOTICE\.md|SHA256SUMS)$/;

// AWS's icons are fetched per kind drawn: the seed's own with the first
// view, the others when a diagram or the editor's palette shows them.
// tests/fixtures/seed.json is the seed as `stackdraw template seed` prints
// it (a native test keeps them equal).
const seed = JSON.parse(readFileSync(new URL('../tests/fixtures/seed.json', import.meta.url), 'utf8'));
export const SEED_KINDS = new Set(seed.nodes.map((node) => Object.keys(node.kind)[0]));
const icon = (name) => /^aws-icons\/([a-z0-9_]+)\.svg$/.exec(name)?.[1];
/** An AWS icon of a kind the seed does not draw. */
export const notInSeed = (name) => icon(name) !== undefined && !SEED_KINDS.has(icon(name));
/** Whether the first load counts a file of dist/. */
export const counted = (name) => !LAZY.test(name) && !NOT_FETCHED.test(name) && !notInSeed(name);

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
// Every file, in folders too (wasm-bindgen's snippets/).
const walk = (folder) => readdirSync(dist + folder).flatMap((name) =>
  statSync(dist + folder + name).isDirectory() ? walk(`${folder}${name}/`) : [folder + name]);
const files = walk('')
  .sort()
  .map((name) => {
    const bytes = readFileSync(dist + name);
    return {
      name,
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
      initial: counted(name),
    };
  });
const sum = (list, key) => list.reduce((total, file) => total + file[key], 0);
const initial = files.filter((file) => file.initial);
const total = (list) => ({ raw: sum(list, 'raw'), gzip: sum(list, 'gzip'), brotli: sum(list, 'brotli') });
const result = {
  files,
  initial: { raw: sum(initial, 'raw'), gzip: sum(initial, 'gzip'), brotli: sum(initial, 'brotli') },
  lazy: { raw: sum(files, 'raw') - sum(initial, 'raw'), gzip: sum(files, 'gzip') - sum(initial, 'gzip') },
  editor: total(files.filter((file) => /^stackdraw-editor-/.test(file.name))),
  export_worker: total(files.filter((file) => /^stackdraw-export/.test(file.name))),
  budget_gzip: BUDGET_GZIP,
};

const kb = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
console.log(`${'file'.padEnd(42)} ${'raw'.padStart(10)} ${'gzip'.padStart(10)} ${'brotli'.padStart(10)}`);
for (const file of files) {
  const later = NOT_FETCHED.test(file.name) ? 'not fetched' : notInSeed(file.name) ? 'not in the seed' : 'on demand';
  const name = file.initial ? file.name : `${file.name} (${later})`;
  console.log(`${name.padEnd(42)} ${kb(file.raw).padStart(10)} ${kb(file.gzip).padStart(10)} ${kb(file.brotli).padStart(10)}`);
}
const within = result.initial.gzip <= BUDGET_GZIP;
console.log(
  `${'first load'.padEnd(42)} ${kb(result.initial.raw).padStart(10)} ${kb(result.initial.gzip).padStart(10)} ${kb(result.initial.brotli).padStart(10)}  ` +
    `${within ? 'ok' : 'OVER'} (budget ${kb(BUDGET_GZIP)} gzip)`,
);

const at = process.argv.indexOf('--json');
if (at >= 0) writeFileSync(process.argv[at + 1], JSON.stringify(result, null, 2) + '\n');
if (process.argv.includes('--check')) {
  if (!within) {
    console.error(
      `size: the first load grew to ${kb(result.initial.gzip)} gzip, over its budget of ${kb(BUDGET_GZIP)}; ` +
        'see bench/size.mjs and src/ui/editor.rs for what may load later',
    );
    process.exit(1);
  }
  console.log(`size: the first load is within its budget of ${kb(BUDGET_GZIP)} gzip (brotli ${kb(result.initial.brotli)})`);
}
