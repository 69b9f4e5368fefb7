/**
 * The browser host's side of the bridge, loaded as a classic script before the app: it
 * puts on `window.clinician` the same ClinicianBridge that the preload exposes in
 * Electron, carried over loopback HTTP (requests) and Server-Sent Events (events).
 * Host-only events open and close windows the way Electron's main would.
 *
 * Credentials (see host/access.ts): the page's address may carry the one-time launch secret
 * (`#k=`, the main window's first load) or a call window's one-time ticket (`#w=`); either is
 * exchanged once for this window's credential and removed from the address bar. The
 * credential is kept in sessionStorage (this tab and this origin, port included, only), so a
 * reload of this tab keeps its kind, and it is sent only in a request header: nothing the
 * browser would send by itself (a cookie, which reaches every loopback port) opens anything.
 */
import { BRIDGE_GLOBAL, isChannel, isEventName } from '../preload/bridge-names';
import type { ClinicianBridge, EventName } from '../preload/contract';

const CREDENTIAL_KEY = 'clinician-host-window';
const CREDENTIAL_HEADER = 'x-window-credential';
const CALL_TARGET = 'clinician-call';
const listeners = new Map<string, Set<(payload: unknown) => void>>();
let callWindow: Window | null = null;

/** A JSON request with no cookies at all: the host reads none (credentials: 'omit'). */
function request(path: string, init: { method?: string; body?: unknown; credential?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.credential) headers[CREDENTIAL_HEADER] = init.credential;
  return fetch(path, {
    method: init.method ?? 'POST',
    headers,
    credentials: 'omit',
    cache: 'no-store',
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
}

async function credentialFrom(res: Response | null): Promise<string | null> {
  if (!res?.ok) return null;
  const { credential } = (await res.json()) as { credential: string };
  sessionStorage.setItem(CREDENTIAL_KEY, credential);
  return credential;
}

/** This window's credential: from the address's one-time secret or ticket, else what this tab kept. */
async function windowCredential(): Promise<string | null> {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const launch = fragment.get('k');
  const ticket = fragment.get('w');
  if (launch || ticket) history.replaceState(null, '', location.pathname + location.search);
  if (ticket) {
    // A window opened by main starts with a copy of main's sessionStorage: a call window
    // holds its own credential or none, never main's.
    sessionStorage.removeItem(CREDENTIAL_KEY);
    return credentialFrom(await request('/__host/window', { body: { ticket } }).catch(() => null));
  }
  if (launch) {
    const fresh = await credentialFrom(await request('/__host/session', { body: { secret: launch } }).catch(() => null));
    if (fresh) return fresh;
    // A used secret (the printed address opened again in this tab) falls back to what this tab kept.
  }
  return sessionStorage.getItem(CREDENTIAL_KEY);
}

function onHostEvent(event: string, payload: unknown): void {
  if (event === 'host.open') {
    const { url, target } = payload as { url: string; target: string };
    const sameOrigin = new URL(url, location.href).origin === location.origin;
    if (target === CALL_TARGET && sameOrigin) {
      // The call window is this origin's own page, so it keeps its opener: main needs the
      // handle to bring an open call window to the front instead of loading it again, and
      // noopener would shield nothing between two pages of one origin. Its one-time ticket
      // is in the fragment, and the window drops main's copied credential (above).
      // A window of its own, as Electron's BrowserWindow is (its size: main/windows/
      // window-options.ts), not a tab: a tab would put the day view in the background,
      // where Chromium draws it about once in two seconds while the call lasts.
      if (callWindow && !callWindow.closed) callWindow.focus();
      else callWindow = window.open(url, CALL_TARGET, 'popup,width=1024,height=720');
    } else {
      // Everything else (the identity provider, the patient portal, mailto:) is another
      // origin: no handle to this page (window.opener) and no Referer.
      window.open(url, '_blank', 'noopener,noreferrer');
    }
    return;
  }
  if (event === 'host.close') {
    window.close();
    return;
  }
  if (event === 'window.focus') window.focus();
  for (const listener of listeners.get(event) ?? []) listener(payload);
}

/**
 * The window's event stream: Server-Sent Events read from a fetch, because EventSource
 * cannot send a header and the credential belongs in no URL. The host ends the stream when
 * it revokes the credential; it is not reopened.
 */
async function listen(credential: string): Promise<void> {
  const res = await request('/__host/events', { method: 'GET', credential });
  if (!res.ok || !res.body) return;
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffered += value;
    let end: number;
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const frame = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const data = frame
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice('data: '.length))
        .join('\n');
      if (!data) continue; // a comment (": connected")
      const { event, payload } = JSON.parse(data) as { event: string; payload: unknown };
      onHostEvent(event, payload);
    }
  }
}

const ready = windowCredential();

void ready.then((credential) => (credential ? listen(credential) : undefined)).catch(() => undefined);

const bridge: ClinicianBridge = {
  async invoke(channel, payload) {
    if (!isChannel(channel)) return { ok: false, error: { code: 'unknown-channel' } };
    const credential = await ready;
    if (!credential) return { ok: false, error: { code: 'host-unreachable' } };
    try {
      const response = await request('/__host/invoke', { body: { channel, request: payload }, credential });
      if (!response.ok) return { ok: false, error: { code: 'host-unreachable' } };
      return await response.json();
    } catch {
      return { ok: false, error: { code: 'host-unreachable' } };
    }
  },
  on(event: EventName, listener: (payload: never) => void) {
    if (!isEventName(event)) return () => {};
    const set = listeners.get(event) ?? new Set();
    listeners.set(event, set);
    const wrapped = (payload: unknown) => listener(payload as never);
    set.add(wrapped);
    return () => set.delete(wrapped);
  },
} as ClinicianBridge;

Object.defineProperty(window, BRIDGE_GLOBAL, { value: Object.freeze(bridge), writable: false });
