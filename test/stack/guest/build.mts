/**
 * Node side of the guest page: bundles it with esbuild and serves it on 127.0.0.1.
 *
 * Why `.mts`: tsconfig.web.json type-checks `test/stack/guest/**\/*.ts` as browser code
 * (DOM, no Node types) and tsconfig.node.json excludes this folder. A `.mts` file is matched
 * by neither glob, so it is checked by the Node program only, through the specs importing
 * it (`import ... from '.../guest/build.mjs'`).
 */
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const FILES: Record<string, string> = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/guest.js': 'guest.js',
  '/guest.js.map': 'guest.js.map',
  '/guest.css': 'guest.css',
};
const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  map: 'application/json; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/**
 * Bundles guest.ts (with janus-gateway, webrtc-adapter and @pexip/infinity) into outDir;
 * returns outDir. Minified, with its source map in a file of its own that only DevTools
 * fetches: with the map inline the script was 11 MB (3 MB of code), and Chromium took
 * about 1.4 s to load each guest page on an idle machine against about 0.55 s now
 * (2026-12-07), and a call spec opens one page per guest.
 */
export async function buildGuestPage(outDir: string): Promise<string> {
  await mkdir(outDir, { recursive: true });
  await build({
    entryPoints: [join(here, 'guest.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    outfile: join(outDir, 'guest.js'),
    minify: true,
    sourcemap: 'linked',
    logLevel: 'silent',
  });
  await copyFile(join(here, 'index.html'), join(outDir, 'index.html'));
  await copyFile(join(here, 'guest.css'), join(outDir, 'guest.css'));
  return outDir;
}

export interface GuestServer {
  /** http://127.0.0.1:PORT/ */
  url: string;
  /** The page URL for one guest (a test may prefill the name; invitations never carry it). */
  pageUrl(q: Record<string, string>): string;
  stop(): Promise<void>;
}

/**
 * Serves a built guest page on 127.0.0.1 with a strict CSP. `connect-src` allows exactly the
 * origin of the page's `server` query parameter (the Janus URL a meeting link carries) plus
 * `opts.connectSrc`; nothing else may be contacted.
 */
export async function serveGuestPage(dir: string, opts: { connectSrc?: string[] } = {}): Promise<GuestServer> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const file = FILES[url.pathname];
    if (req.method !== 'GET' || !file) {
      res.writeHead(404).end();
      return;
    }
    readFile(join(dir, file)).then(
      (body) => {
        // Exactly the servers the link names: Janus and its room guard, or a Pexip node.
        const connect = ["'self'", ...(opts.connectSrc ?? [])];
        for (const key of ['server', 'guard', 'node']) {
          const origin = originOf(url.searchParams.get(key));
          if (origin) connect.push(origin);
        }
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
    pageUrl: (q) => `${base}?${new URLSearchParams(q).toString()}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Builds the guest page into a temporary folder and serves it; stop() also removes the
 * folder (each caller used to leave one behind in the OS temp folder).
 */
export async function startGuestPage(opts: { connectSrc?: string[] } = {}): Promise<GuestServer> {
  const dir = await mkdtemp(join(tmpdir(), 'cc-guest-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    await buildGuestPage(dir);
    const server = await serveGuestPage(dir, opts);
    return { ...server, stop: () => server.stop().finally(remove) };
  } catch (error) {
    await remove();
    throw error;
  }
}

/** The CSP source for a server URL (ws, wss, http, https), or null when it is not one. */
function originOf(raw: string | null): string | null {
  if (!raw) return null;
  try {
    const u = new URL(raw);
    if (!['ws:', 'wss:', 'http:', 'https:'].includes(u.protocol)) return null;
    return `${u.protocol}//${u.host}`;
  } catch {
    return null;
  }
}
