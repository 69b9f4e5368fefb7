/**
 * The HTTP side of the double: routes `/api/client/v2/conferences/<alias>/…` (Pexip's
 * Client REST API v2) and `/_test/endpoint/…` (dial-out test endpoints), answers CORS
 * preflights, keeps a request log without headers, PINs or tokens (method, path, status),
 * and can play a node that went away (every connection cut, new ones refused).
 *
 * It writes nothing to stdout or stderr: no PIN, token, name or SDP can leak from here.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { ENDPOINT_PREFIX, endpointRoute } from './endpoint/routes';
import { BadRequest, listenOnLoopback, PREFLIGHT_HEADERS, sendEmpty, sendResult, sendText } from './http';
import type { PexipNode } from './node';
import { tokenRoute } from './routes-conference';
import { events, NOT_FOUND, refreshToken, releaseToken, requestToken, type ConferenceRequest } from './routes-token';

export interface RequestLogEntry {
  method: string;
  path: string;
  status?: number;
}

const API_PREFIX = /^\/api\/client\/v2\/conferences\/([^/]+)\/(.*)$/;
const MAX_LOG = 10_000;

export class PexipServer {
  readonly server: Server;
  readonly log: RequestLogEntry[] = [];
  private readonly sockets = new Set<Socket>();
  private down = false;
  /**
   * Which page origins may call the Client API: `*` answers every origin (the default), a list
   * answers only those, as a node (or the reverse proxy in front of it) configured for its
   * clients' origins does: a preflight from another origin gets 403 and no
   * Access-Control-Allow-Origin, and no other answer carries one for it [inferred: Pexip's own
   * CORS settings are the reverse proxy's or the node's web app configuration].
   */
  corsOrigins: '*' | string[] = '*';

  constructor(private readonly node: PexipNode) {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (socket) => {
      if (this.down) {
        socket.destroy();
        return;
      }
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  listen(): Promise<number> {
    return listenOnLoopback(this.server);
  }

  setDown(down: boolean): void {
    this.down = down;
    if (!down) return;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    this.node.dropEverything();
  }

  close(): Promise<void> {
    this.setDown(true);
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const entry: RequestLogEntry = { method: req.method ?? 'GET', path: url.pathname };
    this.log.push(entry);
    if (this.log.length > MAX_LOG) this.log.splice(0, this.log.length - MAX_LOG);
    const origin = req.headers.origin;
    const allowed = this.corsOrigins === '*' || (origin !== undefined && this.corsOrigins.includes(origin));
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
    res.writeHead = ((...args: unknown[]) => {
      entry.status = args[0] as number;
      const headers = args.at(-1);
      // The helpers send `*`; with a list, the allowed origin itself (and Vary), or nothing.
      if (this.corsOrigins !== '*' && typeof headers === 'object' && headers !== null && 'access-control-allow-origin' in headers) {
        const h = { ...(headers as Record<string, unknown>) };
        delete h['access-control-allow-origin'];
        if (allowed && origin !== undefined) Object.assign(h, { 'access-control-allow-origin': origin, vary: 'Origin' });
        args[args.length - 1] = h;
      }
      return writeHead(...args);
    }) as ServerResponse['writeHead'];

    try {
      if (req.method === 'OPTIONS' && !allowed) return sendEmpty(res, 403);
      if (req.method === 'OPTIONS') {
        const pna = req.headers['access-control-request-private-network'] === 'true';
        return sendEmpty(res, 204, { ...PREFLIGHT_HEADERS, ...(pna ? { 'access-control-allow-private-network': 'true' } : {}) });
      }
      if (url.pathname.startsWith(ENDPOINT_PREFIX)) return await endpointRoute(this.node.endpoints, req, res, url);
      const m = API_PREFIX.exec(url.pathname);
      if (!m) return sendText(res, 404, 'Not found');
      await this.conferenceRoute(req, res, url, m[1] ?? '', m[2] ?? '');
    } catch (e) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      // The message of our own BadRequest says what was wrong with the request, nothing more.
      if (e instanceof BadRequest) return sendResult(res, 400, 'failed', e.message);
      sendResult(res, 500, 'failed', 'Internal error');
    }
  }

  private async conferenceRoute(req: IncomingMessage, res: ServerResponse, url: URL, rawAlias: string, rest: string) {
    let alias: string;
    try {
      alias = decodeURIComponent(rawAlias);
    } catch {
      return sendResult(res, 404, 'failed', NOT_FOUND);
    }
    const found = this.node.find(alias);
    if (!found) return sendResult(res, 404, 'failed', NOT_FOUND);
    const r: ConferenceRequest = { node: this.node, req, res, url, alias, ...found };
    const method = req.method ?? 'GET';
    const route = `${method} ${rest}`;
    switch (route) {
      case 'POST request_token':
        return requestToken(r);
      case 'POST refresh_token':
        return refreshToken(r);
      case 'POST release_token':
        return releaseToken(r);
      case 'GET events':
        return events(r);
      case 'GET theme/':
      case 'GET theme':
        // No theme: 204 is what @pexip/infinity expects when a node has none.
        return sendEmpty(res, 204);
      default:
        return tokenRoute(r, rest);
    }
  }
}
