/**
 * Who may use the browser host's bridge. The host listens on 127.0.0.1, where every local
 * user and every web page the clinician visits can reach it, so loopback is no boundary.
 *
 *  - Nothing a browser sends by itself counts. Cookies are not scoped by port: a cookie for
 *    127.0.0.1 goes to every port of it, also to a server another local user runs there,
 *    and SameSite treats all ports as one site. So the host sets no cookie and reads none;
 *    whoever learns what the clinician's browser sends to loopback learns nothing usable.
 *  - Access is a per-window bearer credential that the page's own script holds and sends in
 *    the `X-Window-Credential` header (requests and the event stream alike), never in a URL
 *    or a cookie. The page keeps it in sessionStorage: per tab and per origin, and an origin
 *    includes the port, so a reload (F5) of that tab keeps it while no page on another port,
 *    no other tab and no other browser can read it.
 *  - The main window's credential: the printed address carries a one-time launch secret in
 *    its fragment (`#k=…`; a fragment is never sent in a request, so it appears in no log or
 *    Referer). The page exchanges it once; the answer's body is the credential. A tab that
 *    holds none (a new tab on the bare address, another browser) gets nothing.
 *  - A call window's credential: when main opens the call window, a one-time ticket goes in
 *    that window's address (`#w=…`), sent only on main's event stream; the call window
 *    redeems it once. The server decides each credential's kind; a main window's credential
 *    cannot call a call-window channel (the router checks channels per kind).
 *  - The call is over: its windows' credentials and any unused ticket stop working, and the
 *    server closes their event streams (host/event-streams.ts), so a later call's events
 *    never reach a window of an earlier one.
 *  - The Host header must be the printed host and port (DNS rebinding: a page on
 *    rebind.example resolving to 127.0.0.1 sends its own name), and a state-changing
 *    request must come from the printed origin (Origin header). Both stop other web pages
 *    only: a non-browser client sends any Host and Origin, which is why neither is a
 *    credential.
 *  - The OS's deep-link hand-over (Electron: open-url) is stood in for by a request with a
 *    separate control secret that only the process that started the host receives.
 *
 * Plain TypeScript over Node's request type; tested directly in test/unit/host and through
 * a real server and Chromium in test/e2e/host-access.spec.ts.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { WindowKind } from '../preload/contract';

/** The request header that carries a window's credential (Node's headers are lower case). */
export const CREDENTIAL_HEADER = 'x-window-credential';

export interface WindowGrant {
  credential: string;
  kind: WindowKind;
}

export interface HostAccess {
  /** http://127.0.0.1:PORT */
  readonly origin: string;
  /** The address to open: the origin with the one-time secret in its fragment. */
  readonly launchUrl: string;
  /** For the process that started the host: the deep-link stand-in's credential. */
  readonly controlSecret: string;
  /** The Host header names the printed host and port. */
  hostAllowed(req: IncomingMessage): boolean;
  /** A state-changing request comes from the printed origin. */
  originAllowed(req: IncomingMessage): boolean;
  /** Exchanges the one-time launch secret (once) for the main window's credential, or null. */
  exchange(secret: string): string | null;
  /** Redeems a call window's one-time ticket (once) for its credential, or null. */
  redeemCallTicket(ticket: string): string | null;
  /** The window whose live credential the request's header carries, or null. */
  windowOf(req: IncomingMessage): WindowGrant | null;
  /** Whether a credential is still live and of this kind (a stream checks before each event). */
  isLive(credential: string, kind: WindowKind): boolean;
  /** A one-time ticket for the call window main is about to open. */
  newCallTicket(): string;
  /** The call is over: its windows' credentials and any unused ticket stop working. Returns the revoked credentials. */
  endCallWindows(): string[];
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

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function createHostAccess(port: number): HostAccess {
  const origin = `http://127.0.0.1:${port}`;
  const host = `127.0.0.1:${port}`;
  let launchSecret: string | null = secret();
  const launchUrl = `${origin}/#k=${launchSecret}`;
  const controlSecret = secret();
  const windows = new Map<string, WindowKind>();
  const callTickets = new Set<string>();

  function grant(kind: WindowKind): string {
    const credential = secret();
    windows.set(credential, kind);
    return credential;
  }

  return {
    origin,
    launchUrl,
    controlSecret,
    hostAllowed: (req) => req.headers.host === host,
    originAllowed: (req) => req.headers.origin === origin,
    exchange(given) {
      if (launchSecret === null || !same(given, launchSecret)) return null;
      launchSecret = null; // once
      return grant('main');
    },
    redeemCallTicket(ticket) {
      // A Set lookup, not a comparison: the ticket is the key, and 256 random bits are not guessed by timing.
      if (!callTickets.delete(ticket)) return null;
      return grant('call');
    },
    windowOf(req) {
      const credential = header(req, CREDENTIAL_HEADER);
      const kind = credential ? windows.get(credential) : undefined;
      return credential && kind ? { credential, kind } : null;
    },
    isLive: (credential, kind) => windows.get(credential) === kind,
    newCallTicket() {
      const ticket = secret();
      callTickets.add(ticket);
      return ticket;
    },
    endCallWindows() {
      callTickets.clear();
      const revoked: string[] = [];
      for (const [credential, kind] of windows) {
        if (kind !== 'call') continue;
        windows.delete(credential);
        revoked.push(credential);
      }
      return revoked;
    },
    isControl(req) {
      const value = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      return value !== undefined && same(value, controlSecret);
    },
  };
}
