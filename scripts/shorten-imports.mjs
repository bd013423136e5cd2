#!/usr/bin/env node
// Post-build step (scripts/post-build.mjs), after the split and the glue's
// minification: gives the main module's JavaScript imports short names.
//
// wasm-bindgen names each import after the binding and a 16-digit hash
// (`__wbg_setAttribute_f75317b2b5cabfb4`), some 230 of them, from a module
// named `./stackdraw_bg.js`. Those names are written twice in every first
// load, once in the module's import section and once as the keys of the
// glue's import object, and their hashes do not compress: together about
// 16 kB, 4 kB after gzip. Only the module and the glue know the names, so
// both are rewritten together; a name the glue does not hold exactly once
// stops the build rather than ship a module that cannot be instantiated.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const fail = (message) => {
  console.error(`shorten-imports: ${message}`);
  process.exit(1);
};

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) fail('TRUNK_STAGING_DIR is not set (run as a Trunk hook)');
const glues = readdirSync(staging).filter((file) => /^stackdraw(-[0-9a-f]{12,16})?\.js$/.test(file));
if (glues.length !== 1) fail(`expected the app's one glue module, found ${glues.length}`);
const stem = glues[0].slice(0, -'.js'.length);
const gluePath = join(staging, glues[0]);
const wasmPath = join(staging, `${stem}_bg.wasm`);

/** The module the glue's bindings are imported from, and its new name. */
const BINDINGS = './stackdraw_bg.js';
const SHORT_MODULE = 'b';

const { bytes, renamed } = shortenImports(readFileSync(wasmPath), BINDINGS, SHORT_MODULE);
let glue = readFileSync(gluePath, 'utf8');
glue = replaceOnce(glue, `"${BINDINGS}"`, `"${SHORT_MODULE}"`);
for (const [long, short] of renamed) glue = replaceOnce(glue, long, short);
writeFileSync(gluePath, glue);
writeFileSync(wasmPath, bytes);
console.log(`shorten-imports: ${renamed.size} imports of ${stem}_bg.wasm renamed`);

/** `text` with the one occurrence of `name` (as a whole identifier or string) replaced. */
function replaceOnce(text, name, replacement) {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`(?<![\\w$])${escaped}(?![\\w$])`, 'g');
  const found = text.match(pattern)?.length ?? 0;
  if (found !== 1) fail(`the glue holds ${name} ${found} times, not once`);
  return text.replace(pattern, replacement);
}

/** The short names: a, b, …, z, A, …, Z, then two letters. */
function shortName(index) {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let name = '';
  let n = index;
  do {
    name = letters[n % letters.length] + name;
    n = Math.floor(n / letters.length) - 1;
  } while (n >= 0);
  return name;
}

/** The module with every import from `module` renamed; returns the bytes and old name → new name. */
function shortenImports(wasm, module, newModule) {
  let at = 8;
  const leb = () => {
    let result = 0;
    let shift = 0;
    let byte;
    do {
      byte = wasm[at++];
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return result;
  };
  const encodeLeb = (value) => {
    const out = [];
    do {
      let byte = value & 0x7f;
      value = Math.floor(value / 128);
      if (value !== 0) byte |= 0x80;
      out.push(byte);
    } while (value !== 0);
    return Buffer.from(out);
  };
  const encodeName = (text) => {
    const utf8 = Buffer.from(text, 'utf8');
    return Buffer.concat([encodeLeb(utf8.length), utf8]);
  };
  const readName = () => {
    const length = leb();
    const text = wasm.subarray(at, at + length).toString('utf8');
    at += length;
    return text;
  };
  const renamed = new Map();
  while (at < wasm.length) {
    const sectionStart = at;
    const id = wasm[at++];
    const size = leb();
    const end = at + size;
    if (id !== 2) {
      at = end;
      continue;
    }
    const count = leb();
    const entries = [];
    for (let i = 0; i < count; i++) {
      const from = readName();
      const field = readName();
      const descStart = at;
      const kind = wasm[at++];
      if (kind === 0) leb(); // function: type index
      else if (kind === 1) { at++; const flags = leb(); leb(); if (flags & 1) leb(); } // table
      else if (kind === 2) { const flags = leb(); leb(); if (flags & 1) leb(); } // memory
      else if (kind === 3) at += 2; // global: type and mutability
      else fail(`import ${from}.${field} has an unknown kind ${kind}`);
      const desc = wasm.subarray(descStart, at);
      if (from === module) {
        if (!renamed.has(field)) renamed.set(field, shortName(renamed.size));
        entries.push(Buffer.concat([encodeName(newModule), encodeName(renamed.get(field)), desc]));
      } else {
        entries.push(Buffer.concat([encodeName(from), encodeName(field), desc]));
      }
    }
    if (at !== end) fail('the import section did not parse to its end');
    const content = Buffer.concat([encodeLeb(count), ...entries]);
    const section = Buffer.concat([Buffer.from([2]), encodeLeb(content.length), content]);
    return {
      bytes: Buffer.concat([wasm.subarray(0, sectionStart), section, wasm.subarray(end)]),
      renamed,
    };
  }
  fail('the module has no import section');
}
