/**
 * The browser host: the real main-process core under Node, the real renderer served to
 * a browser over loopback, and the bridge contract carried between them. Used where no
 * Electron binary exists (this machine, CI): by the e2e fixture and by `npm start`.
 *
 * What stands in for Electron, and nothing more:
 *  - windows: the main page opens and closes the call window with window.open/close,
 *    asked over the event stream (Electron's main would create a BrowserWindow);
 *  - openExternal: the main page opens the URL in a new tab (the "system browser");
 *  - safeStorage: a file-keyed AES-GCM SecretBox.
 * Requests carry a per-run token and go to the same router (same checks) as Electron's IPC.
 */
import { build } from 'esbuild';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore, type Core } from '../../main/core/app-core';
import { configErrorHandlers } from '../../main/core/config-error-core';
import type { EventSink, Platform } from '../../main/core/ports';
import { createRouter } from '../../main/ipc/router';
import type { Logger } from '../../main/log/logger';
import type { EffectiveSettings } from '../../main/settings/policy';
import type { Settings } from '../../main/settings/settings';
import { allowedOriginsFrom, createExternalOpener } from '../../main/platform/open-external';
import { buildCsp, conferenceOriginsOf } from '../../main/windows/csp';
import { WindowKind } from '../../preload/contract';
import { createFileSecretBox } from './file-secret-box';

const here = fileURLToPath(new URL('.', import.meta.url));

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

export interface BrowserHost {
  url: string;
  /** Absent when the console started in configuration-error mode. */
  core: Core | null;
  stop(): Promise<void>;
}

export async function startBrowserHost(opts: {
  /** The effective settings, or the error that makes them unusable (shown as the only screen). */
  settings: Settings | { error: string };
  effective?: EffectiveSettings;
  userDataDir: string;
  rendererDir: string;
  log: Logger;
  version: string;
  port?: number;
}): Promise<BrowserHost> {
  const token = randomBytes(24).toString('hex');
  const rendererDir = resolve(opts.rendererDir);
  const bridgeJs = await buildBridgeClient();
  const streams = { main: new Set<ServerResponse>(), call: new Set<ServerResponse>() };
  const log = opts.log.child('host');

  const push = (kind: WindowKind, event: string, payload: unknown) => {
    const data = `data: ${JSON.stringify({ event, payload })}\n\n`;
    for (const stream of streams[kind]) stream.write(data);
  };
  const emit: EventSink = (target, event, payload) => {
    for (const kind of target === 'all' ? WindowKind.options : [target]) push(kind, event, payload);
  };

  const platform: Platform = {
    host: 'browser',
    version: opts.version,
    locale: 'en',
    userDataDir: opts.userDataDir,
    fetch: globalThis.fetch,
    secretBox: createFileSecretBox(join(opts.userDataDir, 'host-secret.key')),
    // The same allowlist guard as Electron's; only "opening" differs: a new tab.
    openExternal: createExternalOpener({
      open: async (url) => push('main', 'host.open', { url, target: '_blank' }),
      allowedOrigins: 'error' in opts.settings ? [] : allowedOriginsFrom(opts.settings),
      log: log.child('external'),
    }).open,
    windows: {
      async openCallWindow() {
        push('main', 'host.open', { url: '/call.html', target: 'clinician-call' });
      },
      closeCallWindow() {
        push('call', 'host.close', {});
      },
      focusMain() {
        push('main', 'window.focus', {});
      },
    },
  };

  const settings = 'error' in opts.settings ? null : opts.settings;
  const core = settings ? await createCore({ platform, settings, effective: opts.effective, log: opts.log, emit }) : null;
  const handlers = core ? core.handlers : configErrorHandlers((opts.settings as { error: string }).error, platform);
  const router = createRouter(handlers, opts.log.child('ipc'));
  const csp = buildCsp({ conferenceOrigins: conferenceOriginsOf(settings?.conferenceServers) });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://host');
    if (url.pathname === '/__host/invoke' && req.method === 'POST') {
      if (req.headers['x-host-token'] !== token) return send(res, 403, 'forbidden');
      const body = await readBody(req, 128 * 1024);
      let message: { window?: unknown; channel?: unknown; request?: unknown };
      try {
        message = JSON.parse(body);
      } catch {
        return sendJson(res, { ok: false, error: { code: 'bad-request' } });
      }
      const kind = WindowKind.safeParse(message.window);
      if (!kind.success) return sendJson(res, { ok: false, error: { code: 'forbidden' } });
      return sendJson(res, await router.handle(message.channel, message.request, { window: kind.data }));
    }
    if (url.pathname === '/__host/events' && req.method === 'GET') {
      const kind = WindowKind.safeParse(url.searchParams.get('window'));
      if (url.searchParams.get('token') !== token || !kind.success) return send(res, 403, 'forbidden');
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      streams[kind.data].add(res);
      req.on('close', () => {
        streams[kind.data].delete(res);
        if (kind.data === 'call' && streams.call.size === 0) core?.callWindowClosed();
      });
      return;
    }
    // Stands in for the OS handing the app a clinician-console:// link (Electron: open-url,
    // or a second launch). The link is untrusted: the core parses it strictly.
    if (url.pathname === '/__host/deeplink' && req.method === 'POST') {
      if (req.headers['x-host-token'] !== token) return send(res, 403, 'forbidden');
      const body = await readBody(req, 4 * 1024);
      await core?.openDeepLink(body);
      return send(res, 204, '');
    }
    if (url.pathname === '/__host/bridge.js') return send(res, 200, bridgeJs, 'text/javascript; charset=utf-8');
    if (req.method !== 'GET') return send(res, 405, 'method not allowed');
    return serveRenderer(url.pathname, res);
  }

  /** The built renderer does not change while the host runs: each file is read once. */
  const files = new Map<string, Promise<Buffer | null>>();
  function rendererFile(file: string): Promise<Buffer | null> {
    let content = files.get(file);
    if (!content) {
      content = readFile(file).catch(() => null);
      files.set(file, content);
    }
    return content;
  }
  // The first page is asked for as soon as the address is printed.
  await Promise.all(['index.html', 'call.html'].map((name) => rendererFile(join(rendererDir, name))));

  async function serveRenderer(pathname: string, res: ServerResponse): Promise<void> {
    const relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
    const file = normalize(join(rendererDir, relative));
    if (!file.startsWith(rendererDir + sep)) return send(res, 404, 'not found');
    const content = await rendererFile(file);
    if (!content) return send(res, 404, 'not found');
    const type = contentTypes[extname(file)] ?? 'application/octet-stream';
    const headers = { 'content-type': type, 'content-security-policy': csp, 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' };
    if (extname(file) === '.html') {
      // The bridge runs first, as the preload would: a deferred classic script runs before the
      // app's modules (document order) and, unlike a blocking one, is fetched alongside them.
      const tag = `<script defer src="/__host/bridge.js" data-token="${token}"></script>`;
      const html = content.toString('utf8').replace('<head>', `<head>\n    ${tag}`);
      res.writeHead(200, headers).end(html);
      return;
    }
    res.writeHead(200, headers).end(content);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      log.error('host: request failed', error);
      if (!res.headersSent) send(res, 500, 'internal error');
    });
  });
  await new Promise<void>((ok) => server.listen(opts.port ?? 0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    core,
    async stop() {
      for (const stream of [...streams.main, ...streams.call]) stream.end();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
      await core?.dispose();
    },
  };
}

async function buildBridgeClient(): Promise<string> {
  const result = await build({
    entryPoints: [join(here, 'bridge-client.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    minify: true,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((ok, fail) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        fail(new Error('request too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, 'x-content-type-options': 'nosniff' }).end(body);
}

function sendJson(res: ServerResponse, value: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(value));
}
