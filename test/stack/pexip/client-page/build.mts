/**
 * Node side of the Pexip client page ("a guest on Pexip"): bundles page/client.ts with
 * @pexip/infinity (esbuild; plain Node cannot import that package, a bundler can) and serves
 * it on 127.0.0.1 with a strict CSP.
 *
 * Why `.mts`: the page's sources under page/ are browser code, type-checked by
 * tsconfig.web.json and excluded from tsconfig.node.json; this file is Node code, imported
 * as `.../client-page/build.mjs` like the Janus guest page's build script.
 */
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const pageDir = join(dirname(fileURLToPath(import.meta.url)), 'page');
const FILES: Record<string, string> = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/client.js': 'client.js',
  '/client.css': 'client.css',
};
const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/** Bundles the page into outDir; returns outDir. */
export async function buildPexipClientPage(outDir: string): Promise<string> {
  await mkdir(outDir, { recursive: true });
  await build({
    entryPoints: [join(pageDir, 'client.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    outfile: join(outDir, 'client.js'),
    sourcemap: 'inline',
    logLevel: 'silent',
  });
  await copyFile(join(pageDir, 'index.html'), join(outDir, 'index.html'));
  await copyFile(join(pageDir, 'client.css'), join(outDir, 'client.css'));
  return outDir;
}

export interface PexipClientPageServer {
  /** http://127.0.0.1:PORT/ */
  url: string;
  /** The page URL for one participant; `host` is the Conferencing Node (the double's url). */
  pageUrl(q: { host: string; alias: string; name: string; w?: number; h?: number }): string;
  stop(): Promise<void>;
}

/**
 * Serves a built page. `connect-src` allows exactly the origin of the page's `host` query
 * parameter (REST calls and the event stream) plus `opts.connectSrc`.
 */
export async function servePexipClientPage(
  dir: string,
  opts: { connectSrc?: string[] } = {},
): Promise<PexipClientPageServer> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const file = FILES[url.pathname];
    if (req.method !== 'GET' || !file) {
      res.writeHead(404).end();
      return;
    }
    readFile(join(dir, file)).then(
      (body) => {
        const connect = ["'self'", ...(opts.connectSrc ?? [])];
        const node = httpOrigin(url.searchParams.get('host'));
        if (node) connect.push(node);
        res.writeHead(200, {
          'content-type': TYPES[file.split('.').pop() ?? ''] ?? 'application/octet-stream',
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
          'referrer-policy': 'no-referrer',
          'content-security-policy': [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            `connect-src ${connect.join(' ')}`,
            "media-src 'self' blob: mediastream:",
            "img-src 'self' data:",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
          ].join('; '),
        });
        res.end(body);
      },
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}/`;
  return {
    url: base,
    pageUrl: (q) => {
      const query: Record<string, string> = { host: q.host, alias: q.alias, name: q.name };
      if (q.w !== undefined) query.w = String(q.w);
      if (q.h !== undefined) query.h = String(q.h);
      return `${base}?${new URLSearchParams(query).toString()}`;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function httpOrigin(raw: string | null): string | null {
  if (!raw) return null;
  try {
    const u = new URL(raw);
    return u.protocol === 'http:' || u.protocol === 'https:' ? `${u.protocol}//${u.host}` : null;
  } catch {
    return null;
  }
}
