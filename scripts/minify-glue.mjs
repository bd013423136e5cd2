#!/usr/bin/env node
// Post-build step (scripts/post-build.mjs), release builds only: minifies the
// app's wasm-bindgen glue and the split loader (ES modules Trunk's own minifier cannot parse)
// with terser; settle-integrity.mjs then updates its hash in index.html. The
// glue is part of every first load: 9.7 kB gzip as written, 7.4 kB minified.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error('minify-glue: TRUNK_STAGING_DIR is not set (run as a Trunk hook)');
  process.exit(1);
}
if (process.env.TRUNK_PROFILE === 'release') {
  minifyGlue(staging);
}

function minifyGlue(staging) {
  const glue = readdirSync(staging).filter((file) => /^stackdraw(-[0-9a-f]{12,16})?\.js$/.test(file));
  if (glue.length !== 1) {
    console.error(`minify-glue: expected the app's one glue module, found ${glue.length}`);
    process.exit(1);
  }
  // The split loader (scripts/split-wasm.mjs) is imported by the glue: it
  // is part of the first load too.
  const loaders = readdirSync(staging).filter((file) => /^stackdraw-split-[0-9a-f]{16}\.js$/.test(file));
  for (const file of [glue[0], ...loaders]) minify(join(staging, file), file);
}

function minify(gluePath, glueName) {
  const before = statSync(gluePath).size;
  try {
    // --module: top-level names are private to the module, so they may be
    // mangled; exports keep their names.
    execFileSync('terser', [gluePath, '--module', '--compress', '--mangle', '--output', gluePath], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  } catch (error) {
    console.error(`minify-glue: terser failed (${error.message}); scripts/install.sh installs it`);
    process.exit(1);
  }
  const after = statSync(gluePath).size;
  console.log(`minify-glue: ${glueName} ${before} -> ${after} bytes`);
}
