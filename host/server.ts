/**
 * The browser host: the console's real main-process services under Node, the real renderer
 * served to a browser over loopback, and the bridge contract carried between them. It is
 * what `npm start` runs wherever Electron's binary is missing, and what the e2e suite drives
 * there, so it is product code: started by the same start-up as Electron's entry
 * (main/core/start.ts), with its own access control (host/access.ts) because loopback is
 * reachable by every local user and every web page.
 *
 * What stands in for Electron, and nothing more:
 *  - windows: the main page opens and closes the call window with window.open/close,
 *    asked over the event stream (Electron's main would create a BrowserWindow);
 *  - openExternal: the main page opens the URL in a new tab (the "system browser"), with
 *    no opener (host/bridge-client.ts);
 *  - safeStorage: the OS keyring (host/secret-box.ts).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Core } from '../main/core/app-core';
import type { EventSink, Platform, WorkstationMonitor } from '../main/core/ports';
import { startConsole, type ConsoleConfig } from '../main/core/start';
import type { Router } from '../main/ipc/router';
import type { Logger } from '../main/log/logger';
import { createExternalOpener } from '../main/platform/open-external';
import { WindowKind } from '../preload/contract';
import { createHostAccess, type HostAccess } from './access';
import { buildBridgeClient } from './bridge-client-build';
import { createEventStreams, type EventStreams } from './event-streams';
import { createRendererFiles, type RendererFiles } from './renderer-files';
import { createHostSecretBox } from './secret-box';

const here = fileURLToPath(new URL('.', import.meta.url));
/**
 * The page's bridge client: as the build wrote it beside the built host (out/host/bridge.js),
 * else built at start from its source beside this file (the host run by tsx from host/).
 */
async function bridgeClient(): Promise<string> {
  const built = join(here, 'bridge.js');
  return existsSync(built) ? readFile(built, 'utf8') : buildBridgeClient(join(here, 'bridge-client.ts'));
}

export interface BrowserHost {
  /** The address to open (carries the one-time launch secret in its fragment). */
  url: string;
  /** For the process that started the host: the deep-link hand-over's credential. */
  controlSecret: string;
  /** Absent when the console started in configuration-error mode. */
  core: Core | null;
  stop(): Promise<void>;
}

export async function startBrowserHost(opts: {
  config: ConsoleConfig;
  userDataDir: string;
  rendererDir: string;
  log: Logger;
  /** Where `log` writes (for "Save logs for IT"). */
  logFile?: string;
  version: string;
  port?: number;
  /** Only the e2e harness's simulated workstation: the host itself cannot see the OS's lock or idle time. */
  workstation?: WorkstationMonitor;
}): Promise<BrowserHost> {
  const files = createRendererFiles(opts.rendererDir);
  const log = opts.log.child('host');
  const bridgeJs = await bridgeClient();

  // Listening first: the access rules name the port.
  let handler: (req: IncomingMessage, res: ServerResponse) => Promise<void> = async (_req, res) => send(res, 503, 'starting');
  const server = createServer((req, res) => {
    handler(req, res).catch((error: unknown) => {
      log.error('request failed', error);
      if (!res.headersSent) send(res, 500, 'internal error');
    });
  });
  await new Promise<void>((ok) => server.listen(opts.port ?? 0, '127.0.0.1', ok));
  const access = createHostAccess((server.address() as AddressInfo).port);
  // Set once the core exists; a stream cannot open before the handler is in place.
  let core: Core | null = null;
  const streams = createEventStreams({
    isLive: access.isLive,
    // As Electron's 'closed': the last call window's stream is gone (closed, reloaded, or ended by the host).
    onClosed: (kind, remaining) => {
      if (kind === 'call' && remaining === 0) core?.callWindowClosed();
    },
  });
  const push = streams.push;
  const emit: EventSink = (target, event, payload) => {
    for (const kind of target === 'all' ? WindowKind.options : [target]) push(kind, event, payload);
  };

  const { config } = opts;
  const platform: Platform = {
    host: 'browser',
    windowOrigin: access.origin,
    version: opts.version,
    locale: 'en',
    userDataDir: opts.userDataDir,
    fetch: globalThis.fetch,
    secretBox: createHostSecretBox({
      profileDir: opts.userDataDir,
      allowPlainStorage: config.settings?.allowBasicTextSecretStorage ?? false,
      log: log.child('secrets'),
    }),
    // The same exact-origin guard as Electron's; only "opening" differs: a new tab.
    openExternal: createExternalOpener({
      open: async (url) => push('main', 'host.open', { url, target: '_blank' }),
      allowedOrigins: config.externalOrigins,
      log: log.child('external'),
    }).open,
    ...(opts.logFile ? { logFile: opts.logFile } : {}),
    // A browser tab has no save dialog main could show: "Save logs for IT" writes to a fixed
    // folder in the profile (the host prints nothing there but the file's name to the page).
    async chooseSavePath(name) {
      const dir = join(opts.userDataDir, 'saved-for-it');
      await mkdir(dir, { recursive: true, mode: 0o700 });
      return join(dir, name);
    },
    ...(opts.workstation ? { workstation: opts.workstation } : {}),
    windows: {
      async openCallWindow() {
        push('main', 'host.open', { url: `/call.html#w=${access.newCallTicket()}`, target: 'clinician-call' });
      },
      closeCallWindow() {
        push('call', 'host.close', {});
        // After the close event is written: the window reads it, then its stream ends.
        streams.end(access.endCallWindows());
      },
      focusMain() {
        push('main', 'window.focus', {});
      },
    },
  };
  const started = await startConsole(config, { platform, emit, log: opts.log });
  core = started.core;
  handler = createHandler({ access, router: started.router, core, streams, bridgeJs, files, csp: config.csp });
  // The first page is asked for as soon as the address is printed.
  await Promise.all(['/index.html', '/call.html'].map((name) => files.get(name)));

  return {
    url: access.launchUrl,
    controlSecret: access.controlSecret,
    core,
    async stop() {
      streams.endAll();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
      await core?.dispose();
    },
  };
}

function createHandler(h: {
  access: HostAccess;
  router: Router;
  core: Core | null;
  streams: EventStreams;
  bridgeJs: string;
  files: RendererFiles;
  csp: string;
}) {
  const { access, router, core, streams } = h;

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // DNS rebinding: a page on another name that resolves to 127.0.0.1 sends that name.
    if (!access.hostAllowed(req)) return send(res, 403, 'forbidden');
    const url = new URL(req.url ?? '/', access.origin);
    const path = url.pathname;

    // Stands in for the OS handing the app a clinician-console:// link (Electron: open-url,
    // or a second launch): only the process that started the host, never a page. The link
    // is untrusted: the core parses it strictly.
    if (path === '/__host/deeplink' && req.method === 'POST') {
      if (req.headers.origin !== undefined || !access.isControl(req)) return send(res, 401, 'unauthorized');
      await core?.openDeepLink(await readBody(req, 4 * 1024));
      return send(res, 204, '');
    }

    // No cookie is read anywhere below: access is the window credential the page's script
    // sends in its header, or the one-time secret or ticket it exchanges for one (host/access.ts).
    if (req.method === 'POST') {
      // Every state-changing request comes from the console's own pages (stops other web
      // pages; a non-browser client sends any Origin, so this is no credential).
      if (!access.originAllowed(req)) return send(res, 403, 'forbidden');
      if (path === '/__host/session') {
        const body = parseJson(await readBody(req, 1024)) as { secret?: unknown } | null;
        const credential = typeof body?.secret === 'string' ? access.exchange(body.secret) : null;
        if (!credential) return send(res, 403, 'forbidden');
        return sendJson(res, { credential });
      }
      if (path === '/__host/window') {
        const body = parseJson(await readBody(req, 1024)) as { ticket?: unknown } | null;
        const credential = typeof body?.ticket === 'string' ? access.redeemCallTicket(body.ticket) : null;
        if (!credential) return send(res, 403, 'forbidden');
        return sendJson(res, { credential });
      }
      if (path === '/__host/invoke') {
        // The window's kind is the server's record for its credential, never the request's claim.
        const window = access.windowOf(req);
        if (!window) return send(res, 401, 'unauthorized');
        const message = parseJson(await readBody(req, 128 * 1024)) as { channel?: unknown; request?: unknown } | null;
        if (!message) return sendJson(res, { ok: false, error: { code: 'bad-request' } });
        return sendJson(res, await router.handle(message.channel, message.request, { window: window.kind }));
      }
      return send(res, 404, 'not found');
    }

    if (req.method !== 'GET') return send(res, 405, 'method not allowed');
    if (path === '/__host/events') {
      const window = access.windowOf(req);
      if (!window) return send(res, 401, 'unauthorized');
      return streams.open(res, window);
    }
    if (path === '/__host/bridge.js') return send(res, 200, h.bridgeJs, 'text/javascript; charset=utf-8');
    // The renderer's files are the same for everyone and carry no credential and no data.
    return serveRenderer(path, res, h);
  };
}

async function serveRenderer(pathname: string, res: ServerResponse, h: { files: RendererFiles; csp: string }): Promise<void> {
  const file = await h.files.get(pathname);
  if (!file) return send(res, 404, 'not found');
  const headers = {
    'content-type': file.type,
    'content-security-policy': h.csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  };
  if (file.html) {
    // The bridge runs first, as the preload would: a deferred classic script runs before the
    // app's modules (document order) and, unlike a blocking one, is fetched alongside them.
    const tag = '<script defer src="/__host/bridge.js"></script>';
    const html = file.content.toString('utf8').replace('<head>', `<head>\n    ${tag}`);
    res.writeHead(200, headers).end(html);
    return;
  }
  res.writeHead(200, headers).end(file.content);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
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
