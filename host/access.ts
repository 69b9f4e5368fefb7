/**
 * Who may use the browser host's bridge. The host listens on 127.0.0.1, where every local
 * user and every web page the clinician visits can reach it, so loopback is no boundary:
 *
 *  - The printed address carries a one-time secret in its fragment (`#k=…`; a fragment is
 *    never sent in a request, so it appears in no log or Referer). The page exchanges it
 *    once for a session cookie: HttpOnly (page scripts and other tabs cannot read it),
 *    SameSite=Strict (no other site's page can make the browser send it), named for the
 *    port (two hosts on one machine do not overwrite each other's).
 *  - Every bridge request needs that cookie (401 without) and a window credential. The
 *    server decides each window's kind: the window that exchanged the secret, or a later one
 *    that shows the cookie, is a main window; a call window is one that redeems the one-time
 *    ticket put in the call window's address when main opens it. A main window's credential
 *    cannot call a call-window channel (the router checks channels per kind).
 *  - The Host header must be the printed host and port (DNS rebinding: a page on
 *    rebind.example resolving to 127.0.0.1 sends its own name), and a state-changing
 *    request must come from the printed origin (Origin header).
 *  - The OS's deep-link hand-over (Electron: open-url) is stood in for by a request with a
 *    separate control secret that only the process that started the host receives.
 *
 * Plain TypeScript over Node's request type; tested through a real server in the e2e suite
 * and directly in test/unit/host.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { WindowKind } from '../preload/contract';

export interface HostAccess {
  /** http://127.0.0.1:PORT */
  readonly origin: string;
  /** The address to open: the origin with the one-time secret in its fragment. */
  readonly launchUrl: string;
  /** For the process that started the host: the deep-link stand-in's credential. */
  readonly controlSecret: string;
  /** The cookie's name (per port). */
  readonly cookieName: string;
  /** The Host header names the printed host and port. */
  hostAllowed(req: IncomingMessage): boolean;
  /** A state-changing request comes from the printed origin. */
  originAllowed(req: IncomingMessage): boolean;
  /** The request carries a live session cookie. */
  hasSession(req: IncomingMessage): boolean;
  /** Exchanges the one-time secret (once) for a session: the Set-Cookie value, or null. */
  exchange(secret: string): string | null;
  /** A window credential: `main`, or `call` when a live call ticket is redeemed. null: refused. */
  issueWindow(callTicket: string | null): { credential: string; kind: WindowKind } | null;
  /** The kind of window a credential belongs to, or null. */
  windowOf(credential: string | undefined | null): WindowKind | null;
  /** A one-time ticket for the call window main is about to open. */
  newCallTicket(): string;
  /** The call is over: its windows' credentials and any unused ticket stop working. */
  endCallWindows(): void;
  /** The control secret, compared in constant time. */
  isControl(req: IncomingMessage): boolean;
}

const secret = () => randomBytes(32).toString('base64url');

/** Constant-time equality of two strings (false for different lengths). */
function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function createHostAccess(port: number): HostAccess {
  const origin = `http://127.0.0.1:${port}`;
  const host = `127.0.0.1:${port}`;
  const cookieName = `cc_host_${port}`;
  let launchSecret: string | null = secret();
  const launchUrl = `${origin}/#k=${launchSecret}`;
  const controlSecret = secret();
  const sessions = new Set<string>();
  const windows = new Map<string, WindowKind>();
  const callTickets = new Set<string>();

  function cookieOf(req: IncomingMessage): string | null {
    for (const part of (req.headers.cookie ?? '').split(';')) {
      const [name, ...value] = part.trim().split('=');
      if (name === cookieName) return value.join('=');
    }
    return null;
  }

  return {
    origin,
    launchUrl,
    controlSecret,
    cookieName,
    hostAllowed: (req) => req.headers.host === host,
    originAllowed: (req) => req.headers.origin === origin,
    hasSession(req) {
      const value = cookieOf(req);
      return value !== null && sessions.has(value);
    },
    exchange(given) {
      if (launchSecret === null || !same(given, launchSecret)) return null;
      launchSecret = null; // once
      const value = secret();
      sessions.add(value);
      return `${cookieName}=${value}; HttpOnly; SameSite=Strict; Path=/`;
    },
    issueWindow(callTicket) {
      let kind: WindowKind = 'main';
      if (callTicket !== null) {
        if (!callTickets.delete(callTicket)) return null;
        kind = 'call';
      }
      const credential = secret();
      windows.set(credential, kind);
      return { credential, kind };
    },
    windowOf: (credential) => (credential ? (windows.get(credential) ?? null) : null),
    newCallTicket() {
      const ticket = secret();
      callTickets.add(ticket);
      return ticket;
    },
    endCallWindows() {
      callTickets.clear();
      for (const [credential, kind] of windows) if (kind === 'call') windows.delete(credential);
    },
    isControl(req) {
      const value = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      return value !== undefined && same(value, controlSecret);
    },
  };
}
