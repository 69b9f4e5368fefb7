/**
 * The browser host's side of the bridge, loaded as a classic script before the app: it
 * puts on `window.clinician` the same ClinicianBridge that the preload exposes in
 * Electron, carried over loopback HTTP (requests) and Server-Sent Events (events).
 * Host-only events open and close windows the way Electron's main would.
 */
import { BRIDGE_GLOBAL, isChannel, isEventName } from '../../preload/bridge-names';
import type { ClinicianBridge, EventName } from '../../preload/contract';

const script = document.currentScript as HTMLScriptElement;
const token = script.dataset.token ?? '';
const windowKind = location.pathname.endsWith('/call.html') ? 'call' : 'main';
const listeners = new Map<string, Set<(payload: unknown) => void>>();

const events = new EventSource(`/__host/events?window=${windowKind}&token=${encodeURIComponent(token)}`);
events.onmessage = (message) => {
  const { event, payload } = JSON.parse(message.data as string) as { event: string; payload: unknown };
  if (event === 'host.open') {
    const { url, target } = payload as { url: string; target: string };
    window.open(url, target);
    return;
  }
  if (event === 'host.close') {
    window.close();
    return;
  }
  if (event === 'window.focus') window.focus();
  for (const listener of listeners.get(event) ?? []) listener(payload);
};

const bridge: ClinicianBridge = {
  async invoke(channel, request) {
    if (!isChannel(channel)) return { ok: false, error: { code: 'unknown-channel' } };
    try {
      const response = await fetch('/__host/invoke', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-host-token': token },
        body: JSON.stringify({ window: windowKind, channel, request }),
      });
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
