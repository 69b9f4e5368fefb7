/**
 * The guard's HTTP API (JSON). Three kinds of caller, three credentials:
 *   - the provisioner (the booking system's back end): `Authorization: Bearer <provision key>`;
 *     POST /v1/rooms, DELETE /v1/rooms/:room;
 *   - the host (the console's main process): POST /v1/rooms/:room/host {pin} buys a host
 *     session; then `Authorization: Bearer <session>` on prepare, state, admit, deny, kick,
 *     moderate, end, and DELETE …/host; or POST …/watcher {pin} buys a lobby watcher, which
 *     may only GET …/lobby (the roles of who waits, and since when) and DELETE …/watcher;
 *     either may POST …/notice {text}: a short message ("running late") to the waiting guests;
 *   - a guest (the patient's page, from another origin, hence CORS): POST …/guests {pin,
 *     name, role} knocks; then `Authorization: Bearer <guest secret>` on GET …/guests/:id
 *     (long-poll; `seen=<n>`: the last notice the page showed, a newer one answers at once),
 *     GET …/guests/:id/roster and DELETE …/guests/:id.
 * Wrong PINs answer 403; a caller backing off (attempts.ts) or knocking too often 429 with
 * Retry-After; PIN checks queued too deep 503 with Retry-After. Callers are counted by their
 * real address: behind a TLS proxy, give its address in `trustedProxies` (client-address.ts).
 * Bodies are small and checked with zod (call/providers/janus/guard-api.ts, which the console shares); nothing with a PIN, token, secret, name or address
 * is ever logged.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { clientAddress, sourceOf, trustedProxies } from './client-address';
import { guardRequests, GuardId } from '../call/providers/janus/guard-api';
import { GuardError, type Guard } from './guard';

const bodies = guardRequests;

const STATUS: Record<GuardError['reason'], number> = {
  'no-room': 404,
  'wrong-pin': 403,
  locked: 429,
  unauthorized: 401,
  'bad-request': 400,
  'not-waiting': 409,
  unavailable: 503,
};

/** The longest a guest's poll is held open. */
const MAX_WAIT_MS = 25_000;

export interface GuardServer {
  url: string;
  server: Server;
  stop(): Promise<void>;
}

export async function startGuardServer(opts: {
  guard: Guard;
  provisionKey: string;
  port?: number;
  host?: string;
  /**
   * The proxies in front (addresses or CIDR ranges) whose X-Forwarded-For is believed.
   * Without them every caller counts by the socket's peer address.
   */
  trustedProxies?: readonly string[];
  log?: (line: string) => void;
}): Promise<GuardServer> {
  const { guard } = opts;
  const log = opts.log ?? (() => undefined);
  const trusted = opts.trustedProxies?.length ? trustedProxies(opts.trustedProxies) : null;
  /** Said once: a proxy seems to be in front, but its header is not believed. */
  let untrustedForwardWarned = false;
  const open = new Set<ServerResponse>();

  const server = createServer((req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    handle(req, res).catch((error: unknown) => {
      if (error instanceof GuardError) return send(res, STATUS[error.reason], { error: error.reason }, error.retryAfterMs);
      if (error instanceof z.ZodError || error instanceof SyntaxError) return send(res, 400, { error: 'bad-request' });
      log(`guard: request failed (${(error as Error)?.name ?? 'error'})`);
      send(res, 500, { error: 'internal' });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Guests call from a patient portal's origin; credentials are bearer tokens, never cookies.
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('cache-control', 'no-store');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-methods': 'GET, POST, DELETE',
        'access-control-allow-headers': 'authorization, content-type',
        'access-control-max-age': '600',
      });
      res.end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://guard');
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts[0] !== 'v1' || parts[1] !== 'rooms') return send(res, 404, { error: 'not-found' });
    const room = parts[2];
    const action = parts[3];
    const bearer = /^Bearer ([A-Za-z0-9_-]{16,128})$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const source = sourceOf(clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], trusted));
    if (req.headers['x-forwarded-for'] !== undefined && !trusted?.has(req.socket.remoteAddress ?? '') && !untrustedForwardWarned) {
      untrustedForwardWarned = true;
      log('guard: requests carry X-Forwarded-For from a peer not in GUARD_TRUSTED_PROXIES; they are counted by the peer address');
    }
    const body = async <T extends z.ZodType>(schema: T): Promise<z.output<T>> => schema.parse(JSON.parse(await readBody(req)));

    if (!room && req.method === 'POST') {
      provisioner(bearer);
      await guard.provision(await body(bodies.provision));
      return send(res, 201, { ok: true });
    }
    if (!room || !GuardId.safeParse(room).success) return send(res, 404, { error: 'not-found' });
    if (!action && req.method === 'DELETE') {
      provisioner(bearer);
      await guard.unprovision(room);
      return send(res, 200, { ok: true });
    }
    switch (`${req.method} ${action}${parts[5] ? `/${parts[5]}` : ''}`) {
      case 'POST host': {
        const { pin } = await body(bodies.host);
        const { session, expiresInMs } = await guard.hostSession(room, pin, source);
        log('guard: a host session was opened');
        return send(res, 200, { session, expiresInMs });
      }
      case 'DELETE host':
        guard.releaseHost(room, bearer);
        return send(res, 200, { ok: true });
      case 'POST watcher': {
        const { pin } = await body(bodies.host);
        const { watcher, expiresInMs } = await guard.watcher(room, pin, source);
        log('guard: a lobby watcher was opened');
        return send(res, 200, { watcher, expiresInMs });
      }
      case 'DELETE watcher':
        guard.releaseWatcher(room, bearer);
        return send(res, 200, { ok: true });
      case 'GET lobby':
        return send(res, 200, guard.lobby(room, bearer));
      case 'POST notice':
        // The text is the host's, for the guests: never logged.
        return send(res, 200, guard.notify(room, bearer, (await body(bodies.notice)).text));
      case 'POST prepare':
        return send(res, 200, await guard.prepare(room, bearer, (await body(bodies.prepare)).name));
      case 'GET state':
        return send(res, 200, await guard.state(room, bearer));
      case 'POST admit': {
        const { guestId, token } = await body(bodies.admit);
        return send(res, 200, await guard.admit(room, bearer, guestId, token));
      }
      case 'POST deny':
        guard.deny(room, bearer, (await body(bodies.guestId)).guestId);
        return send(res, 200, { ok: true });
      case 'POST kick':
        await guard.kick(room, bearer, (await body(bodies.feedId)).feedId);
        return send(res, 200, { ok: true });
      case 'POST moderate': {
        const { feedId, mid, muted } = await body(bodies.moderate);
        await guard.moderate(room, bearer, feedId, mid, muted);
        return send(res, 200, { ok: true });
      }
      case 'POST end':
        await guard.end(room, bearer);
        return send(res, 200, { ok: true });
      case 'POST guests':
        return send(res, 201, await guard.knock(room, await body(bodies.knock), source));
      case 'GET guests': {
        const guestId = GuardId.parse(parts[4]);
        const wait = Math.min(MAX_WAIT_MS, Math.max(0, Number(url.searchParams.get('wait') ?? 0) || 0));
        const seen = Math.max(0, Math.floor(Number(url.searchParams.get('seen') ?? 0) || 0));
        return send(res, 200, await guard.poll(room, guestId, bearer, wait, seen));
      }
      case 'GET guests/roster':
        return send(res, 200, { roster: await guard.guestRoster(room, GuardId.parse(parts[4]), bearer) });
      case 'DELETE guests':
        guard.leave(room, GuardId.parse(parts[4]), bearer);
        return send(res, 200, { ok: true });
      default:
        return send(res, 404, { error: 'not-found' });
    }
  }

  function provisioner(bearer: string): void {
    const given = Buffer.from(bearer);
    const expected = Buffer.from(opts.provisionKey);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new GuardError('unauthorized');
  }

  await new Promise<void>((ok) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', ok));
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    server,
    async stop() {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown, retryAfterMs?: number): void {
  if (res.headersSent) return;
  if (retryAfterMs !== undefined) res.setHeader('retry-after', String(Math.ceil(retryAfterMs / 1000)));
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function readBody(req: IncomingMessage, limit = 16 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new GuardError('bad-request'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8') || '{}'));
    req.on('error', reject);
  });
}
