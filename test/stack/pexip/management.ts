/**
 * The Management Node: a host of its own (here its own port), never a Conferencing Node, with
 * the Management API the console reads for its waiting badge: the participant status
 * (routes-status.ts) and the VMR configuration (routes-configuration.ts).
 *
 * - HTTP Basic with an administrator account; a missing or wrong one gets 401 with an empty
 *   body and a Basic challenge [inferred wording]. OAuth2 client credentials, which Pexip also
 *   accepts, are not implemented.
 * - Polled too fast it answers 429 with an empty body and no Retry-After, as Tastypie's
 *   throttle (which the Management API is built on) does [inferred: Pexip documents that the
 *   Management Node is not meant for frequent polling, not its limit]. The limit here is per
 *   account, `requests` in any `windowMs`; a refused request counts too.
 * - Not a browser API: no CORS headers (the console's main process calls it, never a page).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Conference } from './conference';
import { listenOnLoopback } from './http';
import { ALIAS_PREFIX, CONFERENCE_PREFIX, configurationRoute } from './routes-configuration';
import { send, STATUS_PREFIX, statusRoute } from './routes-status';
import type { RequestLogEntry } from './server';

export interface ManagementAccount {
  username: string;
  password: string;
}

export interface RateLimit {
  requests: number;
  windowMs: number;
}

/** Constant-time comparison of the Basic credentials (hashed first, so lengths do not leak). */
function authorized(req: IncomingMessage, account: ManagementAccount): boolean {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(req.headers.authorization ?? '');
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1], 'base64').toString('utf8');
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(`${account.username}:${account.password}`));
}

export class ManagementServer {
  readonly server: Server;
  private readonly sockets = new Set<Socket>();
  /** When the account's recent requests came (the sliding window). */
  private recent: number[] = [];

  constructor(
    private readonly deps: {
      account: ManagementAccount;
      rateLimit: RateLimit;
      conferences: () => Conference[];
      aliasesOf: (conference: Conference) => string[];
      /** The node's request log, shared: method, path, status (never headers). */
      log: RequestLogEntry[];
    },
  ) {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  listen(): Promise<number> {
    return listenOnLoopback(this.server);
  }

  /** Test hook: change the limit (a test that polls too fast on purpose). */
  setRateLimit(limit: RateLimit): void {
    this.deps.rateLimit = limit;
    this.recent = [];
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private throttled(): boolean {
    const now = Date.now();
    const { requests, windowMs } = this.deps.rateLimit;
    this.recent = this.recent.filter((t) => now - t < windowMs);
    this.recent.push(now);
    return this.recent.length > requests;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const entry: RequestLogEntry = { method: req.method ?? 'GET', path: url.pathname };
    this.deps.log.push(entry);
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
    res.writeHead = ((...args: unknown[]) => {
      entry.status = args[0] as number;
      return writeHead(...args);
    }) as ServerResponse['writeHead'];

    if (!authorized(req, this.deps.account)) return send(res, 401, undefined, { 'www-authenticate': 'Basic realm="Pexip"' });
    if (this.throttled()) return send(res, 429);
    if (url.pathname.startsWith(STATUS_PREFIX)) return statusRoute(req, res, url, this.deps);
    if (url.pathname.startsWith(ALIAS_PREFIX) || url.pathname.startsWith(CONFERENCE_PREFIX)) return configurationRoute(req, res, url, this.deps);
    send(res, 404);
  }
}
