/**
 * The preload: puts exactly the contract's bridge on `window.clinician`, nothing raw.
 *
 * Runs in a sandboxed renderer, so it is built as one CommonJS bundle whose only require is
 * 'electron'. `invoke` sends only known channel names (main checks sender and payload
 * again); `on` listens only to known events and hands the listener the payload alone, never
 * the IpcRendererEvent (whose `sender` would be a way back to raw IPC).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_GLOBAL, IPC_EVENT_PREFIX, IPC_INVOKE, isChannel, isEventName } from './bridge-names';
import type { ClinicianBridge, ErrorInfo } from './contract';

/** The part of ipcRenderer the bridge uses. */
export interface BridgeIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

const failure = (code: ErrorInfo['code']): { ok: false; error: ErrorInfo } => ({ ok: false, error: { code } });

export function createBridge(ipc: BridgeIpc): ClinicianBridge {
  const bridge = {
    invoke(channel: unknown, request: unknown) {
      if (!isChannel(channel)) {
        return Promise.resolve(failure('unknown-channel'));
      }
      return ipc
        .invoke(IPC_INVOKE, channel, request)
        .catch(() => failure('no-bridge'));
    },
    on(event: unknown, listener: unknown) {
      if (!isEventName(event) || typeof listener !== 'function') return () => {};
      const channel = IPC_EVENT_PREFIX + event;
      const wrapped = (_event: unknown, payload: unknown) => {
        (listener as (payload: unknown) => void)(payload);
      };
      ipc.on(channel, wrapped);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        ipc.removeListener(channel, wrapped);
      };
    },
  };
  return bridge as ClinicianBridge;
}

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, createBridge(ipcRenderer as BridgeIpc));
