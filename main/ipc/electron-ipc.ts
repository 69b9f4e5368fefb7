/**
 * Electron's side of the bridge: one `ipcMain.handle` for every request, one
 * `webContents.send` per event. The router (router.ts) checks channel, window, size and
 * schema; this file first checks who is asking: the top-level frame of one of our windows,
 * showing a page of `app://console`. Nothing thrown ever reaches the renderer.
 */
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import {
  events,
  type ErrorInfo,
  type Result,
  type WindowKind,
} from '../../preload/contract';
import { IPC_EVENT_PREFIX, IPC_INVOKE } from '../../preload/bridge-names';
import type { EventSink } from '../core/ports';
import type { Logger } from '../log/logger';
import { nullLogger } from '../log/logger';
import type { Router } from './router';
import { isAppUrl } from '../windows/app-origin';

export interface SenderFacts {
  /** URL of the frame that sent the message; undefined when the frame is gone. */
  frameUrl: string | undefined;
  isMainFrame: boolean;
  webContentsId: number;
}

/** A refused sender: the renderer gets the code, the log gets the reason. */
export type SenderCheck = { ok: true; window: WindowKind } | { ok: false; error: ErrorInfo; reason: string };

const refused = (reason: string): SenderCheck => ({ ok: false, error: { code: 'forbidden' }, reason });

/** Plain: is this sender one of our windows' top-level app page, and which kind? */
export function checkSender(
  facts: SenderFacts,
  windowKindOf: (webContentsId: number) => WindowKind | undefined,
): SenderCheck {
  if (!facts.isMainFrame) return refused('it did not come from the window itself');
  if (!isAppUrl(facts.frameUrl)) return refused('it did not come from the console');
  const window = windowKindOf(facts.webContentsId);
  if (window === undefined) return refused('it did not come from a console window');
  return { ok: true, window };
}

/** The facts about an IpcMainInvokeEvent's sender, read defensively (the frame may be gone). */
export function senderFacts(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>): SenderFacts {
  try {
    const frame = event.senderFrame;
    const webContentsId = event.sender.id;
    if (!frame || frame.isDestroyed()) return { frameUrl: undefined, isMainFrame: false, webContentsId };
    const top = event.sender.mainFrame;
    const isMainFrame =
      frame.parent === null && frame.processId === top.processId && frame.routingId === top.routingId;
    return { frameUrl: frame.url, isMainFrame, webContentsId };
  } catch {
    // A destroyed frame or webContents throws on access: treat the sender as unknown.
    return { frameUrl: undefined, isMainFrame: false, webContentsId: -1 };
  }
}

/** Answers every `IPC_INVOKE` through the router. Returns a function that removes the handler. */
export function registerIpc(
  router: Router,
  windowKindOf: (webContentsId: number) => WindowKind | undefined,
  log: Logger = nullLogger,
): () => void {
  ipcMain.handle(IPC_INVOKE, async (event, channel: unknown, request: unknown): Promise<Result<unknown>> => {
    const sender = checkSender(senderFacts(event), windowKindOf);
    if (!sender.ok) {
      log.warn(`ipc: a request was refused: ${sender.reason}`);
      return { ok: false, error: sender.error };
    }
    try {
      return await router.handle(channel, request, { window: sender.window });
    } catch (error) {
      log.error('ipc: the router failed', error);
      return { ok: false, error: { code: 'internal' } };
    }
  });
  return () => ipcMain.removeHandler(IPC_INVOKE);
}

/** What the event sink needs of a webContents. */
export interface EventReceiver {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

/**
 * The core's EventSink over `webContents.send`. Payloads are checked against the contract
 * first: an event that does not match is dropped (and logged by name only).
 */
export function createEventSink(
  windowsByKind: (kind: WindowKind) => EventReceiver | undefined,
  log: Logger = nullLogger,
): EventSink {
  return (target, event, payload) => {
    const schema = events[event];
    const checked = schema?.safeParse(payload);
    if (!checked?.success) {
      log.error(`ipc: dropped an invalid ${String(event)} event`);
      return;
    }
    const kinds: WindowKind[] = target === 'all' ? ['main', 'call'] : [target];
    for (const kind of kinds) {
      const contents = windowsByKind(kind);
      if (!contents || contents.isDestroyed()) continue;
      try {
        contents.send(IPC_EVENT_PREFIX + event, checked.data);
      } catch (error) {
        log.warn(`ipc: could not send ${event} to the ${kind} window`, error);
      }
    }
  };
}
