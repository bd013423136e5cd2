#!/usr/bin/env node
// Trunk's post-build hook. Trunk starts the hooks of one stage all at once,
// and these steps all rewrite index.html, so they run here one after the
// other; the last makes every integrity hash match the file that ships.
import { settle } from './settle-integrity.mjs';

await import('./split-wasm.mjs');
await import('./minify-glue.mjs');
await import('./shorten-imports.mjs');
await import('./externalize-boot.mjs');
settle(process.env.TRUNK_STAGING_DIR);
