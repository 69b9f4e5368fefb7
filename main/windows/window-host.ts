/**
 * The Electron implementation of the core's WindowHost port, plus the lookups the rest of
 * the shell needs (which kind a webContents or frame is, where to send an event).
 */
import { screen, webContents, type BrowserWindow, type WebFrameMain } from 'electron';
import type { WindowKind } from '../../preload/contract';
import type { WindowHost } from '../core/ports';
import type { Logger } from '../log/logger';
import { createCallWindow } from './call-window';
import { createMainWindow } from './main-window';
import { attachMiniView, type MiniView } from '../../call/main/mini-view';
import type { WindowOptionsInput } from './window-options';
import { WindowRegistry, type TrackedContents } from './window-registry';

export interface WindowManagerOptions extends WindowOptionsInput {
  log: Logger;
  /** Called when the call window has closed, whoever closed it. */
  onCallWindowClosed?: () => void;
}

export interface WindowManager {
  host: WindowHost;
  kindOf(webContentsId: number): WindowKind | undefined;
  kindOfFrame(frame: WebFrameMain): WindowKind | undefined;
  contentsOf(kind: WindowKind): TrackedContents | undefined;
  /** Shows the main window, creating it when there is none. */
  showMain(): BrowserWindow;
}

export function createWindowManager(options: WindowManagerOptions): WindowManager {
  const registry = new WindowRegistry();
  const log = options.log.child('windows');
  const factory = { preloadPath: options.preloadPath, devTools: options.devTools, registry, log };
  let main: BrowserWindow | undefined;
  let call: { window: BrowserWindow; loaded: Promise<void> } | undefined;
  /** The current call window's mini view (the core uses it only where policy allows). */
  let miniView: MiniView | undefined;

  const live = (window: BrowserWindow | undefined) => (window && !window.isDestroyed() ? window : undefined);

  const bringToFront = (window: BrowserWindow) => {
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };

  const showMain = () => {
    const existing = live(main);
    if (existing) {
      bringToFront(existing);
      return existing;
    }
    const created = createMainWindow(factory);
    created.on('closed', () => {
      if (main === created) main = undefined;
    });
    main = created;
    return created;
  };

  const host: WindowHost = {
    async openCallWindow() {
      const existing = call && live(call.window) ? call : undefined;
      if (existing) {
        // Join pressed again in the day view: the whole call window, not its mini view.
        miniView?.expand();
        bringToFront(existing.window);
        return existing.loaded;
      }
      const created = createCallWindow(factory);
      const mini = attachMiniView(created.window, { workAreaFor: (bounds) => screen.getDisplayMatching(bounds).workArea });
      created.window.on('closed', () => {
        if (call === created) call = undefined;
        if (miniView === mini) miniView = undefined;
        options.onCallWindowClosed?.();
      });
      call = created;
      miniView = mini;
      return created.loaded;
    },
    closeCallWindow() {
      const window = call ? live(call.window) : undefined;
      window?.close();
    },
    focusMain() {
      showMain();
    },
    callMiniView: {
      allow: (allowed) => miniView?.allow(allowed),
      expand: () => miniView?.expand(),
    },
  };

  return {
    host,
    kindOf: (id) => registry.kindOf(id),
    kindOfFrame: (frame) => {
      const contents = webContents.fromFrame(frame);
      return contents ? registry.kindOf(contents.id) : undefined;
    },
    contentsOf: (kind) => registry.contentsOf(kind),
    showMain,
  };
}
