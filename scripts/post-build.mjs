#!/usr/bin/env node
// Trunk's post-build hook. Trunk starts the hooks of one stage all at once,
// and both steps rewrite index.html, so they run here one after the other.
await import('./minify-glue.mjs');
await import('./externalize-boot.mjs');
