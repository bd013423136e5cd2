#!/usr/bin/env node
// Serves the release build (dist/) on 127.0.0.1 the way the production CDN
// does: the security headers of deploy/security-headers.json (the Content
// Security Policy among them), correct content types (application/wasm
// included), long-lived caching for hashed assets, no-cache for index.html,
// and extension-less paths routed to index.html while a missing asset stays
// a 404.
//
//   node scripts/serve-dist.mjs [--port 8081] [--dir dist]
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

// Trunk names every asset it fingerprints `name-<hash>.ext`, the hash in up
// to 16 hex digits (leading zeros dropped); scripts/split-wasm.mjs names the
// editor's files the same way.
const HASHED = /-[0-9a-f]{12,16}(_bg|_loader)?\.[a-z0-9]+$/;

/** The headers every response carries, as the CDN adds them. */
export const SECURITY_HEADERS = Object.fromEntries(
  Object.entries(JSON.parse(readFileSync(new URL('../deploy/security-headers.json', import.meta.url), 'utf8')))
    .filter(([name]) => !name.startsWith('_')),
);

export function headersFor(path) {
  const type = CONTENT_TYPES[extname(path)] ?? 'application/octet-stream';
  const cache = HASHED.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache';
  return { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': cache };
}

/** Starts the server; resolves to { server, url } once it listens. */
export function serveDist({ dir, port = 0, host = '127.0.0.1' } = {}) {
  const root = resolve(dir ?? fileURLToPath(new URL('../dist', import.meta.url)));
  const server = createServer(async (request, response) => {
    try {
      const url = new URL(request.url ?? '/', 'http://localhost');
      let path = decodeURIComponent(url.pathname);
      if (path.endsWith('/')) path += 'index.html';
      // Paths without an extension are app routes: serve the app shell.
      if (extname(path) === '') path = '/index.html';
      const file = normalize(join(root, path));
      if (file !== root && !file.startsWith(root + sep)) {
        response.writeHead(403).end('forbidden');
        return;
      }
      const info = await stat(file).catch(() => null);
      if (!info?.isFile()) {
        response.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
        return;
      }
      const body = await readFile(file);
      response.writeHead(200, { ...headersFor(file), 'Content-Length': body.length });
      response.end(request.method === 'HEAD' ? undefined : body);
    } catch {
      response.writeHead(400).end('bad request');
    }
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      resolvePromise({ server, url: `http://${host}:${actual}` });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : fallback;
  };
  const { url } = await serveDist({ dir: option('--dir'), port: Number(option('--port', 8081)) });
  console.log(`serving dist/ on ${url}`);
}
