/**
 * The browser host's side of the bridge, loaded as a classic script before the app: it
 * puts on `window.clinician` the same ClinicianBridge that the preload exposes in
 * Electron, carried over loopback HTTP (requests) and Server-Sent Events (events).
 * Host-only events open and close windows the way Electron's main would.
 *
 * Credentials (see host/access.ts): the page's address may carry the one-time launch secret
 * (`#k=`, the main window's first load) or a call window's one-time ticket (`#w=`); either is
 * exchanged once and removed from the address bar. The session cookie is HttpOnly, so this
 * script never sees it; the window's own credential is kept in sessionStorage, so a reload of
 * this tab keeps its kind and no other tab can use it.
 */
import { BRIDGE_GLOBAL, isChannel, isEventName } from '../preload/bridge-names';
import type { ClinicianBridge, EventName } from '../preload/contract';

const CREDENTIAL_KEY = 'clinician-host-window';
const listeners = new Map<string, Set<(payload: unknown) => void>>();
let callWindow: Window | null = null;

async function post(path: string, body: unknown): Promise<Response> {
  return fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), credentials: 'same-origin' });
}

/** This window's credential: from the address's one-time secret or ticket, this tab's storage, or the session cookie. */
async function windowCredential(): Promise<string | null> {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const launch = fragment.get('k');
  const ticket = fragment.get('w');
  if (launch || ticket) history.replaceState(null, '', location.pathname + location.search);
  // The launch secret buys the session cookie and this (main) window's credential at once;
  // a used one (an old bookmark) falls back to the cookie, if this browser has it.
  let res = launch ? await post('/__host/session', { secret: launch }).catch(() => null) : null;
  if (!res?.ok) {
    const kept = ticket ? null : sessionStorage.getItem(CREDENTIAL_KEY);
    if (kept) return kept;
    res = await post('/__host/window', ticket ? { ticket } : {}).catch(() => null);
  }
  if (!res?.ok) return null;
  const { credential } = (await res.json()) as { credential: string };
  sessionStorage.setItem(CREDENTIAL_KEY, credential);
  return credential;
}

const ready = windowCredential();

void ready.then((credential) => {
  if (!credential) return;
  const events = new EventSource(`/__host/events?w=${encodeURIComponent(credential)}`);
  events.onmessage = (message) => {
    const { event, payload } = JSON.parse(message.data as string) as { event: string; payload: unknown };
    if (event === 'host.open') {
      const { url, target } = payload as { url: string; target: string };
      // The call window already open: to the front, not reloaded.
      if (target === 'clinician-call' && callWindow && !callWindow.closed) callWindow.focus();
      else if (target === 'clinician-call') callWindow = window.open(url, target);
      else window.open(url, target);
      return;
    }
    if (event === 'host.close') {
      window.close();
      return;
    }
    if (event === 'window.focus') window.focus();
    for (const listener of listeners.get(event) ?? []) listener(payload);
  };
});

const bridge: ClinicianBridge = {
  async invoke(channel, request) {
    if (!isChannel(channel)) return { ok: false, error: { code: 'unknown-channel' } };
    const credential = await ready;
    if (!credential) return { ok: false, error: { code: 'host-unreachable' } };
    try {
      const response = await fetch('/__host/invoke', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-window-credential': credential },
        body: JSON.stringify({ channel, request }),
        credentials: 'same-origin',
      });
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
